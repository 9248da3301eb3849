// Repairs drift between the store and the backend: a machine that died on its own shows STOPPED, one started
// behind the API's back shows RUNNING. Only settled instances are compared; the engine owns the others.
import type { ComputeBackend, Power } from "../compute/backend.js";
import { powerPages } from "./power-pages.js";
import type { Logger } from "../log.js";
import type { InstancePower, Store } from "../store/store.js";

/** `hosted` picks the instances whose machines `backend` holds (beside other nodes, those this node hosts). */
export async function reconcile(store: Store, backend: ComputeBackend, log: Logger, hosted: (i: InstancePower) => boolean): Promise<number> {
  const expired = await store.instances.removeExpiredLaunchFailures();
  if (expired) log.info("failed launches past their retention removed", { instances: expired });
  const machines = await backend.list();
  let repaired = 0;
  for await (const page of powerPages(store, ["RUNNING", "STOPPED"])) repaired += await repair(store, log, machines, page.filter((i) => i.latestOperationState !== "OPERATING" && hosted(i)));
  await sweepDiskFiles(store, backend, log);
  return repaired;
}

/**
 * Removes the disk and snapshot files whose records are gone (TerminateDisks, the recycle bin's end, an instance
 * terminated with its disks, DeleteSnapshots). A record is always written before its file, so a file without one
 * is never a disk on its way in.
 */
async function sweepDiskFiles(store: Store, backend: ComputeBackend, log: Logger): Promise<void> {
  if (!backend.diskFiles || !backend.removeDiskFile) return;
  const { disks, snapshots } = await backend.diskFiles();
  for (const id of disks) {
    if (await store.disks.get(id)) continue;
    await backend.removeDiskFile(id);
    log.info("disk file removed: the disk is gone", { disk: id });
  }
  for (const id of snapshots) {
    if (await store.snapshots.get(id)) continue;
    await backend.removeDiskFile(id);
    log.info("snapshot file removed: the snapshot is gone", { snapshot: id });
  }
}

async function repair(store: Store, log: Logger, machines: ReadonlyMap<string, Power>, settled: readonly InstancePower[]): Promise<number> {
  let repaired = 0;
  for (const i of settled) {
    const actual = machines.get(i.instanceId) === "running" ? "RUNNING" : "STOPPED";
    if (actual === i.state) continue;
    // Conditional on what was read, so a request that moved the instance meanwhile wins.
    const changed = await store.instances.update(
      i.instanceId,
      { state: actual, doc: { StopChargingMode: actual === "STOPPED" ? "KEEP_CHARGING" : "NOT_APPLICABLE" } },
      { state: i.state, requestId: i.latestOperationRequestId ?? undefined },
    );
    if (changed) {
      repaired++;
      log.warn("instance state repaired from the backend", { instance: i.instanceId, was: i.state, now: actual });
    }
  }
  return repaired;
}
