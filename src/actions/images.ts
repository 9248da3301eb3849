// DescribeImages, DescribeImageFromFamily, DescribeImportImageOs and DescribeImageQuota, answered from the public
// images of the catalog. Filtering happens in memory: an account sees at most a few hundred images.
import { action } from "../api/action.js";
import type * as cvm from "../api/generated/cvm-types.js";
import { IMPORTABLE_OS } from "../catalog/images.js";
import type { ImageEntry } from "../domain/catalog.js";
import { fail } from "../domain/errors.js";
import { isIdOf } from "../domain/ids.js";
import { paging } from "./describe-instances.js";
import { checkInstanceType } from "./instance-inputs.js";

const MAX_FILTERS = 10;
const MAX_VALUES = 5;
/** Custom images per account and region (limits.md §4). */
export const IMAGE_QUOTA = 500;
const IMAGE_TYPES = ["PUBLIC_IMAGE", "PRIVATE_IMAGE", "SHARED_IMAGE"];

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

type Match = (i: ImageEntry) => boolean;

const contains = (haystack: string, needles: string[]) => needles.some((n) => haystack.toLowerCase().includes(n.toLowerCase()));

/** One filter as a predicate; filters AND together, the values of one filter OR. */
function filter(name: string, values: string[], i: number): Match {
  switch (name) {
    case "image-id":
      for (const v of values) if (!isIdOf("img", v)) throw fail("InvalidImageId.Malformed", `Filter image-id value \`${v}\` is malformed (expected img-xxxxxxxx).`, `过滤条件 image-id 的取值 \`${v}\` 格式错误（应为 img-xxxxxxxx）。`);
      return (img) => values.includes(img.imageId);
    case "image-type": {
      const bad = values.find((v) => !IMAGE_TYPES.includes(v));
      if (bad !== undefined) throw fail("InvalidParameterValue", `Filter image-type value \`${bad}\` is not one of ${IMAGE_TYPES.join(", ")}.`, `过滤条件 image-type 的取值 \`${bad}\` 应为 ${IMAGE_TYPES.join("、")}。`);
      return () => values.includes("PUBLIC_IMAGE");
    }
    case "image-name":
      return (img) => contains(img.osName, values);
    case "platform":
      return (img) => contains(img.platform, values);
    case "image-family":
      return (img) => values.includes(img.imageFamily);
    // Public images carry no tags and live in no dedicated cluster.
    case "tag-key":
    case "tag-value":
    case "dedicated-cluster-id":
    case "cdc-cache-status":
      return () => false;
  }
  if (name.startsWith("tag:") && name.length > 4) return () => false;
  throw fail(
    "InvalidFilter",
    `Unknown filter \`${name}\` (Filters.${i}); DescribeImages filters on image-id, image-type, image-name, platform, image-family, tag-key, tag-value, tag:<key>, dedicated-cluster-id and cdc-cache-status.`,
    `不支持过滤条件 \`${name}\`（Filters.${i}）。`,
  );
}

export const describeImages = action<cvm.DescribeImagesRequest, cvm.DescribeImagesResponse>("cvm", "DescribeImages", (_ctx, p, { catalog }) => {
  if (p.ImageIds?.length && p.Filters?.length) {
    throw fail("InvalidParameter.InvalidParameterCoexistImageIdsFilters", "ImageIds and Filters cannot be given together.", "ImageIds 与 Filters 不能同时指定。");
  }
  const { offset, limit } = paging(p);
  const matches: Match[] = [];
  if (p.ImageIds?.length) {
    const bad = p.ImageIds.find((id) => !isIdOf("img", id));
    if (bad !== undefined) throw fail("InvalidImageId.Malformed", `The image id \`${bad}\` in \`ImageIds\` is malformed (expected img-xxxxxxxx).`, `\`ImageIds\` 中的镜像 ID \`${bad}\` 格式错误（应为 img-xxxxxxxx）。`);
    matches.push((img) => p.ImageIds!.includes(img.imageId));
  }
  const filters = p.Filters ?? [];
  if (filters.length > MAX_FILTERS || filters.some((f) => f.Values.length > MAX_VALUES)) {
    throw fail("InvalidFilterValue.LimitExceeded", `At most ${MAX_FILTERS} filters of at most ${MAX_VALUES} values each.`, `过滤条件最多 ${MAX_FILTERS} 个，每个最多 ${MAX_VALUES} 个取值。`);
  }
  filters.forEach((f, i) => matches.push(filter(f.Name, f.Values, i)));
  if (p.InstanceType !== undefined) {
    // Only images the type can boot: the same architecture.
    const type = checkInstanceType(catalog, p.InstanceType, "InstanceType");
    matches.push((img) => img.architecture === type.architecture);
  }
  const found = catalog.images().filter((img) => matches.every((m) => m(img)));
  return { TotalCount: found.length, ImageSet: found.slice(offset, offset + limit).map(imageView) };
});

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

export const describeImportImageOs = action<cvm.DescribeImportImageOsRequest, cvm.DescribeImportImageOsResponse>("cvm", "DescribeImportImageOs", () => ({
  ImportImageOsListSupported: {
    Linux: IMPORTABLE_OS.filter((o) => o.family === "LINUX").map((o) => o.osName),
    Windows: IMPORTABLE_OS.filter((o) => o.family === "WINDOWS").map((o) => o.osName),
  },
  ImportImageOsVersionSet: IMPORTABLE_OS.map((o) => ({ OsName: o.osName, OsVersions: o.versions, Architecture: o.architectures })),
}));

export const describeImageQuota = action<cvm.DescribeImageQuotaRequest, cvm.DescribeImageQuotaResponse>("cvm", "DescribeImageQuota", () => ({
  ImageNumQuota: IMAGE_QUOTA,
}));
