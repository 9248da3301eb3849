// What the tag service accepts as a tag, a page and a resource name, refused with the code each action documents.
import type { RequestContext } from "../../../api/action.js";
import { fail, type TencentError } from "../../../domain/errors.js";
import type { TaggedKind } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";
import { MAX_TAGS } from "../../shared/tag-inputs.js";
import { kindOf, parseResourceName } from "./resource-names.js";

/** Letters (Chinese too), digits, spaces and + - = . _ : / @ ( ) [ ] and their full-width brackets. */
const TAG_TEXT = /^[\p{L}\p{N} +\-=._:/@()[\]（）【】]*$/u;
const RESERVED = ["qcloud:", "tencent:", "project"];

export function checkTagKey(action: string, field: string, key: string): void {
  if (key.length === 0) throw invalid(documentedCode(action, ["InvalidParameterValue.TagKeyEmpty"]), field, key, "a tag key may not be empty", "标签键不能为空");
  if (key.length > 127) throw invalid(documentedCode(action, ["InvalidParameterValue.TagKeyLengthExceeded"]), field, key, "a tag key has at most 127 characters", "标签键长度不超过 127");
  if (RESERVED.some((r) => key.toLowerCase().startsWith(r))) {
    throw invalid(documentedCode(action, ["InvalidParameter.ReservedTagKey", "InvalidParameterValue.ReservedTagKey", "InvalidParameter"]), field, key, "keys starting with qcloud:, tencent: or project are reserved", "qcloud:、tencent: 与 project 开头的标签键为系统保留");
  }
  if (!TAG_TEXT.test(key)) throw invalid(documentedCode(action, ["InvalidParameterValue.TagKeyCharacterIllegal"]), field, key, "a tag key holds letters, digits, spaces and + - = . _ : / @ ( ) [ ] only", "标签键只能包含字母、数字、空格及 + - = . _ : / @ ( ) [ ]");
}

export function checkTagValue(action: string, field: string, value: string): void {
  if (value.length > 255) throw invalid(documentedCode(action, ["InvalidParameterValue.TagValueLengthExceeded"]), field, value, "a tag value has at most 255 characters", "标签值长度不超过 255");
  if (!TAG_TEXT.test(value)) throw invalid(documentedCode(action, ["InvalidParameterValue.TagValueCharacterIllegal"]), field, value, "a tag value holds letters, digits, spaces and + - = . _ : / @ ( ) [ ] only", "标签值只能包含字母、数字、空格及 + - = . _ : / @ ( ) [ ]");
}

/** At most `max` items in a list member. */
export function checkCount(action: string, field: string, count: number, max: number, code: string): void {
  if (count > max) throw invalid(documentedCode(action, [code, "InvalidParameterValue"]), field, count, `at most ${max} per request`, `每次请求最多 ${max} 个`);
}

/** A resource's tags after a change: at most MAX_TAGS. */
export function checkTagTotal(action: string, field: string, count: number): void {
  if (count > MAX_TAGS) {
    throw invalid(documentedCode(action, ["LimitExceeded.ResourceAttachedTags", "LimitExceeded"]), field, count, `a resource has at most ${MAX_TAGS} tags`, `每个资源最多 ${MAX_TAGS} 个标签`);
  }
}

/** Offset and Limit of the Describe* actions: Limit defaults to 15. */
export function page(p: { Offset?: number; Limit?: number }, max: number): { offset: number; limit: number } {
  const offset = p.Offset ?? 0;
  const limit = p.Limit ?? 15;
  if (offset < 0) throw invalid("InvalidParameterValue", "Offset", offset, "it may not be negative", "不能为负数");
  if (limit < 1 || limit > max) throw invalid("InvalidParameterValue", "Limit", limit, `use 1 to ${max}`, `取值范围为 1 到 ${max}`);
  return { offset, limit };
}

/** The position a PaginationToken of the Get* actions stands for (it is the offset of the next page, as text). */
export function paginationStart(action: string, token: string | undefined): number {
  if (token === undefined || token === "") return 0;
  if (!/^\d{1,9}$/.test(token)) throw invalid(documentedCode(action, ["InvalidParameter.PaginationTokenInvalid", "InvalidParameter"]), "PaginationToken", token, "it is not a token an earlier page gave", "不是此前分页返回的 Token");
  return Number(token);
}

export function maxResults(value: number | undefined, max: number): number {
  const n = value ?? 50;
  if (n < 1 || n > max) throw invalid("InvalidParameterValue", "MaxResults", n, `use 1 to ${max}`, `取值范围为 1 到 ${max}`);
  return n;
}

/** A page of a list and the token of the next one ("" after the last). */
export function tokenPage<T>(all: readonly T[], start: number, size: number): { items: T[]; next: string } {
  const items = all.slice(start, start + size);
  return { items, next: start + size < all.length ? String(start + size) : "" };
}

export interface Target {
  kind: TaggedKind;
  region: string;
  resourceId: string;
}

/**
 * The resource a six-segment name names, for the caller. A name that is not one is refused; one that names another
 * account (a uin neither empty nor the caller's) or a kind of resource OpenCVM does not keep gives the refusal back,
 * for the actions that report resources one by one.
 */
export function target(ctx: RequestContext, field: string, name: string): Target | TencentError {
  const parsed = parseResourceName(name);
  if (!parsed) {
    throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.ResourceDescriptionError", "InvalidParameter"]), field, name, "expected qcs::<service>:<region>:uin/<uin>:<prefix>/<id>", "应为 qcs::<业务>:<地域>:uin/<uin>:<前缀>/<ID>");
  }
  if (parsed.uin !== "" && parsed.uin !== ctx.account.uin) {
    return invalid(documentedCode(ctx.action, ["InvalidParameterValue.UinInvalid", "InvalidParameterValue.ResourceDescriptionError", "InvalidParameter"]), field, name, "the uin is not the caller's", "uin 不是调用者的");
  }
  const kind = kindOf(parsed.service, parsed.prefix);
  if (!kind) return notFound(field, name);
  return { kind, region: parsed.region, resourceId: parsed.resourceId };
}

export const notFound = (field: string, name: string): TencentError =>
  fail("ResourceNotFound", `\`${field}\` = \`${name}\`: the account has no such resource.`, `\`${field}\` = \`${name}\`：账号下没有该资源。`);
