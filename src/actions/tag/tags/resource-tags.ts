// The tags of named resources: read by resource id (what the Terraform provider's every Read calls) and changed by
// six-segment name, on the same tags the resources' own actions write and show (store.tags).
import { createHash } from "node:crypto";
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as tag from "../../../api/generated/tag-types.js";
import { errors, TencentError } from "../../../domain/errors.js";
import type { TaggedResource } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";
import { checkCount, checkTagKey, checkTagTotal, checkTagValue, notFound, page, target, type Target } from "./tag-checks.js";
import { kindOf, kindsMatching, namingOf } from "./resource-names.js";

type Tag = { key: string; value: string };

/** Resources and tags per request of TagResources, UnTagResources and ModifyResourceTags (N is 0 to 9). */
const PER_REQUEST = 10;

const md5 = (text: string) => createHash("md5").update(text).digest("hex");

function tagRows(resources: readonly TaggedResource[]): tag.TagResource[] {
  return resources.flatMap((r) =>
    r.tags.map((t) => ({ TagKey: t.key, TagValue: t.value, ResourceId: r.resourceId, TagKeyMd5: md5(t.key), TagValueMd5: md5(t.value), ServiceType: namingOf(r.kind).service, Category: "Custom" })),
  );
}

function checkRegion(ctx: RequestContext, deps: Deps, region: string | undefined): string | undefined {
  if (!region) return undefined;
  if (!deps.catalog.region(region)) throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.RegionInvalid"]), "ResourceRegion", region, "no such region", "地域不存在");
  return region;
}

export const describeResourceTagsByResourceIds = action<tag.DescribeResourceTagsByResourceIdsRequest, tag.DescribeResourceTagsByResourceIdsResponse>(
  "tag",
  "DescribeResourceTagsByResourceIds",
  async (ctx, p, deps) => {
    checkCount(ctx.action, "ResourceIds", p.ResourceIds.length, 50, "LimitExceeded.ResourceNumPerRequest");
    const { offset, limit } = page(p, 1000);
    const region = checkRegion(ctx, deps, p.ResourceRegion);
    // A kind of resource OpenCVM does not keep has no tags here, as a resource that does not exist has none.
    const kind = kindOf(p.ServiceType, p.ResourcePrefix);
    const found = kind ? await deps.store.tags.resources(ctx.account.appId, { region, kinds: [kind], resourceIds: p.ResourceIds }) : [];
    const rows = tagRows(found).map((r) => ({ ...r, ServiceType: p.ServiceType }));
    return { TotalCount: rows.length, Offset: offset, Limit: limit, Tags: rows.slice(offset, offset + limit) };
  },
);

export const describeResourceTags = action<tag.DescribeResourceTagsRequest, tag.DescribeResourceTagsResponse>("tag", "DescribeResourceTags", async (ctx, p, deps) => {
  const { offset, limit } = page(p, 1000);
  const region = checkRegion(ctx, deps, p.ResourceRegion);
  const mine = p.CreateUin === undefined || String(p.CreateUin) === ctx.account.uin;
  const kinds = kindsMatching(p.ServiceType, p.ResourcePrefix);
  const found = mine && kinds.length ? await deps.store.tags.resources(ctx.account.appId, { region, kinds, resourceIds: p.ResourceId ? [p.ResourceId] : undefined }) : [];
  const rows = tagRows(found);
  return { TotalCount: rows.length, Offset: offset, Limit: limit, Rows: rows.slice(offset, offset + limit) };
});

function checkTags(action: string, field: string, tags: readonly tag.TagIn[]): Tag[] {
  checkCount(action, field, tags.length, PER_REQUEST, "LimitExceeded.TagNumPerRequest");
  const seen = new Set<string>();
  for (const [i, t] of tags.entries()) {
    checkTagKey(action, `${field}.${i}.TagKey`, t.TagKey);
    checkTagValue(action, `${field}.${i}.TagValue`, t.TagValue);
    if (seen.has(t.TagKey)) throw invalid(documentedCode(action, ["InvalidParameterValue.TagKeyDuplicate"]), `${field}.${i}.TagKey`, t.TagKey, "the key is given twice", "标签键重复");
    seen.add(t.TagKey);
  }
  return tags.map((t) => ({ key: t.TagKey, value: t.TagValue }));
}

/** Applies a change to one resource's tags in one transaction; a refusal when the resource is not the caller's. */
async function change(ctx: RequestContext, deps: Deps, field: string, name: string, t: Target, edit: (tags: Tag[]) => Tag[]): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const [found] = await tx.tags.resources(ctx.account.appId, { region: t.region, kinds: [t.kind], resourceIds: [t.resourceId] });
    if (!found) throw notFound(field, name);
    const next = edit(found.tags);
    checkTagTotal(ctx.action, field, next.length);
    await tx.tags.replace(ctx.account.appId, t.region, t.kind, t.resourceId, next);
  });
}

const withTags = (tags: readonly Tag[], set: readonly Tag[]): Tag[] => [...tags.filter((t) => !set.some((s) => s.key === t.key)), ...set];
const withoutKeys = (tags: readonly Tag[], keys: readonly string[]): Tag[] => tags.filter((t) => !keys.includes(t.key));

export const modifyResourceTags = action<tag.ModifyResourceTagsRequest, tag.ModifyResourceTagsResponse>("tag", "ModifyResourceTags", async (ctx, p, deps) => {
  const replace = checkTags(ctx.action, "ReplaceTags", p.ReplaceTags ?? []);
  const deleted = p.DeleteTags ?? [];
  checkCount(ctx.action, "DeleteTags", deleted.length, PER_REQUEST, "LimitExceeded.TagNumPerRequest");
  if (replace.length === 0 && deleted.length === 0) throw errors.missingParameter("ReplaceTags");
  for (const [i, d] of deleted.entries()) {
    checkTagKey(ctx.action, `DeleteTags.${i}.TagKey`, d.TagKey);
    if (replace.some((r) => r.key === d.TagKey)) {
      throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.DeleteTagsParamError"]), `DeleteTags.${i}.TagKey`, d.TagKey, "the key is also in ReplaceTags", "该标签键同时出现在 ReplaceTags 中");
    }
  }
  const t = target(ctx, "Resource", p.Resource);
  if (t instanceof TencentError) throw t;
  const keys = deleted.map((d) => d.TagKey);
  await change(ctx, deps, "Resource", p.Resource, t, (tags) => withTags(withoutKeys(tags, keys), replace));
  return {};
});

/** Runs a change on each named resource; those it cannot apply to are reported, not thrown. */
async function eachResource(ctx: RequestContext, deps: Deps, names: readonly string[], edit: (tags: Tag[]) => Tag[]): Promise<tag.FailedResource[]> {
  checkCount(ctx.action, "ResourceList", names.length, PER_REQUEST, "LimitExceeded.ResourceNumPerRequest");
  const targets = names.map((name, i) => target(ctx, `ResourceList.${i}`, name));
  const failed: tag.FailedResource[] = [];
  for (const [i, t] of targets.entries()) {
    try {
      if (t instanceof TencentError) throw t;
      await change(ctx, deps, `ResourceList.${i}`, names[i], t, edit);
    } catch (e) {
      if (!(e instanceof TencentError)) throw e;
      failed.push({ Resource: names[i], Code: e.code, Message: e.text(ctx.language) });
    }
  }
  // A request that could change none of the resources it names is refused, as a missing resource is elsewhere.
  if (names.length > 0 && failed.length === names.length) {
    const first = targets.find((t): t is TencentError => t instanceof TencentError);
    throw first ?? notFound("ResourceList.0", names[0]);
  }
  return failed;
}

export const tagResources = action<tag.TagResourcesRequest, tag.TagResourcesResponse>("tag", "TagResources", async (ctx, p, deps) => {
  const tags = checkTags(ctx.action, "Tags", p.Tags);
  return { FailedResources: await eachResource(ctx, deps, p.ResourceList, (current) => withTags(current, tags)) };
});

export const unTagResources = action<tag.UnTagResourcesRequest, tag.UnTagResourcesResponse>("tag", "UnTagResources", async (ctx, p, deps) => {
  checkCount(ctx.action, "TagKeys", p.TagKeys.length, PER_REQUEST, "LimitExceeded.TagNumPerRequest");
  for (const [i, key] of p.TagKeys.entries()) checkTagKey(ctx.action, `TagKeys.${i}`, key);
  return { FailedResources: await eachResource(ctx, deps, p.ResourceList, (current) => withoutKeys(current, p.TagKeys)) };
});
