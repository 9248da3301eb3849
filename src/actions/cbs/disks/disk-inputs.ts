// What the disk actions share: finding the caller's disks by id, names, tags and the sizes the catalog sells.
import type { RequestContext } from "../../../api/action.js";
import type { Catalog } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import type { DiskRecord, Store } from "../../../store/store.js";
import { MAX_TAGS } from "../../shared/tag-inputs.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

/** Disks named per call (the real API's limit). */
export const MAX_DISKS_PER_CALL = 100;
/** Data disks one instance may hold (the real cloud's figure). */
export const MAX_DATA_DISKS = 20;
/** Characters of a disk or snapshot name. */
export const MAX_NAME = 60;

/** The caller's disks named by `ids`, in the order given; refuses an id that is malformed or not the caller's. */
export async function ownDisks(store: Store, ctx: RequestContext, ids: readonly string[], field: string): Promise<DiskRecord[]> {
  if (ids.length > MAX_DISKS_PER_CALL) throw invalid("InvalidParameterValue.LimitExceeded", field, ids.length, `at most ${MAX_DISKS_PER_CALL} disks per call`, `每次最多 ${MAX_DISKS_PER_CALL} 块云硬盘`);
  const found = new Map((await store.disks.find(ctx.account.appId, ctx.region!, ids)).map((d) => [d.diskId, d]));
  return ids.map((id, i) => {
    const disk = isIdOf("disk", id) ? found.get(id) : undefined;
    if (!disk) throw invalid(documentedCode(ctx.action, ["InvalidDiskId.NotFound", "ResourceNotFound.NotFound"]), `${field}.${i}`, id, `no such disk in ${ctx.region}`, `${ctx.region} 不存在该云硬盘`);
    if (ids.indexOf(id) !== i) throw invalid("InvalidParameterValue", `${field}.${i}`, id, "the disk is named twice", "云硬盘重复");
    return disk;
  });
}

export function checkName(name: string | undefined, field: string): void {
  if (name !== undefined && name.length > MAX_NAME) throw invalid("InvalidParameterValue", field, name, `a name has at most ${MAX_NAME} characters`, `名称不超过 ${MAX_NAME} 个字符`);
}

/** Tags as the cbs actions take them (`Tags.N.Key/Value`). */
export function checkTags(tags: readonly { Key: string; Value: string }[] | undefined): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const [i, t] of (tags ?? []).entries()) {
    if (t.Key.length < 1 || t.Key.length > 127) throw invalid("InvalidParameterValue", `Tags.${i}.Key`, t.Key, "a key has 1-127 characters", "标签键长度为 1-127");
    if (t.Value.length > 255) throw invalid("InvalidParameterValue", `Tags.${i}.Value`, t.Value, "a value has at most 255 characters", "标签值长度不超过 255");
    if (out.some((x) => x.key === t.Key)) throw invalid("InvalidParameterValue", `Tags.${i}.Key`, t.Key, "the key is given twice", "标签键重复");
    out.push({ key: t.Key, value: t.Value });
  }
  if (out.length > MAX_TAGS) throw invalid("LimitExceeded.TagQuotaLimitExceeded", "Tags", out.length, `at most ${MAX_TAGS} tags per disk`, `每块云硬盘最多 ${MAX_TAGS} 个标签`);
  return out;
}

/** Refuses a data disk size the catalog does not sell for the type. */
export function checkDataDiskSize(action: string, catalog: Catalog, diskType: string, size: number, field: string): void {
  const range = catalog.diskType(diskType)?.dataDisk;
  if (!range) throw invalid(documentedCode(action, ["InvalidParameter.DiskConfigNotSupported"]), "DiskType", diskType, "no such data disk type", "不支持该数据盘类型");
  if (size < range.min || size > range.max || size % range.step !== 0) {
    throw invalid(documentedCode(action, ["InvalidParameter.DiskConfigNotSupported"]), field, size, `a ${diskType} data disk has ${range.min}-${range.max} GiB in steps of ${range.step}`, `${diskType} 数据盘容量为 ${range.min}-${range.max} GiB，步长 ${range.step}`);
  }
}

/** Refuses a disk that is busy changing (attaching, detaching, growing). */
export function refuseBusy(action: string, d: DiskRecord, field: string): void {
  if (d.state === "ATTACHING" || d.state === "DETACHING" || d.state === "EXPANDING") {
    throw invalid(documentedCode(action, ["InvalidDisk.Busy", "ResourceBusy"]), field, d.diskId, `the disk is ${d.state}`, `云硬盘处于 ${d.state} 状态`);
  }
}

/** Refuses a disk in the recycle bin, which can only be terminated again or renewed. */
export function refuseRecycled(action: string, d: DiskRecord, field: string): void {
  if (d.state === "TORECYCLE") throw invalid(documentedCode(action, ["ResourceUnavailable.NotSupported", "InvalidDisk.NotSupported"], "UnsupportedOperation"), field, d.diskId, "the disk is in the recycle bin", "云硬盘已在回收站");
}

export const notAFilter = (i: number, name: string, known: readonly string[]) =>
  fail("InvalidFilter", `Unknown filter \`${name}\` (Filters.${i}); use ${known.join(", ")} or tag:<key>.`, `不支持过滤条件 \`${name}\`（Filters.${i}）。`);
