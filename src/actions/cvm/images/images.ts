// DescribeImages, DescribeImageFromFamily, DescribeImportImageOs and DescribeImageQuota: the public images of the
// catalog, the account's own custom images and those shared with it. Filtering happens on the answers, in memory:
// an account sees at most a few hundred images.
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { ImageEntry } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import type { ImageRecord, SnapshotRecord } from "../../../store/store.js";
import { paging } from "../instances/describe-instances.js";
import { checkInstanceType } from "../instances/instance-inputs.js";

const MAX_FILTERS = 10;
const MAX_VALUES = 5;
/** Custom images per account and region (limits.md §4). */
export const IMAGE_QUOTA = 500;
const IMAGE_TYPES = ["PUBLIC_IMAGE", "PRIVATE_IMAGE", "SHARED_IMAGE"];

export function customImageView(i: ImageRecord, shared: boolean, creatorUin: string, snapshots: readonly SnapshotRecord[]): cvm.Image {
  return {
    ImageId: i.imageId,
    OsName: i.osName,
    ImageType: shared ? "SHARED_IMAGE" : "PRIVATE_IMAGE",
    CreatedTime: i.createdAt,
    ImageName: i.imageName,
    ImageDescription: i.imageDescription,
    ImageSize: i.imageSize,
    Architecture: i.architecture,
    ImageState: i.state,
    Platform: i.platform,
    ImageCreator: creatorUin,
    ImageSource: i.imageSource,
    SyncPercent: i.state === "NORMAL" ? 100 : 0,
    IsSupportCloudinit: true,
    SnapshotSet: snapshots.map((s) => ({ SnapshotId: s.snapshotId, DiskUsage: s.diskUsage, DiskSize: s.diskSize })),
    Tags: i.tags.map((t) => ({ Key: t.key, Value: t.value })),
    LicenseType: i.licenseType ?? "TencentCloud",
    ImageFamily: i.imageFamily,
    ImageDeprecated: i.deprecated,
  };
}

export function imageView(i: ImageEntry): cvm.Image {
  return {
    ImageId: i.imageId,
    OsName: i.osName,
    ImageType: "PUBLIC_IMAGE",
    CreatedTime: i.createdTime,
    ImageName: i.osName,
    ImageDescription: i.osName,
    ImageSize: i.imageSize,
    Architecture: i.architecture,
    ImageState: "NORMAL",
    Platform: i.platform,
    ImageCreator: "",
    ImageSource: "OFFICIAL",
    SyncPercent: 0,
    IsSupportCloudinit: true,
    SnapshotSet: [],
    Tags: [],
    LicenseType: "TencentCloud",
    ImageFamily: i.imageFamily,
    ImageDeprecated: false,
  };
}

type Match = (i: cvm.Image) => boolean;

const contains = (haystack: string, needles: string[]) => needles.some((n) => haystack.toLowerCase().includes(n.toLowerCase()));

/** One filter as a predicate; filters AND together, the values of one filter OR. */
function filter(name: string, values: string[], i: number): Match {
  switch (name) {
    case "image-id":
      for (const v of values) if (!isIdOf("img", v)) throw fail("InvalidImageId.Malformed", `Filter image-id value \`${v}\` is malformed (expected img-xxxxxxxx).`, `过滤条件 image-id 的取值 \`${v}\` 格式错误（应为 img-xxxxxxxx）。`);
      return (img) => values.includes(img.ImageId);
    case "image-type": {
      const bad = values.find((v) => !IMAGE_TYPES.includes(v));
      if (bad !== undefined) throw fail("InvalidParameterValue", `Filter image-type value \`${bad}\` is not one of ${IMAGE_TYPES.join(", ")}.`, `过滤条件 image-type 的取值 \`${bad}\` 应为 ${IMAGE_TYPES.join("、")}。`);
      return (img) => values.includes(img.ImageType);
    }
    case "image-name":
      return (img) => contains(img.ImageName, values);
    case "platform":
      return (img) => contains(img.Platform, values);
    case "image-family":
      return (img) => values.includes(img.ImageFamily ?? "");
    case "tag-key":
      return (img) => img.Tags.some((t) => values.includes(t.Key));
    case "tag-value":
      return (img) => img.Tags.some((t) => values.includes(t.Value));
    // No image lives in a dedicated cluster here.
    case "dedicated-cluster-id":
    case "cdc-cache-status":
      return () => false;
  }
  if (name.startsWith("tag:") && name.length > 4) return (img) => img.Tags.some((t) => t.Key === name.slice(4) && values.includes(t.Value));
  throw fail(
    "InvalidFilter",
    `Unknown filter \`${name}\` (Filters.${i}); DescribeImages filters on image-id, image-type, image-name, platform, image-family, tag-key, tag-value, tag:<key>, dedicated-cluster-id and cdc-cache-status.`,
    `不支持过滤条件 \`${name}\`（Filters.${i}）。`,
  );
}

export const describeImages = action<cvm.DescribeImagesRequest, cvm.DescribeImagesResponse>("cvm", "DescribeImages", async (ctx, p, deps) => {
  const { catalog } = deps;
  if (p.ImageIds?.length && p.Filters?.length) {
    throw fail("InvalidParameter.InvalidParameterCoexistImageIdsFilters", "ImageIds and Filters cannot be given together.", "ImageIds 与 Filters 不能同时指定。");
  }
  const { offset, limit } = paging(p);
  const matches: Match[] = [];
  if (p.ImageIds?.length) {
    const bad = p.ImageIds.find((id) => !isIdOf("img", id));
    if (bad !== undefined) throw fail("InvalidImageId.Malformed", `The image id \`${bad}\` in \`ImageIds\` is malformed (expected img-xxxxxxxx).`, `\`ImageIds\` 中的镜像 ID \`${bad}\` 格式错误（应为 img-xxxxxxxx）。`);
    matches.push((img) => p.ImageIds!.includes(img.ImageId));
  }
  const filters = p.Filters ?? [];
  if (filters.length > MAX_FILTERS || filters.some((f) => f.Values.length > MAX_VALUES)) {
    throw fail("InvalidFilterValue.LimitExceeded", `At most ${MAX_FILTERS} filters of at most ${MAX_VALUES} values each.`, `过滤条件最多 ${MAX_FILTERS} 个，每个最多 ${MAX_VALUES} 个取值。`);
  }
  filters.forEach((f, i) => matches.push(filter(f.Name, f.Values, i)));
  if (p.InstanceType !== undefined) {
    // Only images the type can boot: the same architecture.
    const type = checkInstanceType(catalog, p.InstanceType, "InstanceType", ctx.action);
    matches.push((img) => img.Architecture === type.architecture);
  }
  const found = (await visibleImages(ctx, deps)).filter((img) => matches.every((m) => m(img)));
  return { TotalCount: found.length, ImageSet: found.slice(offset, offset + limit) };
});

/** What the account may use in the request's region: its own and shared custom images, newest first, then public. */
async function visibleImages(ctx: RequestContext, deps: Deps): Promise<cvm.Image[]> {
  const custom = await deps.store.images.visible(ctx.account.appId, ctx.region!);
  const snapshots = await deps.store.snapshots.ofImages(custom.map((c) => c.image.imageId));
  const creators = new Map<number, string>();
  const out: cvm.Image[] = [];
  for (const { image, shared } of custom) {
    if (!creators.has(image.appId)) creators.set(image.appId, (await deps.store.accounts.byAppId(image.appId))?.uin ?? "");
    out.push(customImageView(image, shared, creators.get(image.appId)!, snapshots.filter((s) => s.imageId === image.imageId)));
  }
  return [...out, ...deps.catalog.images().map(imageView)];
}

export const describeImageFromFamily = action<cvm.DescribeImageFromFamilyRequest, cvm.DescribeImageFromFamilyResponse>(
  "cvm",
  "DescribeImageFromFamily",
  (_ctx, p, { catalog }) => {
    if (!p.ImageFamily) throw fail("MissingParameter", "The request is missing the parameter `ImageFamily`.", "缺少参数 `ImageFamily`。");
    // The newest image of the family.
    const family = catalog.images().filter((i) => i.imageFamily === p.ImageFamily);
    const newest = family.sort((a, b) => b.createdTime.localeCompare(a.createdTime))[0];
    return { Image: newest ? imageView(newest) : null };
  },
);

export const describeImportImageOs = action<cvm.DescribeImportImageOsRequest, cvm.DescribeImportImageOsResponse>("cvm", "DescribeImportImageOs", (_ctx, _p, deps) => {
  const systems = deps.catalog.importableOs;
  return {
    ImportImageOsListSupported: {
      Linux: systems.filter((o) => o.family === "LINUX").map((o) => o.osName),
      Windows: systems.filter((o) => o.family === "WINDOWS").map((o) => o.osName),
    },
    ImportImageOsVersionSet: systems.map((o) => ({ OsName: o.osName, OsVersions: o.versions, Architecture: o.architectures })),
  };
});

export const describeImageQuota = action<cvm.DescribeImageQuotaRequest, cvm.DescribeImageQuotaResponse>("cvm", "DescribeImageQuota", () => ({
  ImageNumQuota: IMAGE_QUOTA,
}));
