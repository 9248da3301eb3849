// What happens to a dedicated host at the end of its term: flagged NOTIFY_AND_AUTO_RENEW and paid for, it is renewed
// for a month from its old expiry; otherwise it becomes EXPIRED, and no instance is launched on it until RenewHosts
// renews it. The instances already on it are left as they are (docs/billing.md).
import type { Deps } from "../deps.js";
import { addMonths } from "../domain/dates.js";
import { TencentError } from "../domain/errors.js";
import { jobActor } from "../instances/actor.js";
import type { HostRecord } from "../store/store.js";
import { billedHost, chargeInstance, hostTermPrice, INSUFFICIENT_BALANCE } from "./ledger.js";

const TERMED = ["RUNNING"];

/** When the next host's term ends after `after` (ms), if any. */
export function nextHostTermDue(deps: Deps, after: number): Promise<number | undefined> {
  return deps.store.hosts.nextExpiry(TERMED, after);
}

/** Renews or expires every host whose term has ended by the clock's time. */
export async function applyHostTerms(deps: Deps): Promise<void> {
  for (const h of await deps.store.hosts.expiring(TERMED, deps.clock.nowMs())) {
    if (h.renewFlag === "NOTIFY_AND_AUTO_RENEW" && (await autoRenew(deps, h))) continue;
    await deps.store.hosts.update(h.hostId, { state: "EXPIRED" });
    deps.log.event("billing", `dedicated host ${h.hostId} expired`, { host: h.hostId, appId: h.appId });
  }
}

async function autoRenew(deps: Deps, h: HostRecord): Promise<boolean> {
  const price = hostTermPrice(deps.catalog, h.hostType, 1);
  if (!price) return false;
  const to = addMonths(h.expiredTime, 1);
  const actor = jobActor("billing", deps.clock.now());
  try {
    await deps.store.transaction(async (tx) => {
      await chargeInstance(tx, deps, actor.now, { instance: billedHost(h), actionType: "pre_renew", amount: price.discounted, months: 1, from: h.expiredTime, to });
      await tx.hosts.update(h.hostId, { expiredTime: to });
    });
  } catch (e) {
    if (e instanceof TencentError && e.code === INSUFFICIENT_BALANCE) return false;
    throw e;
  }
  deps.log.event("billing", `dedicated host ${h.hostId} renewed automatically until ${to}`, { host: h.hostId, appId: h.appId, requestId: actor.requestId });
  return true;
}
