// What one host can run when instances are real machines (the qemu backend): its CPUs and memory, each sold up to
// its overcommit factor. Every instance that holds its machine counts (a stopped one too, unless it stopped
// charging, which in the real cloud gives its CPU and memory back).
import type { Deps } from "../../../api/action.js";
import type { InstanceTypeEntry } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import type { StoredState, Store } from "../../../store/store.js";

const HOLDING: readonly StoredState[] = ["PENDING", "RUNNING", "STOPPED", "STARTING", "STOPPING", "REBOOTING", "TERMINATING", "ENTER_RESCUE_MODE", "RESCUE_MODE", "EXIT_RESCUE_MODE"];

/** Refuses a launch of `count` instances of `type` that the host cannot hold; inside the creating transaction. */
export async function checkHostCapacity(store: Store, deps: Deps, type: InstanceTypeEntry, count: number): Promise<void> {
  const { config } = deps;
  if (config.compute !== "qemu") return;
  // Every account's machines share the host: its last free part goes to one transaction.
  await store.hold("host-capacity");
  const ids = (await store.instances.inStates(HOLDING)).map((i) => i.instanceId);
  let cpu = 0;
  let memory = 0;
  for (const i of await store.instances.getMany(ids)) {
    if (i.state === "STOPPED" && i.doc.StopChargingMode === "STOP_CHARGING") continue;
    cpu += i.doc.CPU;
    memory += i.doc.Memory;
  }
  const cpuLimit = config.hostCpus * config.cpuOvercommit;
  const memoryLimit = config.hostMemory * config.memoryOvercommit;
  if (cpu + type.cpu * count <= cpuLimit && memory + type.memory * count <= memoryLimit) return;
  throw fail(
    "ResourceInsufficient.SpecifiedInstanceType",
    `This host cannot hold ${count} more ${type.instanceType} (${type.cpu} vCPU, ${type.memory} GiB each): ${cpu} of ${cpuLimit} vCPUs and ${memory} of ${memoryLimit} GiB are taken.`,
    `主机资源不足，无法再创建 ${count} 台 ${type.instanceType}（每台 ${type.cpu} 核 ${type.memory} GiB）：已占用 ${cpu}/${cpuLimit} 核、${memory}/${memoryLimit} GiB。`,
  );
}
