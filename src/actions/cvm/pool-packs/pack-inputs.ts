// What the resource pool pack actions check alike: which types a pack may be (a family's whole machine: its largest
// type a zone sells), pack ids, and the caller's packs in the region.
import type { RequestContext } from "../../../api/action.js";
import type { Catalog, InstanceTypeEntry } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import type { PoolPackRecord, Store } from "../../../store/store.js";
import { invalid } from "../../shared/refusals.js";

/** The pack types of a zone: each family's largest type the zone offers, in catalog order. */
export function packTypes(catalog: Catalog, zone: string): InstanceTypeEntry[] {
  const largest = new Map<string, InstanceTypeEntry>();
  for (const t of catalog.instanceTypes()) {
    if (t.zones[zone] === undefined) continue;
    const held = largest.get(t.family);
    if (!held || t.cpu > held.cpu || (t.cpu === held.cpu && t.memory > held.memory)) largest.set(t.family, t);
  }
  return [...largest.values()];
}

/** Well-formed, distinct pack ids. */
export function checkPackIds(ids: readonly string[], field: string): void {
  if (ids.length === 0) throw fail("MissingParameter", `\`${field}\` names no resource pool pack.`, `\`${field}\` 未指定实例资源池。`);
  ids.forEach((id, i) => {
    if (!isIdOf("rpp", id)) throw invalid("InvalidParameterValue.ResourcePoolPackIdMalformed", `${field}.${i}`, id, "expected rpp-xxxxxxxx", "格式应为 rpp-xxxxxxxx");
  });
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw invalid("InvalidParameterValue", field, twice, "the pack is named twice", "实例资源池 ID 重复");
}

/** The caller's packs of `ids`, in the order named; one that is not the caller's is refused with `notFound`. */
export async function findPacks(store: Store, ctx: RequestContext, ids: readonly string[], field: string, notFound: string): Promise<PoolPackRecord[]> {
  checkPackIds(ids, field);
  const found = new Map((await store.poolPacks.find(ctx.account.appId, ctx.region!, ids)).map((p) => [p.packId, p]));
  return ids.map((id, i) => {
    const pack = found.get(id);
    if (!pack) throw invalid(notFound, `${field}.${i}`, id, `no such resource pool pack in ${ctx.region}`, `${ctx.region} 不存在该实例资源池`);
    return pack;
  });
}
