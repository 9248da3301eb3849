// The instance lifecycle as one table: for each operation, the states it is accepted in, the transitional state it
// shows while it runs, and where it ends on success and on failure. Handlers guard with it, the engine completes
// with it (a compare-and-set on `via`), docs/lifecycle.md is generated from it, and the tests read it.
// The error for a refused state is the `UnsupportedOperation.InstanceState<State>` code when the spec documents it
// for that action, else the generic `UnsupportedOperation`; an instance whose latest operation is still running is
// refused with `OperationDenied.InstanceOperationInProgress` first.

export type InstanceState =
  | "PENDING"
  | "LAUNCH_FAILED"
  | "RUNNING"
  | "STOPPED"
  | "STARTING"
  | "STOPPING"
  | "REBOOTING"
  | "SHUTDOWN"
  | "TERMINATING"
  | "ENTER_RESCUE_MODE"
  | "RESCUE_MODE"
  | "EXIT_RESCUE_MODE";

/** Every state DescribeInstances can show. A terminated instance is gone from every listing. */
export const STATES: readonly InstanceState[] = [
  "PENDING",
  "LAUNCH_FAILED",
  "RUNNING",
  "STOPPED",
  "STARTING",
  "STOPPING",
  "REBOOTING",
  "SHUTDOWN",
  "TERMINATING",
  "ENTER_RESCUE_MODE",
  "RESCUE_MODE",
  "EXIT_RESCUE_MODE",
];

/** The state name as the error codes spell it: LAUNCH_FAILED → LaunchFailed. */
export function stateWord(state: InstanceState): string {
  return state
    .toLowerCase()
    .split("_")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

export type OperationKind =
  | "RunInstances"
  | "StartInstances"
  | "StopInstances"
  | "RebootInstances"
  | "TerminateInstances"
  | "ResetInstancesType"
  | "ResetInstance"
  | "ResizeInstanceDisks"
  | "ResetInstancesPassword"
  | "ModifyInstancesAttribute"
  | "RecycleInstances"
  | "CreateImage"
  | "AssociateInstancesKeyPairs"
  | "DisassociateInstancesKeyPairs"
  | "ModifyInstancesVpcAttribute"
  | "EnterRescueMode"
  | "ExitRescueMode";

/** `null` as a state: the instance keeps the state it had (only LatestOperationState shows the work). */
export interface Transition {
  operation: OperationKind;
  /** The action a client sees as LatestOperation, when the operation is a part of another action. */
  reportedAs?: string;
  /** States it is accepted in; `forced` ones only with ForceStop=true (the instance is stopped first). */
  from: readonly InstanceState[];
  forced?: readonly InstanceState[];
  /** Shown while the operation runs. */
  via: InstanceState | null;
  /**
   * The work needs a stopped machine: a running instance shows STOPPING and STOPPED while it is shut down and worked
   * on, then STARTING and RUNNING when it is started again (always, for a `success` of RUNNING).
   */
  stops?: boolean;
  success: InstanceState | "TERMINATED" | null;
  failure: InstanceState | null;
}

export const LIFECYCLE: Readonly<Record<OperationKind, Transition>> = {
  RunInstances: { operation: "RunInstances", from: [], via: "PENDING", success: "RUNNING", failure: "LAUNCH_FAILED" },
  StartInstances: { operation: "StartInstances", from: ["STOPPED"], via: "STARTING", success: "RUNNING", failure: "STOPPED" },
  StopInstances: { operation: "StopInstances", from: ["RUNNING"], via: "STOPPING", success: "STOPPED", failure: "RUNNING" },
  RebootInstances: { operation: "RebootInstances", from: ["RUNNING"], via: "REBOOTING", success: "RUNNING", failure: "RUNNING" },
  // Pay-as-you-go instances end here at the first termination; a monthly one at the second, from the recycle bin.
  TerminateInstances: { operation: "TerminateInstances", from: ["RUNNING", "STOPPED", "SHUTDOWN"], via: "TERMINATING", success: "TERMINATED", failure: "STOPPED" },
  // A monthly instance's first termination: it shows SHUTDOWN (the recycle bin) at once while its machine stops.
  RecycleInstances: { operation: "RecycleInstances", reportedAs: "TerminateInstances", from: ["RUNNING", "STOPPED"], via: "SHUTDOWN", success: "SHUTDOWN", failure: "SHUTDOWN" },
  // These show no state of their own: a running instance is seen stopping, stopped, starting and running again, as
  // in the real cloud. A changed type or a reinstalled system starts the instance afterwards, whatever it was in.
  // ResetInstancesType takes a running instance as it is (its ForceStop only decides whether a failed normal shutdown
  // becomes a power-off); the others need ForceStop for one, as their documentation says.
  ResetInstancesType: { operation: "ResetInstancesType", from: ["STOPPED", "RUNNING"], via: null, stops: true, success: "RUNNING", failure: null },
  ResetInstance: { operation: "ResetInstance", from: ["RUNNING", "STOPPED"], via: null, stops: true, success: "RUNNING", failure: null },
  ResizeInstanceDisks: { operation: "ResizeInstanceDisks", from: ["STOPPED"], forced: ["RUNNING"], via: null, stops: true, success: null, failure: null },
  ResetInstancesPassword: { operation: "ResetInstancesPassword", from: ["STOPPED"], forced: ["RUNNING"], via: null, stops: true, success: null, failure: null },
  // Capturing an image keeps the instance as it is (ForcePoweroff stops it for the capture and starts it again).
  CreateImage: { operation: "CreateImage", from: ["RUNNING", "STOPPED"], via: null, success: null, failure: null },
  // Key pairs are written to a stopped machine; a force-stopped one is started again (Linux only, checked before).
  AssociateInstancesKeyPairs: { operation: "AssociateInstancesKeyPairs", from: ["STOPPED"], forced: ["RUNNING"], via: null, stops: true, success: null, failure: null },
  DisassociateInstancesKeyPairs: { operation: "DisassociateInstancesKeyPairs", from: ["STOPPED"], forced: ["RUNNING"], via: null, stops: true, success: null, failure: null },
  // Moving to another VPC or subnet: the instance is stopped for it (ForceStop) and started again.
  ModifyInstancesVpcAttribute: { operation: "ModifyInstancesVpcAttribute", from: ["STOPPED"], forced: ["RUNNING"], via: null, stops: true, success: null, failure: null },
  // A new host name takes a reboot (unless AutoReboot=false, which changes it without an operation).
  ModifyInstancesAttribute: { operation: "ModifyInstancesAttribute", from: ["RUNNING"], via: "REBOOTING", success: "RUNNING", failure: "RUNNING" },
  // Rescue mode: the machine is shut down and booted into a rescue system, and back. An instance in RESCUE_MODE
  // accepts nothing but ExitRescueMode (no other row starts from it).
  EnterRescueMode: { operation: "EnterRescueMode", from: ["RUNNING", "STOPPED"], via: "ENTER_RESCUE_MODE", success: "RESCUE_MODE", failure: "STOPPED" },
  ExitRescueMode: { operation: "ExitRescueMode", from: ["RESCUE_MODE"], via: "EXIT_RESCUE_MODE", success: "RUNNING", failure: "RESCUE_MODE" },
};

/**
 * How long a failed launch stays listed (LAUNCH_FAILED), on the service clock, before it leaves every listing and
 * is deleted. It holds no quota and no address meanwhile. The real cloud removes failed launches after a while too;
 * its period is not documented.
 */
export const LAUNCH_FAILED_RETENTION_MS = 60 * 60 * 1000;

/** States an instance shows only while an operation runs on it: any action finds that operation in progress. */
export const TRANSITIONAL: readonly InstanceState[] = ["PENDING", "STARTING", "STOPPING", "REBOOTING", "TERMINATING"];

/** The lifecycle row of an action named at run time (a handler's own name); an action outside the table is a bug. */
export function operationKind(name: string): OperationKind {
  if (!Object.hasOwn(LIFECYCLE, name)) throw new Error(`${name} has no row in the lifecycle table`);
  return name as OperationKind;
}

/** The code refusing an action on an instance in `state`, given the codes the spec documents for the action. */
export function refusal(state: InstanceState, documented: readonly string[]): string {
  if (TRANSITIONAL.includes(state)) return "OperationDenied.InstanceOperationInProgress";
  const specific = `UnsupportedOperation.InstanceState${stateWord(state)}`;
  return documented.includes(specific) ? specific : "UnsupportedOperation";
}
