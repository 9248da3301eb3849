// Custom images: CreateImage (captured from an instance through the engine: CREATING → NORMAL), DeleteImages,
// ModifyImageAttribute, and sharing with other accounts (ModifyImageSharePermission, DescribeImageSharePermission).
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf, randomId } from "../../../domain/ids.js";
import type { ImageRecord } from "../../../store/store.js";
import { IMAGE_QUOTA } from "./images.js";
import { begin, guard } from "../../../instances/operations.js";
import { namedInstances } from "../instances/instance-operations.js";
import { findKeyPairs } from "../key-pairs/key-pair-inputs.js";
import { booleanString, invalid, unsupported } from "../../shared/refusals.js";
import { newSnapshot } from "../../cbs/snapshots/snapshots.js";

const MAX_NAME = 60;
const MAX_DESCRIPTION = 256;
const MAX_DELETE = 10;
const MAX_SHARE = 10;

function checkName(name: string, field: string): void {
  if (name.length === 0 || name.length > MAX_NAME) throw invalid("InvalidParameterValue.TooLarge", field, name, `an image name has 1-${MAX_NAME} characters`, `镜像名称长度为 1-${MAX_NAME} 个字符`);
}

function checkDescription(text: string | undefined, field: string): void {
  if (text !== undefined && text.length > MAX_DESCRIPTION) {
    throw invalid("InvalidParameterValue.TooLarge", field, `${text.slice(0, 20)}…`, `a description has at most ${MAX_DESCRIPTION} characters`, `描述最多 ${MAX_DESCRIPTION} 个字符`);
  }
}

function checkFamily(family: string | undefined): void {
  if (family !== undefined && !/^[A-Za-z][A-Za-z0-9._-]{0,59}$/.test(family)) {
    throw invalid("InvalidParameterValue.InvalidImageFamily", "ImageFamily", family, "a family is 1-60 letters, digits, dots, dashes and underscores, starting with a letter", "镜像族为 1-60 个字母、数字、点、连字符或下划线，以字母开头");
  }
}

/** What a new image of the caller's takes from the request that makes it, beside what the caller says about it. */
export function newImage(
  ctx: RequestContext,
  p: { ImageName: string; ImageDescription?: string; ImageFamily?: string; TagSpecification?: cvm.TagSpecificationIn[] },
  rest: Pick<ImageRecord, "imageId" | "state" | "osName" | "platform" | "family" | "architecture" | "loginUser" | "imageSize" | "imageSource" | "dataDisks" | "keyIds" | "authorizedKeys" | "licenseType" | "bootMode">,
): ImageRecord {
  return {
    ...rest,
    appId: ctx.account.appId,
    region: ctx.region!,
    imageName: p.ImageName,
    createdAt: isoSeconds(ctx.now),
    imageDescription: p.ImageDescription ?? "",
    imageFamily: p.ImageFamily ?? "",
    deprecated: false,
    tags: (p.TagSpecification ?? []).filter((t) => t.ResourceType === "image").flatMap((t) => t.Tags.map((x) => ({ key: x.Key, value: x.Value }))),
  };
}

/** Whether the image is another account's, shared with the caller in this region (who may launch from it, and do nothing else). */
export async function sharedWithCaller(deps: Deps, ctx: RequestContext, imageId: string): Promise<boolean> {
  const image = isIdOf("img", imageId) ? await deps.store.images.get(imageId) : undefined;
  return Boolean(image && image.appId !== ctx.account.appId && image.region === ctx.region && (await deps.store.images.shares(imageId)).some((s) => s.appId === ctx.account.appId));
}

/** The caller's own custom image, or the documented refusal. */
export async function ownImage(deps: Deps, ctx: RequestContext, imageId: string, field: string): Promise<ImageRecord> {
  if (!isIdOf("img", imageId)) throw invalid("InvalidImageId.Malformed", field, imageId, "expected img-xxxxxxxx", "格式应为 img-xxxxxxxx");
  const image = await deps.store.images.get(imageId);
  if (!image || image.appId !== ctx.account.appId || image.region !== ctx.region) {
    throw invalid("InvalidImageId.NotFound", field, imageId, `you have no such custom image in ${ctx.region}`, `${ctx.region} 不存在您的该自定义镜像`);
  }
  return image;
}

export const createImage = action<cvm.CreateImageRequest, cvm.CreateImageResponse>("cvm", "CreateImage", async (ctx, p, deps) => {
  if (p.SnapshotIds?.length) {
    const held = new Set((await deps.store.snapshots.list(ctx.account.appId, ctx.region!)).map((x) => x.snapshotId));
    for (const [i, id] of p.SnapshotIds.entries()) {
      if (!held.has(id)) throw invalid("InvalidParameter.SnapshotNotFound", `SnapshotIds.${i}`, id, `no such snapshot in ${ctx.region}`, `${ctx.region} 不存在该快照`);
    }
    // An image made of existing snapshots is not built: only one captured from an instance.
    throw unsupported("SnapshotIds");
  }
  if (!p.InstanceId) throw fail("MissingParameter", "The request is missing the parameter `InstanceId`.", "缺少参数 `InstanceId`。");
  checkName(p.ImageName, "ImageName");
  checkDescription(p.ImageDescription, "ImageDescription");
  checkFamily(p.ImageFamily);
  const forcePoweroff = booleanString(p.ForcePoweroff, "ForcePoweroff");
  booleanString(p.Sysprep, "Sysprep");
  const [instance] = await namedInstances(ctx, deps.store, [p.InstanceId], "InstanceId");
  guard(ctx.action, [instance]);
  const dataDisks = (p.DataDiskIds ?? []).map((id, i) => {
    if (id === instance.doc.SystemDisk.DiskId) throw invalid("InvalidParameter.DataDiskIdContainsRootDisk", `DataDiskIds.${i}`, id, "this is the system disk", "该盘是系统盘");
    const disk = instance.doc.DataDisks.find((d) => d.DiskId === id);
    if (!disk) throw invalid("InvalidParameter.DataDiskNotBelongSpecifiedInstance", `DataDiskIds.${i}`, id, `instance ${instance.instanceId} has no such data disk`, `实例 ${instance.instanceId} 没有该数据盘`);
    return { DiskType: disk.DiskType, DiskSize: disk.DiskSize };
  });
  if (await deps.store.images.nameTaken(ctx.account.appId, ctx.region!, p.ImageName)) {
    throw invalid("InvalidImageName.Duplicate", "ImageName", p.ImageName, "you have an image of this name already", "已有同名镜像");
  }
  if ((await deps.store.images.countOwned(ctx.account.appId, ctx.region!)) >= IMAGE_QUOTA) {
    throw fail("ImageQuotaLimitExceeded", `You have ${IMAGE_QUOTA} custom images in ${ctx.region}, the quota.`, `您在 ${ctx.region} 的自定义镜像已达配额 ${IMAGE_QUOTA} 个。`);
  }
  if (p.DryRun) return { ImageId: "" };
  const source = deps.catalog.image(instance.imageId) ?? (await deps.store.images.get(instance.imageId));
  // The image keeps the instance's key pairs, as the real cloud does: they log in to what is launched from it with
  // KeepImageLogin, and cannot be deleted while it exists. A bound key pair cannot have been deleted.
  const keys = await findKeyPairs(deps.store, ctx, instance.keyIds, "InstanceId");
  const imageId = randomId("img");
  await deps.store.transaction(async (tx) => {
    await tx.images.insert(
      newImage(ctx, p, {
        imageId,
        state: "CREATING",
        osName: instance.doc.OsName,
        platform: source?.platform ?? "",
        family: instance.doc.Platform,
        architecture: source?.architecture ?? "x86_64",
        loginUser: instance.doc.DefaultLoginUser,
        imageSize: instance.doc.SystemDisk.DiskSize,
        imageSource: "CREATE_IMAGE",
        dataDisks,
        keyIds: instance.keyIds,
        authorizedKeys: keys.map((k) => k.publicKey),
      }),
    );
    // One snapshot of each disk it captures (DescribeImages' SnapshotSet), finished with the image.
    const captured = await tx.disks.find(ctx.account.appId, ctx.region!, [instance.doc.SystemDisk.DiskId, ...(p.DataDiskIds ?? [])]);
    await tx.snapshots.insert(captured.map((d) => newSnapshot(d, ctx.now, { snapshotName: `${p.ImageName}-${d.diskUsage === "SYSTEM_DISK" ? "system" : d.diskId}`, imageId, tags: [] })));
    await begin(deps, ctx, ctx.action, [instance], { imageId, forcePoweroff }, tx);
  });
  deps.engine.kick();
  return { ImageId: imageId };
});

export const deleteImages = action<cvm.DeleteImagesRequest, cvm.DeleteImagesResponse>("cvm", "DeleteImages", async (ctx, p, deps) => {
  if (p.ImageIds.length > MAX_DELETE) throw invalid("InvalidParameterValue.LimitExceeded", "ImageIds", p.ImageIds.length, `at most ${MAX_DELETE} images per call`, `每次最多 ${MAX_DELETE} 个镜像`);
  const images: ImageRecord[] = [];
  for (const [i, id] of p.ImageIds.entries()) {
    const image = await ownImage(deps, ctx, id, `ImageIds.${i}`);
    if (image.state !== "NORMAL" && image.state !== "CREATEFAILED" && image.state !== "IMPORTFAILED") {
      throw invalid("InvalidImageId.IncorrectState", `ImageIds.${i}`, id, `the image is ${image.state}`, `镜像处于 ${image.state} 状态`);
    }
    if ((await deps.store.images.shares(id)).length) {
      throw invalid("InvalidImageId.InShared", `ImageIds.${i}`, id, "the image is shared; cancel the sharing first", "镜像正在共享，请先取消共享");
    }
    images.push(image);
  }
  if (p.DryRun) return {};
  await deps.store.transaction(async (tx) => {
    for (const image of images) {
      // Its snapshots stay, no longer bound to an image, unless DeleteBindedSnap deletes them too.
      if (p.DeleteBindedSnap) await tx.snapshots.remove((await tx.snapshots.ofImages([image.imageId])).map((s) => s.snapshotId));
      else await tx.snapshots.release(image.imageId);
      await tx.images.remove(image.imageId);
    }
  });
  return {};
});

export const modifyImageAttribute = action<cvm.ModifyImageAttributeRequest, cvm.ModifyImageAttributeResponse>("cvm", "ModifyImageAttribute", async (ctx, p, deps) => {
  if (await sharedWithCaller(deps, ctx, p.ImageId)) {
    throw invalid("UnsupportedOperation.SharedImageModifyUnsupported", "ImageId", p.ImageId, "an image shared with you belongs to its owner", "共享镜像只能由其所有者修改");
  }
  const image = await ownImage(deps, ctx, p.ImageId, "ImageId");
  if (p.ImageName !== undefined) {
    checkName(p.ImageName, "ImageName");
    if (await deps.store.images.nameTaken(ctx.account.appId, ctx.region!, p.ImageName, image.imageId)) {
      throw invalid("InvalidImageName.Duplicate", "ImageName", p.ImageName, "you have an image of this name already", "已有同名镜像");
    }
  }
  checkDescription(p.ImageDescription, "ImageDescription");
  checkFamily(p.ImageFamily);
  if (image.state !== "NORMAL") throw invalid("InvalidImageId.IncorrectState", "ImageId", p.ImageId, `the image is ${image.state}`, `镜像处于 ${image.state} 状态`);
  await deps.store.images.update(image.imageId, {
    ...(p.ImageName !== undefined ? { imageName: p.ImageName } : {}),
    ...(p.ImageDescription !== undefined ? { imageDescription: p.ImageDescription } : {}),
    ...(p.ImageFamily !== undefined ? { imageFamily: p.ImageFamily } : {}),
    ...(p.ImageDeprecated !== undefined ? { deprecated: p.ImageDeprecated } : {}),
  });
  return {};
});

export const modifyImageSharePermission = action<cvm.ModifyImageSharePermissionRequest, cvm.ModifyImageSharePermissionResponse>(
  "cvm",
  "ModifyImageSharePermission",
  async (ctx, p, deps) => {
    if (p.Permission !== "SHARE" && p.Permission !== "CANCEL") throw invalid("InvalidParameterValue", "Permission", p.Permission, "use SHARE or CANCEL", "取值应为 SHARE 或 CANCEL");
    if (p.AccountIds.length > MAX_SHARE) throw invalid("InvalidParameterValue.LimitExceeded", "AccountIds", p.AccountIds.length, `at most ${MAX_SHARE} accounts per call`, `每次最多 ${MAX_SHARE} 个账号`);
    const image = await ownImage(deps, ctx, p.ImageId, "ImageId");
    if (image.state !== "NORMAL") throw invalid("InvalidParameterValue.InvalidImageState", "ImageId", p.ImageId, `the image is ${image.state}`, `镜像处于 ${image.state} 状态`);
    // Read and written in one transaction: two racing shares with one account cannot both pass the check.
    await deps.store.transaction(async (tx) => {
      const current = new Set((await tx.images.shares(image.imageId)).map((s) => s.appId));
      const appIds: number[] = [];
      for (const [i, uin] of p.AccountIds.entries()) {
        // Accounts are named by their root account id, the Uin.
        const account = await tx.accounts.byUin(uin);
        if (!account) throw invalid("InvalidAccountId.NotFound", `AccountIds.${i}`, uin, "no such account", "账号不存在");
        if (account.appId === ctx.account.appId) throw invalid("InvalidAccountIs.YourSelf", `AccountIds.${i}`, uin, "this is your own account", "不能共享给自己");
        if (p.Permission === "SHARE" && current.has(account.appId)) throw invalid("FailedOperation.AccountAlreadyExists", `AccountIds.${i}`, uin, "the image is shared with this account already", "镜像已共享给该账号");
        if (appIds.includes(account.appId)) throw invalid("InvalidParameterValue", `AccountIds.${i}`, uin, "the account is given twice", "账号重复");
        appIds.push(account.appId);
      }
      if (p.Permission === "SHARE") await tx.images.share(image.imageId, appIds);
      else await tx.images.unshare(image.imageId, appIds);
    });
    return {};
  },
);

export const describeImageSharePermission = action<cvm.DescribeImageSharePermissionRequest, cvm.DescribeImageSharePermissionResponse>(
  "cvm",
  "DescribeImageSharePermission",
  async (ctx, p, deps) => {
    const image = await ownImage(deps, ctx, p.ImageId, "ImageId");
    const shares = await deps.store.images.shares(image.imageId);
    const set: cvm.SharePermission[] = [];
    for (const s of shares) set.push({ AccountId: (await deps.store.accounts.byAppId(s.appId))!.uin, CreatedTime: s.createdAt });
    return { SharePermissionSet: set };
  },
);
