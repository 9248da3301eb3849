// One step per operation kind: the backend calls that do the work, and what else changes with success.
// Steps that need a stopped machine stop it first and start it again afterwards when it was running, showing each
// of those states on the instance as they happen.
import { BackendError, type ComputeBackend, type MachineSpec } from "../compute/backend.js";
import { intToIp, parseCidr } from "../domain/ipv4.js";
import type { InstanceState, OperationKind } from "../domain/lifecycle.js";
import type { InstanceChange, InstanceRecord, Store } from "../store/store.js";

type Payload = Record<string, unknown>;

/** Shows the instance in a state while its operation runs (only while the operation is still its latest). */
export type Show = (state: InstanceState) => Promise<void>;

/** What a step may need beyond the instance row: its subnet's range (for the guest's network settings). */
export interface Placement {
  subnetCidr: string;
}

export interface Step {
  run(backend: ComputeBackend, instance: InstanceRecord, payload: Payload, show: Show, placement: Placement): Promise<void>;
  /** What changes beside the state on success. */
  onSuccess?(payload: Payload, instance: InstanceRecord): InstanceChange;
  /** Changes to other resources, written in the transaction that completes the operation. */
  afterward?(tx: Store, payload: Payload, ok: boolean, instance: InstanceRecord): Promise<void>;
  /** The resource a person watches the steps of under, when it is not the instance (the image the step makes). */
  watched?(payload: Payload): string;
}

/** A CHC host whose cloud host ended takes another again (PREPARED). */
async function freeChcHost(tx: Store, i: InstanceRecord): Promise<void> {
  const host = i.doc.ChcId === undefined ? undefined : await tx.chcHosts.get(i.doc.ChcId);
  if (host?.doc.cvmInstanceId === i.instanceId) await tx.chcHosts.update(host.chcId, { state: "PREPARED", doc: { ...host.doc, cvmInstanceId: null } });
}

/** Everything the machine and its guest are to be given; the subnet's gateway is its first address, as in a VPC. */
export function machine(i: InstanceRecord, placement: Placement, over: Partial<MachineSpec> = {}): MachineSpec {
  const { base, size } = parseCidr(placement.subnetCidr);
  return {
    instanceId: i.instanceId,
    imageId: i.imageId,
    cpu: i.doc.CPU,
    memory: i.doc.Memory,
    hostName: i.doc.HostName,
    userData: i.doc.UserData,
    region: i.region,
    zone: i.zone,
    instanceType: i.instanceType,
    instanceName: i.instanceName,
    systemDiskSize: i.doc.SystemDisk.DiskSize,
    dataDiskSizes: i.doc.DataDisks.map((d) => d.DiskSize),
    dataDiskIds: i.doc.DataDisks.map((d) => d.DiskId),
    network: { privateIp: i.privateIp, prefix: 32 - Math.log2(size), gateway: intToIp(base + 1), publicIp: i.publicIp, vpcId: i.vpcId, subnetId: i.subnetId },
    uuid: i.uuid,
    appId: i.appId,
    chargeType: i.chargeType,
    createdTime: i.createdAt,
    expiredTime: i.doc.ExpiredTime,
    loginUser: i.doc.DefaultLoginUser,
    keyIds: i.keyIds,
    ...over,
  };
}

/**
 * How a running machine is shut down, in StopInstances' words: SOFT (a normal shutdown; if the guest does not
 * comply the step fails), HARD (power off), SOFT_FIRST (a normal shutdown, then power off when it fails: what
 * ForceStop=true asks of the actions that stop an instance to do their work).
 */
export type StopType = "SOFT" | "HARD" | "SOFT_FIRST";

export async function shutdown(b: ComputeBackend, id: string, how: StopType): Promise<void> {
  if (how !== "SOFT_FIRST") return b.stop(id, how === "HARD");
  try {
    await b.stop(id, false);
  } catch (e) {
    if (!(e instanceof BackendError)) throw e;
    await b.stop(id, true);
  }
}

/**
 * Runs `work` on a stopped machine: a running one is shut down first (`p.stopType`, SOFT unless the request forced
 * it) and, when `restart`, started again after, each stage shown on the instance. A failure leaves the instance
 * showing what its machine is: still running when the shutdown failed, started again after a failed work when it
 * is to run, stopped when it will not start.
 */
async function whileStopped(b: ComputeBackend, i: InstanceRecord, p: Payload, show: Show, restart: boolean, work: () => Promise<void>): Promise<void> {
  const id = i.instanceId;
  try {
    if (await isRunning(b, id)) {
      await show("STOPPING");
      await shutdown(b, id, (p.stopType as StopType | undefined) ?? "SOFT");
      await show("STOPPED");
    }
    await work();
    if (restart && !(await isRunning(b, id))) {
      await show("STARTING");
      await b.start(id);
    }
    if (restart) await show("RUNNING");
  } catch (e) {
    if (e instanceof BackendError && restart && !(await isRunning(b, id))) {
      // The work failed on a machine that is to run after it: it is started again, as it was, if it will start.
      await show("STARTING");
      await b.start(id).catch(() => undefined);
    }
    await show((await isRunning(b, id)) ? "RUNNING" : "STOPPED");
    throw e;
  }
}

/** Whether the step starts the machine again: always for `always`, else when the instance ran as the operation began. */
const restartAfter = (p: Payload, always = false): boolean => always || p.startedIn === "RUNNING";

const isRunning = async (b: ComputeBackend, id: string) => (await b.list()).get(id) === "running";

/** The OpenSSH public key lines a payload carries for the machine (operations queued before keys existed carry none). */
const keysOf = (p: Payload): string[] => (p.authorizedKeys as string[] | undefined) ?? [];

/**
 * Writes the instance's new key set (`keyIds`, whose public keys are `authorizedKeys`) to its stopped machine. The
 * restart follows the stored state, which these operations leave RUNNING while they work, so a step re-run after a
 * crash still restarts a machine it had stopped.
 */
function setKeys(): Step {
  return {
    run: (b, i, p, show) => whileStopped(b, i, p, show, restartAfter(p), () => b.setAuthorizedKeys(i.instanceId, keysOf(p))),
    onSuccess: (p) => ({ keyIds: p.keyIds as string[] }),
  };
}

/** Shuts a running machine down (`how`) and boots it again: into the rescue system, or back out of it. */
async function bootAgain(b: ComputeBackend, id: string, how: StopType): Promise<void> {
  if (await isRunning(b, id)) await shutdown(b, id, how);
  await b.start(id);
}

export const STEPS: Record<OperationKind, Step> = {
  RunInstances: {
    run: (b, i, p, _show, at) =>
      b.create(machine(i, at, { authorizedKeys: keysOf(p), keyIds: (p.keyIds as string[] | undefined) ?? i.keyIds, passwordHash: p.passwordHash as string | undefined })),
    // A failed launch holds no address: its private and public ones go back to their pools.
    afterward: async (tx, _p, ok, i) => {
      if (ok) return;
      await freeChcHost(tx, i);
      await tx.networks.release(i.instanceId);
      await tx.instances.update(i.instanceId, { publicIp: null, privateIp: "" });
    },
  },
  StartInstances: {
    run: (b, i) => b.start(i.instanceId),
    onSuccess: () => ({ doc: { StopChargingMode: "NOT_APPLICABLE" } }),
  },
  StopInstances: {
    run: (b, i, p) => shutdown(b, i.instanceId, (p.stopType as StopType | undefined) ?? "SOFT"),
    onSuccess: (p) => ({ doc: { StopChargingMode: p.stoppedMode === "STOP_CHARGING" ? "STOP_CHARGING" : "KEEP_CHARGING" } }),
  },
  RebootInstances: { run: (b, i, p) => b.reboot(i.instanceId, p.stopType === "HARD") },
  TerminateInstances: {
    run: (b, i) => b.destroy(i.instanceId),
    // A bound EIP outlives its instance, unbound, unless the call asked to release it too; so do its monthly data
    // disks (ReleasePrepaidDataDisks), which the store would otherwise delete with it.
    afterward: async (tx, p, ok, i) => {
      if (ok) await tx.disks.releasePrepaidData(i.instanceId, p.releasePrepaidDataDisks === true);
      if (ok) await freeChcHost(tx, i);
      const eip = ok ? await tx.addresses.byInstance(i.instanceId) : undefined;
      if (!eip) return;
      if (p.releaseAddress) {
        await tx.networks.releasePublicIp(eip.ip);
        await tx.addresses.remove(eip.addressId);
      } else {
        await tx.addresses.update({ ...eip, status: "UNBIND", instanceId: null });
      }
    },
  },
  RecycleInstances: {
    run: async (b, i) => {
      if (await isRunning(b, i.instanceId)) await b.stop(i.instanceId, true);
    },
    // Returned by its owner (MANMADE), expired (EXPIRE) or isolated for debt (ARREAR): billing/terms.ts.
    onSuccess: (p) => ({ doc: { IsolatedSource: (p.source as string | undefined) ?? "MANMADE", IsolatedAt: p.isolatedAt as string | undefined, StopChargingMode: "NOT_APPLICABLE" } }),
  },
  ResetInstancesType: {
    // The instance ends RUNNING whatever it was in, as the real cloud does.
    run: (b, i, p, show, at) => whileStopped(b, i, p, show, restartAfter(p, true), () => b.reconfigure(machine(i, at, { cpu: p.cpu as number, memory: p.memory as number }))),
    onSuccess: (p) => ({
      instanceType: p.instanceType as string,
      instanceFamily: p.instanceFamily as string,
      doc: { CPU: p.cpu as number, Memory: p.memory as number, StopChargingMode: "NOT_APPLICABLE" },
    }),
  },
  ResetInstance: {
    run: (b, i, p, show, at) =>
      whileStopped(b, i, p, show, restartAfter(p, true), () =>
        b.reinstall(machine(i, at, { imageId: p.imageId as string, hostName: (p.hostName as string) ?? i.doc.HostName, authorizedKeys: keysOf(p), keyIds: (p.keyIds as string[] | undefined) ?? [], passwordHash: p.passwordHash as string | undefined })),
      ),
    // A reinstalled system keeps only the keys the request gave (none: it logs in with a password).
    onSuccess: (p) => ({ imageId: p.imageId as string, keyIds: (p.keyIds as string[]) ?? [], doc: { ...(p.doc as InstanceChange["doc"]), StopChargingMode: "NOT_APPLICABLE" } }),
  },
  ResizeInstanceDisks: {
    run: async (b, i, p, show) => {
      const sizes = p.doc as { SystemDisk: { DiskSize: number }; DataDisks: { DiskSize: number }[] };
      const resize = () => b.resizeDisks(i.instanceId, sizes.SystemDisk.DiskSize, sizes.DataDisks.map((d) => d.DiskSize));
      if (p.online) return resize();
      return whileStopped(b, i, p, show, restartAfter(p), resize);
    },
    onSuccess: (p) => ({ doc: p.doc as InstanceChange["doc"] }),
  },
  ResetInstancesPassword: {
    run: (b, i, p, show) => whileStopped(b, i, p, show, restartAfter(p), () =>
        b.setPassword(i.instanceId, (p.userName as string) || i.doc.DefaultLoginUser, p.passwordHash as string),
      ),
  },
  CreateImage: {
    watched: (p) => p.imageId as string,
    run: async (b, i, p, show) => {
      const capture = () => b.captureImage(i.instanceId, p.imageId as string);
      if (p.forcePoweroff && (await isRunning(b, i.instanceId))) return whileStopped(b, i, { stopType: "HARD" }, show, true, capture);
      return capture();
    },
    afterward: async (tx, p, ok) => {
      await tx.images.update(p.imageId as string, { state: ok ? "NORMAL" : "CREATEFAILED" }, "CREATING");
      // The image's snapshots are taken with it, or not at all.
      if (ok) await tx.snapshots.setState({ imageId: p.imageId as string }, "NORMAL");
      else await tx.snapshots.remove((await tx.snapshots.ofImages([p.imageId as string])).map((s) => s.snapshotId));
    },
  },
  AssociateInstancesKeyPairs: setKeys(),
  DisassociateInstancesKeyPairs: setKeys(),
  ModifyInstancesVpcAttribute: {
    // The address in the new subnet was reserved when the call was accepted; the old one is given back on success,
    // the new one on failure.
    run: (b, i, p, show) => whileStopped(b, i, p, show, restartAfter(p), async () => undefined),
    onSuccess: (p) => ({ vpcId: p.vpcId as string, subnetId: p.subnetId as string, privateIp: p.privateIp as string }),
    afterward: async (tx, p, ok, i) => {
      if (ok) await tx.networks.releasePrivate(i.subnetId, i.privateIp);
      else await tx.networks.releasePrivate(p.subnetId as string, p.privateIp as string);
    },
  },
  ModifyInstancesAttribute: {
    // A guest takes its host name from the metadata service at boot, which answers from the store.
    run: (b, i) => b.reboot(i.instanceId, false),
    onSuccess: (p) => ({ doc: { HostName: p.hostName as string } }),
  },
  // Neither backend has a rescue system of its own: the machine is booted again as it is (the rescue password's
  // hash travels in the payload for one that will).
  EnterRescueMode: { run: (b, i, p) => bootAgain(b, i.instanceId, (p.stopType as StopType | undefined) ?? "SOFT") },
  ExitRescueMode: { run: (b, i) => bootAgain(b, i.instanceId, "SOFT_FIRST") },
};
