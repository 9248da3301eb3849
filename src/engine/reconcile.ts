// Repairs drift between the store and the backend: a machine that died on its own shows STOPPED, one started
// behind the API's back shows RUNNING. Only settled instances are compared; the engine owns the others. A round reads
// only what can have drifted: the instances whose machines changed power, appeared or went away since the round
// before (against what the store said at start-up for the first), and those left for later because an operation was
// running on them. So a large cloud whose machines hold still costs no store read every round.
import type { ComputeBackend, Power } from "../compute/backend.js";
import type { Logger } from "../log.js";
import type { InstancePower, Store } from "../store/store.js";

/** Instances read per statement. */
const SLICE = 500;

export class Reconciler {
  /** The machines' power as last seen; what the store said at start-up before the first round. */
  private readonly seen = new Map<string, Power>();
  /** Instances whose machine changed while an operation ran on them: compared again next round. */
  private readonly later = new Set<string>();

  /** `hosted` picks the instances whose machines `backend` holds (beside other nodes, those this node hosts). */
  constructor(
    private readonly store: Store,
    private readonly backend: ComputeBackend,
    private readonly log: Logger,
    private readonly hosted: (i: InstancePower) => boolean,
  ) {}

  /** Starts from what the store says the machines are (the machines the backend was restored with). */
  baseline(machines: ReadonlyMap<string, Power>): void {
    this.seen.clear();
    this.later.clear();
    for (const [id, power] of machines) this.seen.set(id, power);
  }

  /** One round; returns how many instances were repaired. */
  async round(): Promise<number> {
    const expired = await this.store.instances.removeExpiredLaunchFailures();
    if (expired) this.log.info("failed launches past their retention removed", { instances: expired });
    const machines = await this.backend.list();
    const changed = new Set(this.later);
    this.later.clear();
    for (const [id, power] of machines) {
      if (this.seen.get(id) !== power) changed.add(id);
      this.seen.set(id, power);
    }
    for (const id of this.seen.keys()) {
      if (!machines.has(id)) {
        changed.add(id);
        this.seen.delete(id);
      }
    }
    const ids = [...changed];
    let repaired = 0;
    for (let i = 0; i < ids.length; i += SLICE) {
      const page = (await this.store.instances.powerOf(ids.slice(i, i + SLICE))).filter((p) => (p.state === "RUNNING" || p.state === "STOPPED" || p.latestOperationState === "OPERATING") && this.hosted(p));
      for (const p of page) if (p.latestOperationState === "OPERATING") this.later.add(p.instanceId);
      repaired += await repair(this.store, this.log, machines, page.filter((p) => p.latestOperationState !== "OPERATING" && (p.state === "RUNNING" || p.state === "STOPPED")));
    }
    await sweepDiskFiles(this.store, this.backend, this.log);
    return repaired;
  }
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
