// What the VPC-service actions share: their string-typed paging, id and name checks, tags, in-memory filters and
// the service's time format.
import type * as vpc from "../../../api/generated/vpc-types.js";
import { spacedTime } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

export const MAX_NAME_BYTES = 60;

/** Offset and Limit are strings in these models ("0", "20"); Limit is at most 100. */
export function vpcPaging(p: { Offset?: string; Limit?: string }): { offset: number; limit: number } {
  const number = (v: string | undefined, field: string, fallback: number) => {
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v)) throw invalid("InvalidParameterValue.Malformed", field, v, "it must be a non-negative integer", "应为非负整数");
    return Number(v);
  };
  const offset = number(p.Offset, "Offset", 0);
  const limit = number(p.Limit, "Limit", 20);
  if (limit > 100) throw invalid("InvalidParameterValue.LimitExceeded", "Limit", p.Limit, "it must be at most 100", "最大为 100");
  return { offset, limit };
}

/**
 * Offset and Limit typed as integers (the VPC service's newer actions): Limit at most 100, refused with the code the
 * action documents for it.
 */
export function intPaging(action: string, p: { Offset?: number; Limit?: number }): { offset: number; limit: number } {
  const offset = p.Offset ?? 0;
  const limit = p.Limit ?? 20;
  if (offset < 0) throw invalid(documentedCode(action, ["InvalidParameterValue.Range"]), "Offset", offset, "it may not be negative", "不能为负数");
  if (limit < 0 || limit > 100) throw invalid(documentedCode(action, ["InvalidParameterValue.LimitExceeded", "InvalidParameterValue.Range"]), "Limit", limit, "use 0 to 100", "取值范围为 0 到 100");
  return { offset, limit };
}

export function checkIdShape(prefix: string, id: string, field: string): void {
  if (!isIdOf(prefix, id)) throw invalid("InvalidParameterValue.Malformed", field, id, `expected ${prefix}-xxxxxxxx`, `格式应为 ${prefix}-xxxxxxxx`);
}

/** A name of 1-60 bytes; `emptyCode` is what the action documents for an empty one. */
export function checkName(name: string, field: string, emptyCode = "InvalidParameterValue"): void {
  if (name.length === 0) throw invalid(emptyCode, field, name, "it may not be empty", "不能为空");
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw invalid("InvalidParameterValue.TooLong", field, name, `at most ${MAX_NAME_BYTES} bytes`, `最多 ${MAX_NAME_BYTES} 字节`);
}

export function checkTags(tags: readonly vpc.TagIn[] | undefined, field: string): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const [i, t] of (tags ?? []).entries()) {
    const key = t.Key ?? "";
    if (key.length === 0 || key.length > 127) throw invalid("InvalidParameterValue.TagInvalidKeyLen", `${field}.${i}.Key`, key, "a tag key has 1-127 characters", "标签键长度为 1-127");
    if (key.startsWith("qcloud:") || key.startsWith("tencent:")) throw invalid("UnsupportedOperation.TagSystemReservedTagKey", `${field}.${i}.Key`, key, "the key is reserved", "该标签键为系统保留");
    if ((t.Value ?? "").length > 255) throw invalid("InvalidParameterValue.TagInvalidVal", `${field}.${i}.Value`, t.Value, "a tag value has at most 255 characters", "标签值最多 255 个字符");
    if (out.some((x) => x.key === key)) throw invalid("InvalidParameterValue.TagDuplicateKey", `${field}.${i}.Key`, key, "the key is given twice", "标签键重复");
    out.push({ key, value: t.Value ?? "" });
  }
  return out;
}

/** The VPC service writes times as `YYYY-MM-DD hh:mm:ss`. */
export const vpcTime = spacedTime;

export function tagSet(tags: { key: string; value: string }[]): vpc.Tag[] {
  return tags.map((t) => ({ Key: t.key, Value: t.value }));
}

/** A filter on the answers: its name, and whether a resource matches one of its values. */
export type FilterSpec<T> = Record<string, (item: T, value: string) => boolean>;

export function applyFilters<T extends { tags: { key: string; value: string }[] }>(items: T[], filters: readonly vpc.FilterIn[], spec: FilterSpec<T>): T[] {
  const checks = filters.map((f, i) => {
    if (f.Name.startsWith("tag:") && f.Name.length > 4) {
      const key = f.Name.slice(4);
      return (item: T) => item.tags.some((t) => t.key === key && f.Values.includes(t.value));
    }
    const match = Object.hasOwn(spec, f.Name) ? spec[f.Name] : undefined;
    if (!match) {
      throw fail("InvalidParameter.FilterInvalidKey", `Unknown filter \`${f.Name}\` (Filters.${i}); use ${Object.keys(spec).join(", ")} or tag:<key>.`, `不支持过滤条件 \`${f.Name}\`（Filters.${i}）。`);
    }
    return (item: T) => f.Values.some((v) => match(item, v));
  });
  return items.filter((item) => checks.every((c) => c(item)));
}

export const tagFilters = <T extends { tags: { key: string; value: string }[] }>(): FilterSpec<T> => ({
  "tag-key": (item, v) => item.tags.some((t) => t.key === v),
  "tag-value": (item, v) => item.tags.some((t) => t.value === v),
});
