// One step per operation kind: the backend call that does the work, and what else success changes.
import type { ComputeBackend } from "../compute/backend.js";
import type { OperationKind } from "../domain/lifecycle.js";
import type { InstanceDoc, InstanceRecord } from "../store/store.js";

export interface Step {
  run(backend: ComputeBackend, instance: InstanceRecord, payload: Record<string, unknown>): Promise<void>;
  /** Fields that change with the state on success. */
  onSuccess?(payload: Record<string, unknown>): Partial<InstanceDoc>;
}

export const STEPS: Record<OperationKind, Step> = {
  RunInstances: {
    run: (b, i) =>
      b.create({ instanceId: i.instanceId, imageId: i.imageId, cpu: i.doc.CPU, memory: i.doc.Memory, hostName: i.doc.HostName, userData: i.doc.UserData }),
  },
  StartInstances: {
    run: (b, i) => b.start(i.instanceId),
    onSuccess: () => ({ StopChargingMode: "NOT_APPLICABLE" }),
  },
  StopInstances: {
    run: (b, i, p) => b.stop(i.instanceId, p.stopType === "HARD"),
    onSuccess: (p) => ({ StopChargingMode: p.stoppedMode === "STOP_CHARGING" ? "STOP_CHARGING" : "KEEP_CHARGING" }),
  },
  RebootInstances: {
    run: (b, i, p) => b.reboot(i.instanceId, p.stopType === "HARD"),
  },
  TerminateInstances: {
    run: (b, i) => b.destroy(i.instanceId),
  },
};
