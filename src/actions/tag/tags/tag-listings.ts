// The account's tags and tagged resources across its regions: the Get* actions page with a token, the Describe*
// ones with Offset and Limit. A tag exists here while a resource carries it (OpenCVM keeps no tags of their own).
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as tag from "../../../api/generated/tag-types.js";
import { TencentError } from "../../../domain/errors.js";
import type { TaggedResource } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";
import { checkCount, checkTagKey, maxResults, page, paginationStart, target, tokenPage, type Target } from "./tag-checks.js";
import { resourceName } from "./resource-names.js";

type Tag = { key: string; value: string };

/** Every distinct tag on the account's resources, by key then value. */
async function accountTags(ctx: RequestContext, deps: Deps): Promise<Tag[]> {
  const all = new Map<string, Tag>();
  for (const r of await deps.store.tags.resources(ctx.account.appId, {})) for (const t of r.tags) all.set(JSON.stringify([t.key, t.value]), t);
  return [...all.values()].sort((a, b) => a.key.localeCompare(b.key) || a.value.localeCompare(b.value));
}

const distinctKeys = (tags: readonly Tag[]): string[] => [...new Set(tags.map((t) => t.key))];
const apiTag = (t: Tag): tag.Tag => ({ TagKey: t.key, TagValue: t.value, Category: "Custom" });

function checkKeys(action: string, keys: readonly string[] | undefined, max: number): void {
  checkCount(action, "TagKeys", keys?.length ?? 0, max, "LimitExceeded");
  for (const [i, key] of (keys ?? []).entries()) checkTagKey(action, `TagKeys.${i}`, key);
}

/** A resource carries every filter's key, with one of its values when it lists values. */
function carries(r: TaggedResource, filters: readonly tag.TagFilterIn[]): boolean {
  return filters.every((f) => r.tags.some((t) => t.key === f.TagKey && (!f.TagValue?.length || f.TagValue.includes(t.value))));
}

export const getResources = action<tag.GetResourcesRequest, tag.GetResourcesResponse>("tag", "GetResources", async (ctx, p, deps) => {
  const filters = p.TagFilters ?? [];
  checkCount(ctx.action, "TagFilters", filters.length, 6, "LimitExceeded.TagNumPerRequest");
  for (const [i, f] of filters.entries()) {
    checkTagKey(ctx.action, `TagFilters.${i}.TagKey`, f.TagKey);
    checkCount(ctx.action, `TagFilters.${i}.TagValue`, f.TagValue?.length ?? 0, 10, "LimitExceeded.TagValue");
  }
  const start = paginationStart(ctx.action, p.PaginationToken);
  let resources: TaggedResource[];
  let size = maxResults(p.MaxResults, 200);
  if (p.ResourceList?.length) {
    checkCount(ctx.action, "ResourceList", p.ResourceList.length, 10, "LimitExceeded.ResourceNumPerRequest");
    // Named resources are answered whole (MaxResults does not apply); another account's or an unknown one is absent.
    const targets = p.ResourceList.map((name, i) => target(ctx, `ResourceList.${i}`, name)).filter((t): t is Target => !(t instanceof TencentError));
    resources = [];
    for (const t of targets) resources.push(...(await deps.store.tags.resources(ctx.account.appId, { region: t.region, kinds: [t.kind], resourceIds: [t.resourceId] })));
    size = Math.max(resources.length, 1);
  } else {
    resources = (await deps.store.tags.resources(ctx.account.appId, {})).filter((r) => r.tags.length > 0);
  }
  const { items, next } = tokenPage(
    resources.filter((r) => carries(r, filters)),
    start,
    size,
  );
  return {
    PaginationToken: next,
    ResourceTagMappingList: items.map((r) => ({ Resource: resourceName(r.kind, r.region, ctx.account.uin, r.resourceId), Tags: r.tags.map(apiTag) })),
  };
});

export const getTags = action<tag.GetTagsRequest, tag.GetTagsResponse>("tag", "GetTags", async (ctx, p, deps) => {
  checkKeys(ctx.action, p.TagKeys, 20);
  const start = paginationStart(ctx.action, p.PaginationToken);
  const all = (await accountTags(ctx, deps)).filter((t) => !p.TagKeys?.length || p.TagKeys.includes(t.key));
  const { items, next } = tokenPage(all, start, maxResults(p.MaxResults, 1000));
  return { PaginationToken: next, Tags: items.map(apiTag) };
});

export const getTagKeys = action<tag.GetTagKeysRequest, tag.GetTagKeysResponse>("tag", "GetTagKeys", async (ctx, p, deps) => {
  const start = paginationStart(ctx.action, p.PaginationToken);
  const { items, next } = tokenPage(distinctKeys(await accountTags(ctx, deps)), start, maxResults(p.MaxResults, 1000));
  return { PaginationToken: next, TagKeys: items };
});

export const getTagValues = action<tag.GetTagValuesRequest, tag.GetTagValuesResponse>("tag", "GetTagValues", async (ctx, p, deps) => {
  checkKeys(ctx.action, p.TagKeys, 20);
  const start = paginationStart(ctx.action, p.PaginationToken);
  const all = (await accountTags(ctx, deps)).filter((t) => p.TagKeys.includes(t.key));
  const { items, next } = tokenPage(all, start, maxResults(p.MaxResults, 1000));
  return { PaginationToken: next, Tags: items.map(apiTag) };
});

/** CreateUin names the account that made the tags: the caller's or none (another account's are never shown). */
function ownUin(ctx: RequestContext, createUin: number | undefined): boolean {
  return createUin === undefined || String(createUin) === ctx.account.uin;
}

export const describeTagKeys = action<tag.DescribeTagKeysRequest, tag.DescribeTagKeysResponse>("tag", "DescribeTagKeys", async (ctx, p, deps) => {
  const { offset, limit } = page(p, 1000);
  const keys = ownUin(ctx, p.CreateUin) ? distinctKeys(await accountTags(ctx, deps)) : [];
  return { TotalCount: keys.length, Offset: offset, Limit: limit, Tags: keys.slice(offset, offset + limit) };
});

export const describeTagValues = action<tag.DescribeTagValuesRequest, tag.DescribeTagValuesResponse>("tag", "DescribeTagValues", async (ctx, p, deps) => {
  checkKeys(ctx.action, p.TagKeys, 20);
  const { offset, limit } = page(p, 1000);
  const all = ownUin(ctx, p.CreateUin) ? (await accountTags(ctx, deps)).filter((t) => p.TagKeys.includes(t.key)) : [];
  return { TotalCount: all.length, Offset: offset, Limit: limit, Tags: all.slice(offset, offset + limit).map(apiTag) };
});

export const describeTags = action<tag.DescribeTagsRequest, tag.DescribeTagsResponse>("tag", "DescribeTags", async (ctx, p, deps) => {
  checkKeys(ctx.action, p.TagKeys, 20);
  if (p.TagValue !== undefined && p.TagKey === undefined) {
    throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.TagKeyEmpty"], "InvalidParameter"), "TagValue", p.TagValue, "a value is looked up under a TagKey", "按标签值查询时须同时给出 TagKey");
  }
  const { offset, limit } = page(p, 1000);
  const all = ownUin(ctx, p.CreateUin)
    ? (await accountTags(ctx, deps)).filter(
        (t) => (p.TagKey === undefined || t.key === p.TagKey) && (p.TagValue === undefined || t.value === p.TagValue) && (!p.TagKeys?.length || p.TagKeys.includes(t.key)),
      )
    : [];
  // A tag that a resource carries cannot be deleted (unbind it first).
  const Tags = all.slice(offset, offset + limit).map((t) => ({ TagKey: t.key, TagValue: t.value, CanDelete: 0, Category: "Custom" }));
  return { TotalCount: all.length, Offset: offset, Limit: limit, Tags };
});
