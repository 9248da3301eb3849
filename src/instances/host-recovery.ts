// Instances on a dedicated host that expired were taken out of service with it (the recycle bin: SHUTDOWN,
// IsolatedSource EXPIRE). Tencent documents that when the host is renewed within its 7 days they come back by
// themselves, without being started by hand: each is let out of the recycle bin and started again.
import type { Deps } from "../deps.js";
import type { InstanceDoc, InstanceRecord } from "../store/store.js";
import type { Actor } from "./actor.js";
import { begin } from "./operations.js";

/** The instances of `records` that their host's expiry isolated, once nothing is running on them any more. */
export function isolatedWithHost(records: readonly InstanceRecord[]): InstanceRecord[] {
  return records.filter((r) => r.chargeType === "CDHPAID" && r.state === "SHUTDOWN" && r.doc.IsolatedSource === "EXPIRE" && r.latestOperationState !== "OPERATING");
}

/** Brings back and starts the instances of `records` isolated with their host (the host runs again). */
export async function recoverWithHost(deps: Deps, actor: Actor, records: readonly InstanceRecord[]): Promise<void> {
  const back = isolatedWithHost(records);
  if (!back.length) return;
  await deps.store.transaction(async (tx) => {
    const stopped: InstanceRecord[] = [];
    for (const r of back) {
      const doc: Partial<InstanceDoc> = { IsolatedSource: "NOTISOLATED", IsolatedAt: undefined, StopChargingMode: "KEEP_CHARGING" };
      // Only if still isolated: a request may have destroyed it meanwhile.
      if (await tx.instances.update(r.instanceId, { state: "STOPPED", doc }, { state: "SHUTDOWN" })) stopped.push({ ...r, state: "STOPPED", doc: { ...r.doc, ...doc } });
    }
    if (stopped.length) await begin(deps, actor, "StartInstances", stopped, {}, tx);
  }, back.map((r) => r.appId));
  deps.engine.kick();
}
