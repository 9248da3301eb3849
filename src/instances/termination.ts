// Ending instances, for a request (TerminateInstances) or a system job (a due action timer, billing's terms): the
// recycle bin, where a monthly instance goes first, and destruction.
import type { Deps } from "../deps.js";
import { isoSeconds } from "../domain/dates.js";
import { fail } from "../domain/errors.js";
import type { DiskRecord, InstanceRecord, Store } from "../store/store.js";
import type { Actor } from "./actor.js";
import { refundDataDisks, refundTerm } from "./charges.js";
import { begin, guard } from "./operations.js";

/** Why an instance is in the recycle bin, as DescribeInstances' IsolatedSource says. */
export type IsolatedSource = "MANMADE" | "EXPIRE" | "ARREAR";

/** What goes with the instances: their EIP (ReleaseAddress), their monthly data disks (ReleasePrepaidDataDisks). */
export interface Releasing {
  releaseAddress: boolean;
  releasePrepaidDataDisks: boolean;
}

/**
 * What TerminateInstances does with the instances it names, and a due action timer with its own: refuses what the
 * action refuses, returns monthly instances to the recycle bin with the rest of their term refunded, and destroys
 * the others. Inside a transaction the caller passes as `store`, the caller kicks the engine once it has committed.
 */
export async function terminate(deps: Deps, actor: Actor, records: readonly InstanceRecord[], releasing: Releasing, store: Store = deps.store): Promise<void> {
  guard("TerminateInstances", records);
  const protectedOne = records.find((r) => r.doc.DisableApiTermination);
  if (protectedOne) {
    throw fail("UnsupportedOperation.InstancesProtected", `Instance ${protectedOne.instanceId} has termination protection (DisableApiTermination).`, `实例 ${protectedOne.instanceId} 已开启实例销毁保护。`);
  }
  const prepaid = (c: string) => c === "PREPAID";
  if (records.some((r) => prepaid(r.chargeType)) && records.some((r) => !prepaid(r.chargeType))) {
    throw fail("UnsupportedOperation.InstanceMixedPricingModel", "Monthly (PREPAID) and pay-as-you-go instances cannot be terminated in one call.", "包年包月与按量计费实例不能在同一请求中退还。");
  }
  // A monthly instance is first returned to the recycle bin (SHUTDOWN); terminating it there destroys it.
  if (records.some((r) => prepaid(r.chargeType) && r.state !== "SHUTDOWN")) {
    if (records.some((r) => r.state === "SHUTDOWN")) {
      throw fail("UnsupportedOperation.InstanceMixedPricingModel", "Instances in the recycle bin and outside it cannot be terminated in one call.", "回收站内外的实例不能在同一请求中退还。");
    }
    // What is left of each term is refunded as the monthly instance goes to the recycle bin. Its monthly data disks
    // go with it only when asked (each refunded on its own line and shown TORECYCLE); otherwise they keep their term,
    // and are detached and kept when the instance is destroyed.
    await store.transaction(async (tx) => {
      for (const r of records) {
        if (releasing.releasePrepaidDataDisks) await refundDataDisks(tx, deps, actor, await recyclePrepaidDataDisks(tx, r.instanceId));
        await refundTerm(tx, deps, actor, r, "pre_refund");
      }
      await isolate(deps, actor, records, "MANMADE", tx);
    }, records.map((r) => r.appId));
    if (store === deps.store) deps.engine.kick();
    return;
  }
  await begin(deps, actor, "TerminateInstances", records, { ...releasing }, store);
}

/** Moves the instance's monthly data disks to the recycle bin with it (they are destroyed when it is); answers them. */
async function recyclePrepaidDataDisks(tx: Store, instanceId: string): Promise<DiskRecord[]> {
  const recycled: DiskRecord[] = [];
  for (const d of await tx.disks.ofInstance(instanceId)) {
    if (d.diskUsage === "DATA_DISK" && d.chargeType === "PREPAID" && d.state === "ATTACHED" && (await tx.disks.update(d.diskId, { state: "TORECYCLE" }, "ATTACHED"))) recycled.push(d);
  }
  return recycled;
}

/**
 * Moves instances to the recycle bin (SHUTDOWN) for `source`: their machines stop, and they are destroyed later by
 * billing's terms or a second TerminateInstances. Inside a transaction the caller passes as `store`, the caller
 * kicks the engine once it has committed.
 */
export async function isolate(deps: Deps, actor: Actor, records: readonly InstanceRecord[], source: IsolatedSource, store: Store = deps.store): Promise<void> {
  await begin(deps, actor, "RecycleInstances", records, { source, isolatedAt: isoSeconds(actor.now) }, store);
}
