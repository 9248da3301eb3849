// What happens to a resource pool pack at the end of its term: flagged NOTIFY_AND_AUTO_RENEW and paid for, it is
// renewed for a month from its old end (`pre_renew`); otherwise it is RETIRED (the status the API documents for an
// expired pack) and the instances drawing on it run on in the public pool, billed by the hour from then on, as they
// do when the pack is terminated (docs/billing.md). No action renews a pack by hand.
import type { Deps } from "../deps.js";
import { addMonths, isoSeconds } from "../domain/dates.js";
import { jobActor } from "../instances/actor.js";
import { leavePacks } from "../instances/pack-release.js";
import type { PoolPackRecord } from "../store/store.js";
import { billedPack, packTermPrice, renewAutomatically } from "./ledger.js";

/** When the next pack's term ends after `after` (ms), if any. */
export async function nextPackTermDue(deps: Deps, after: number): Promise<number | undefined> {
  const end = await deps.store.poolPacks.nextExpiry(isoSeconds(new Date(after)));
  return end === undefined ? undefined : Date.parse(end);
}

/** Renews or retires every pack whose term has ended by the clock's time. */
export async function applyPackTerms(deps: Deps): Promise<void> {
  for (const p of await deps.store.poolPacks.expiring(isoSeconds(deps.clock.now()))) {
    if (p.renewFlag === "NOTIFY_AND_AUTO_RENEW" && (await autoRenew(deps, p))) continue;
    const released = await deps.store.transaction(async (tx) => {
      await tx.poolPacks.setStatus(p.packId, "RETIRED");
      return leavePacks(tx, [p.packId]);
    }, p.appId);
    deps.log.event("billing", `resource pool pack ${p.packId} expired: RETIRED`, { pack: p.packId, appId: p.appId, instances: released.join(",") });
  }
}

async function autoRenew(deps: Deps, p: PoolPackRecord): Promise<boolean> {
  const price = packTermPrice(deps.catalog, p.region, p.instanceType, 1);
  if (!price) return false;
  const to = addMonths(p.endTime, 1);
  const actor = jobActor("billing", deps.clock.now());
  if (!(await renewAutomatically(deps.store, deps, actor.now, billedPack(p), price.discounted, p.endTime, to, (tx) => tx.poolPacks.setEndTime(p.packId, to)))) return false;
  deps.log.event("billing", `resource pool pack ${p.packId} renewed automatically until ${to}`, { pack: p.packId, appId: p.appId, requestId: actor.requestId });
  return true;
}
