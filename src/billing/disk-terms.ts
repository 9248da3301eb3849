// What happens to a monthly (PREPAID) disk of its own at the end of its term, as for a monthly instance: flagged
// NOTIFY_AND_AUTO_RENEW and paid for, it is renewed for a month from its old end; otherwise it goes to the recycle
// bin (TORECYCLE), where RenewDisk brings it back, and it is destroyed 7 days after it entered it. A monthly disk
// attached to an instance shares the instance's term (billing/terms.ts).
import type { Deps } from "../deps.js";
import { addMonths, isoSeconds } from "../domain/dates.js";
import { TencentError } from "../domain/errors.js";
import { jobActor } from "../instances/actor.js";
import type { DiskRecord } from "../store/store.js";
import { billedDisk, chargeInstance, diskTermPrice, INSUFFICIENT_BALANCE } from "./ledger.js";

/** When the next disk's rule falls due after `after` (ms), if any: the end of a term, or a recycle bin's end. */
export function nextDiskTermDue(deps: Deps, after: number): Promise<number | undefined> {
  return deps.store.disks.nextDue(after);
}

/** Renews, recycles or destroys every monthly disk of its own whose rule is due by the clock's time. */
export async function applyDiskTerms(deps: Deps): Promise<void> {
  for (const d of await deps.store.disks.dueBy(deps.clock.nowMs())) {
    if (d.state === "TORECYCLE") {
      await deps.store.disks.remove(d.diskId);
      deps.log.event("billing", `disk ${d.diskId} destroyed at the end of its retention`, { disk: d.diskId, appId: d.appId });
      continue;
    }
    if (d.renewFlag === "NOTIFY_AND_AUTO_RENEW" && (await autoRenew(deps, d))) continue;
    if (await deps.store.disks.update(d.diskId, { state: "TORECYCLE", recycledAt: isoSeconds(deps.clock.now()) }, "UNATTACHED")) {
      deps.log.event("billing", `disk ${d.diskId} expired: in the recycle bin`, { disk: d.diskId, appId: d.appId });
    }
  }
}

async function autoRenew(deps: Deps, d: DiskRecord): Promise<boolean> {
  const price = diskTermPrice(deps.catalog, d.region, d, 1);
  if (!price) return false;
  const to = addMonths(d.deadline!, 1);
  const actor = jobActor("billing", deps.clock.now());
  try {
    await deps.store.transaction(async (tx) => {
      await chargeInstance(tx, deps, actor.now, { instance: billedDisk(d), actionType: "pre_renew", amount: price.discounted, months: 1, from: d.deadline!, to, businessCode: "p_cbs" });
      await tx.disks.update(d.diskId, { deadline: to });
    });
  } catch (e) {
    if (e instanceof TencentError && e.code === INSUFFICIENT_BALANCE) return false;
    throw e;
  }
  deps.log.event("billing", `disk ${d.diskId} renewed automatically until ${to}`, { disk: d.diskId, appId: d.appId, requestId: actor.requestId });
  return true;
}
