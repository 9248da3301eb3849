// Images copied and imported: SyncImages (copies to other regions, SYNCING → NORMAL) and ImportImage (a disk image
// read from a URL or a path, IMPORTING → NORMAL), both finished by the engine. Exports are in image-export.ts.
import { randomUUID } from "node:crypto";
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf, randomId } from "../../../domain/ids.js";
import type { BootMode, ImageRecord, LicenseType } from "../../../store/store.js";
import { checkImportSource, SourceRefused } from "../../../compute/image-source.js";
import { newImage } from "./custom-images.js";
import { IMAGE_QUOTA } from "./images.js";
import { invalid } from "../../shared/refusals.js";

const MAX_SYNC_IMAGES = 10;
const LICENSE_TYPES: readonly string[] = ["TencentCloud", "BYOL"] satisfies LicenseType[];
const BOOT_MODES: readonly string[] = ["Legacy BIOS", "UEFI"] satisfies BootMode[];

/** Writes new images and the operations of the action (SyncImages, ImportImage) that will finish them, in one transaction. */
async function queue(deps: Deps, ctx: RequestContext, work: { image: ImageRecord; payload: Record<string, unknown> }[]): Promise<void> {
  await deps.store.transaction(async (tx) => {
    for (const { image, payload } of work) {
      await tx.images.insert(image);
      await tx.operations.add([{ operationId: randomUUID(), instanceId: image.imageId, kind: ctx.action, requestId: ctx.requestId, payload }]);
    }
  });
  deps.engine.kick();
}

async function checkRoom(deps: Deps, appId: number, region: string, adding: number, name: string, field: string): Promise<void> {
  if ((await deps.store.images.countOwned(appId, region)) + adding > IMAGE_QUOTA) {
    throw fail("ImageQuotaLimitExceeded", `Custom images in ${region} would exceed the quota of ${IMAGE_QUOTA}.`, `${region} 的自定义镜像将超过配额 ${IMAGE_QUOTA} 个。`);
  }
  if (await deps.store.images.nameTaken(appId, region, name)) {
    throw invalid("InvalidImageName.Duplicate", field, name, `you have an image of this name in ${region} already`, `${region} 已有同名镜像`);
  }
}

export const syncImages = action<cvm.SyncImagesRequest, cvm.SyncImagesResponse>("cvm", "SyncImages", async (ctx, p, deps) => {
  if (p.Encrypt || p.KmsKeyId !== undefined) {
    throw fail("UnsupportedOperation.SyncEncryptImageNotSupport", "OpenCVM does not encrypt image copies.", "OpenCVM 不支持加密镜像复制。");
  }
  if (p.ImageIds.length > MAX_SYNC_IMAGES) throw invalid("InvalidParameterValue.LimitExceeded", "ImageIds", p.ImageIds.length, `at most ${MAX_SYNC_IMAGES} images per call`, `每次最多 ${MAX_SYNC_IMAGES} 个镜像`);
  const sources: ImageRecord[] = [];
  for (const [i, id] of p.ImageIds.entries()) {
    if (!isIdOf("img", id)) throw invalid("InvalidImageId.Malformed", `ImageIds.${i}`, id, "expected img-xxxxxxxx", "格式应为 img-xxxxxxxx");
    const image = await deps.store.images.get(id);
    if (!image || image.appId !== ctx.account.appId || image.region !== ctx.region) {
      throw invalid("InvalidImageId.NotFound", `ImageIds.${i}`, id, `you have no such custom image in ${ctx.region}`, `${ctx.region} 不存在您的该自定义镜像`);
    }
    if (image.state !== "NORMAL") throw invalid("InvalidImageId.IncorrectState", `ImageIds.${i}`, id, `the image is ${image.state}`, `镜像处于 ${image.state} 状态`);
    sources.push(image);
  }
  for (const [i, region] of p.DestinationRegions.entries()) {
    if (!deps.catalog.region(region)) throw invalid("InvalidRegion.NotFound", `DestinationRegions.${i}`, region, "no such region", "地域不存在");
    if (region === ctx.region) throw invalid("InvalidParameterValue.InvalidRegion", `DestinationRegions.${i}`, region, "the image is in this region already", "镜像已在该地域");
  }
  if (new Set(p.DestinationRegions).size !== p.DestinationRegions.length) {
    throw invalid("InvalidParameterValue.InvalidRegion", "DestinationRegions", p.DestinationRegions.join(","), "a region is given twice", "地域重复");
  }
  const work: { image: ImageRecord; payload: Record<string, unknown> }[] = [];
  for (const region of p.DestinationRegions) {
    const named = new Set<string>();
    for (const source of sources) {
      const name = p.ImageName ?? source.imageName;
      const field = p.ImageName !== undefined ? "ImageName" : "ImageIds";
      // Names are unique per region: among the copies of this call too.
      if (named.has(name)) throw invalid("InvalidImageName.Duplicate", field, name, `two copies would have this name in ${region}`, `${region} 将出现同名镜像`);
      named.add(name);
      await checkRoom(deps, ctx.account.appId, region, sources.length, name, field);
      const imageId = randomId("img");
      // Key pairs are regional: the copy's disk has the source's public keys (authorizedKeys), but it carries none of
      // the key pairs, which exist only in the source's region.
      work.push({
        image: { ...source, imageId, region, imageName: name, state: "SYNCING", createdAt: isoSeconds(ctx.now), imageSource: "SYNC_IMAGE", keyIds: [] },
        payload: { imageId, sourceImageId: source.imageId, region },
      });
    }
  }
  if (p.DryRun) return { ImageSet: [] };
  await queue(deps, ctx, work);
  return { ImageSet: p.ImageSetRequired ? work.map((w) => ({ ImageId: w.image.imageId, Region: w.image.region })) : [] };
});

const ARCHITECTURES: Record<string, "x86_64" | "arm"> = { x86_64: "x86_64", i386: "x86_64", arm64: "arm" };

export const importImage = action<cvm.ImportImageRequest, cvm.ImportImageResponse>("cvm", "ImportImage", async (ctx, p, deps) => {
  if (p.ImportImageDataDiskList?.length) throw invalid("UnsupportedOperation", "ImportImageDataDiskList", p.ImportImageDataDiskList.length, "OpenCVM imports system disks only", "OpenCVM 仅支持导入系统盘");
  const licenseType = p.LicenseType ?? "TencentCloud";
  if (!LICENSE_TYPES.includes(licenseType)) throw invalid("InvalidParameterValue.InvalidLicenseType", "LicenseType", licenseType, `use one of ${LICENSE_TYPES.join(", ")}`, `取值为 ${LICENSE_TYPES.join("、")}`);
  const bootMode = p.BootMode ?? "Legacy BIOS";
  if (!BOOT_MODES.includes(bootMode)) throw invalid("InvalidParameterValue.InvalidBootMode", "BootMode", bootMode, `use one of ${BOOT_MODES.join(", ")}`, `取值为 ${BOOT_MODES.join("、")}`);
  // Only the bytes tell an ISO apart, and the service reads them later; a URL that names one is refused now.
  if (!p.Force && /\.iso$/i.test(p.ImageUrl.replace(/[?#].*$/, ""))) {
    throw invalid("InvalidParameterValue.ISOMustImportByForce", "ImageUrl", p.ImageUrl, "an ISO image is imported only with Force", "ISO 镜像须以 Force 强制导入");
  }
  const os = deps.catalog.importableOs.find((o) => o.osName === p.OsType);
  if (!os) throw invalid("InvalidImageOsType.Unsupported", "OsType", p.OsType, `use one of ${deps.catalog.importableOs.map((o) => o.osName).join(", ")} (DescribeImportImageOs)`, "请使用 DescribeImportImageOs 列出的系统");
  if (!os.versions.includes(p.OsVersion)) throw invalid("InvalidImageOsVersion.Unsupported", "OsVersion", p.OsVersion, `${os.osName} imports as ${os.versions.join(", ")}`, `${os.osName} 支持的版本为 ${os.versions.join("、")}`);
  if (!ARCHITECTURES[p.Architecture] || !os.architectures.includes(p.Architecture === "i386" ? "x86_64" : p.Architecture)) {
    throw invalid("InvalidParameterValue", "Architecture", p.Architecture, `${os.osName} imports as ${os.architectures.join(", ")}`, `${os.osName} 支持的架构为 ${os.architectures.join("、")}`);
  }
  // An http(s) URL to a public address, or a file in the operator's import directory (compute/image-source.ts);
  // the engine's fetch checks again, hop by hop.
  try {
    await checkImportSource(p.ImageUrl, deps.imports);
  } catch (e) {
    if (!(e instanceof SourceRefused)) throw e;
    throw invalid("InvalidParameter.InvalidParameterUrlError", "ImageUrl", p.ImageUrl, e.message, `不可导入：${e.message}`);
  }
  if (p.ImageName.length === 0 || p.ImageName.length > 60) throw invalid("InvalidParameterValue.TooLarge", "ImageName", p.ImageName, "an image name has 1-60 characters", "镜像名称长度为 1-60 个字符");
  await checkRoom(deps, ctx.account.appId, ctx.region!, 1, p.ImageName, "ImageName");
  if (p.DryRun) return {};
  const imageId = randomId("img");
  const family = os.family;
  await queue(deps, ctx, [
    {
      image: newImage(ctx, p, {
        imageId,
        state: "IMPORTING",
        osName: `${p.OsType} ${p.OsVersion}`.replace(" -", ""),
        platform: p.OsType,
        family,
        architecture: ARCHITECTURES[p.Architecture],
        loginUser: family === "WINDOWS" ? "Administrator" : p.OsType === "Ubuntu" ? "ubuntu" : "root",
        imageSize: 20,
        imageSource: "IMPORT_IMAGE",
        dataDisks: [],
        keyIds: [],
        authorizedKeys: [],
        licenseType: licenseType as LicenseType,
        bootMode: bootMode as BootMode,
      }),
      payload: { imageId, source: p.ImageUrl, force: p.Force === true },
    },
  ]);
  return {};
});
