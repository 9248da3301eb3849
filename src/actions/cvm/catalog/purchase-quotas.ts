// How much of its purchase quotas an account uses in a zone, and how many instances a purchase may still make.
// RunInstances asks inside its creating transaction, so concurrent purchases cannot pass a quota together.
import type { RequestContext } from "../../../api/action.js";
import type { Catalog, InstanceTypeEntry } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import { quotasOf, type QuotaName } from "../../../domain/quotas.js";
import type { Store } from "../../../store/store.js";

export interface ZoneUsage {
  postpaid: number;
  /** Monthly instances bought this calendar month. */
  prepaid: number;
  "spot-cores": number;
}

/** The start of the calendar month of `now` (the service clock's): the monthly quota counts purchases since. */
export function monthStart(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export async function zoneUsage(store: Store, catalog: Catalog, appId: number, region: string, zone: string, now: Date): Promise<ZoneUsage> {
  const count = async (chargeType: string, since?: string) => [...(await store.instances.countByType(appId, region, zone, chargeType, since)).values()].reduce((a, b) => a + b, 0);
  const spot = await store.instances.countByType(appId, region, zone, "SPOTPAID");
  let cores = 0;
  for (const [type, n] of spot) cores += (catalog.instanceType(type)?.cpu ?? 0) * n;
  return { postpaid: await count("POSTPAID_BY_HOUR"), prepaid: await count("PREPAID", monthStart(now)), "spot-cores": cores };
}

const QUOTA_OF: Record<string, { quota: QuotaName; code: string; unit: (t: InstanceTypeEntry) => number }> = {
  POSTPAID_BY_HOUR: { quota: "postpaid", code: "LimitExceeded.InstanceQuota", unit: () => 1 },
  PREPAID: { quota: "prepaid", code: "LimitExceeded.PrepayQuota", unit: () => 1 },
  SPOTPAID: { quota: "spot-cores", code: "LimitExceeded.SpotQuota", unit: (t) => t.cpu },
};

/** How many of `wanted` instances the quota allows (all of them, or at least `atLeast`); refuses otherwise. */
export async function quotaRoom(store: Store, catalog: Catalog, ctx: RequestContext, zone: string, chargeType: string, type: InstanceTypeEntry, wanted: number, atLeast: number): Promise<number> {
  // Instances on a dedicated host take the host's capacity, not a purchase quota.
  if (chargeType === "CDHPAID") return wanted;
  const rule = QUOTA_OF[chargeType];
  const total = quotasOf(await store.accounts.quotas(ctx.account.appId))[rule.quota];
  const used = (await zoneUsage(store, catalog, ctx.account.appId, ctx.region!, zone, ctx.now))[rule.quota];
  const room = Math.floor((total - used) / rule.unit(type));
  if (room < atLeast) {
    throw fail(
      rule.code,
      `The ${rule.quota} quota in ${zone} is ${total}; ${used} used, ${Math.max(0, room)} more ${type.instanceType} instance(s) fit, not ${atLeast}.`,
      `${zone} 的 ${rule.quota} 配额为 ${total}，已用 ${used}，还可购买 ${Math.max(0, room)} 台 ${type.instanceType}，不足 ${atLeast} 台。`,
    );
  }
  return Math.min(wanted, room);
}
