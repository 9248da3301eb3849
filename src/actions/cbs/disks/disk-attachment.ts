// AttachDisks and DetachDisks. A disk moves to ATTACHING or DETACHING at once and the engine finishes the move
// (engine/resource-steps.ts): attached, it is one of the instance's data disks (DescribeInstances' DataDisks, billed
// with the instance); detached, it is a disk of its own again. The instance must be RUNNING or STOPPED (or, to
// detach, SHUTDOWN: the provider detaches a monthly instance's disks in the recycle bin) with no operation in
// progress, and no other change to its disks may start meanwhile.
import { randomUUID } from "node:crypto";
import { action, type RequestContext } from "../../../api/action.js";
import type * as cbs from "../../../api/generated/cbs-types.js";
import { isIdOf } from "../../../domain/ids.js";
import type { InstanceRecord, Store } from "../../../store/store.js";
import { documentedCode, invalid, unsupported } from "../../shared/refusals.js";
import { MAX_DATA_DISKS, ownDisks, refuseBusy, refuseRecycled } from "./disk-inputs.js";

/** Where disks may be attached (and, with SHUTDOWN, detached: a monthly instance's in the recycle bin). */
const ATTACH_FROM = ["RUNNING", "STOPPED"];
const DETACH_FROM = ["RUNNING", "STOPPED", "SHUTDOWN"];

/** The caller's instance, ready to have disks attached or detached. */
async function readyInstance(store: Store, ctx: RequestContext, instanceId: string, from: readonly string[]): Promise<InstanceRecord> {
  const [instance] = isIdOf("ins", instanceId) ? await store.instances.find(ctx.account.appId, ctx.region!, [instanceId]) : [];
  if (!instance) throw invalid("InvalidInstanceId.NotFound", "InstanceId", instanceId, `no such instance in ${ctx.region}`, `${ctx.region} 不存在该实例`);
  if (instance.latestOperationState === "OPERATING") {
    throw invalid("ResourceBusy", "InstanceId", instanceId, `the instance is still running ${instance.latestOperation}`, `实例的操作 ${instance.latestOperation} 仍在进行中`);
  }
  if (!from.includes(instance.state)) {
    throw invalid(documentedCode(ctx.action, ["InvalidInstance.NotSupported", "ResourceUnavailable.NotSupported"]), "InstanceId", instanceId, `the instance is ${instance.state}`, `实例处于 ${instance.state} 状态`);
  }
  return instance;
}

/** Refuses a change to the instance's disks while one of them is on its way in or out, or growing. */
export async function refuseDisksInTransit(store: Store, action: string, instanceId: string): Promise<void> {
  const moving = (await store.disks.ofInstance(instanceId)).find((d) => d.state === "ATTACHING" || d.state === "DETACHING" || d.state === "EXPANDING");
  if (moving) {
    const code = documentedCode(action, ["InvalidDisk.Busy", "ResourceBusy", "OperationDenied.InstanceOperationInProgress"]);
    throw invalid(code, "InstanceId", instanceId, `its disk ${moving.diskId} is ${moving.state}`, `其云硬盘 ${moving.diskId} 处于 ${moving.state} 状态`);
  }
}

export const attachDisks = action<cbs.AttachDisksRequest, cbs.AttachDisksResponse>("cbs", "AttachDisks", async (ctx, p, deps) => {
  if (p.AttachMode !== undefined) throw unsupported("AttachMode");
  await deps.store.transaction(async (tx) => {
    const instance = await readyInstance(tx, ctx, p.InstanceId, ATTACH_FROM);
    const disks = await ownDisks(tx, ctx, p.DiskIds, "DiskIds");
    const incoming = (await tx.disks.ofInstance(instance.instanceId)).filter((d) => d.state === "ATTACHING").length;
    if (instance.doc.DataDisks.length + incoming + disks.length > MAX_DATA_DISKS) {
      throw invalid("LimitExceeded.InstanceAttachedDisk", "DiskIds", disks.length, `an instance holds at most ${MAX_DATA_DISKS} data disks; ${instance.instanceId} has ${instance.doc.DataDisks.length + incoming}`, `一台实例最多挂载 ${MAX_DATA_DISKS} 块数据盘`);
    }
    for (const [i, d] of disks.entries()) {
      const field = `DiskIds.${i}`;
      refuseBusy(ctx.action, d, field);
      refuseRecycled(ctx.action, d, field);
      if (d.instanceId !== null) throw invalid("ResourceUnavailable.Attached", field, d.diskId, `the disk is attached to ${d.instanceId}`, `云硬盘已挂载到 ${d.instanceId}`);
      if (!d.portable) throw invalid("InvalidDisk.NotPortable", field, d.diskId, "the disk cannot be attached elsewhere", "该云硬盘不支持挂载");
      // An attached disk is billed and renewed with its instance, which would drop or double the term it paid for.
      if (d.chargeType === "PREPAID") throw unsupported(`${field} (a monthly disk of its own)`);
      if (d.zone !== instance.zone) throw invalid("ResourceUnavailable.ZoneNotMatch", field, d.diskId, `the disk is in ${d.zone}, the instance in ${instance.zone}`, `云硬盘位于 ${d.zone}，实例位于 ${instance.zone}`);
    }
    for (const d of disks) {
      await tx.disks.update(d.diskId, { state: "ATTACHING", instanceId: instance.instanceId, deleteWithInstance: p.DeleteWithInstance ?? d.deleteWithInstance });
    }
    // Named by the instance, so that the node hosting its machine (a real one) plugs the disk in.
    await tx.operations.add(disks.map((d) => ({ operationId: randomUUID(), instanceId: instance.instanceId, kind: "AttachDisks", requestId: ctx.requestId, payload: { diskId: d.diskId, instanceId: instance.instanceId, diskSize: d.diskSize } })));
  });
  deps.engine.kick();
  return {};
}, { partial: "a monthly (PREPAID) disk of its own is not attached" });

export const detachDisks = action<cbs.DetachDisksRequest, cbs.DetachDisksResponse>("cbs", "DetachDisks", async (ctx, p, deps) => {
  await deps.store.transaction(async (tx) => {
    if (p.InstanceId !== undefined) await readyInstance(tx, ctx, p.InstanceId, DETACH_FROM);
    const disks = await ownDisks(tx, ctx, p.DiskIds, "DiskIds");
    for (const [i, d] of disks.entries()) {
      const field = `DiskIds.${i}`;
      refuseBusy(ctx.action, d, field);
      // A monthly data disk that went to the recycle bin with its instance (ReleasePrepaidDataDisks) goes with it.
      refuseRecycled(ctx.action, d, field);
      if (d.diskUsage === "SYSTEM_DISK") throw invalid("InvalidDisk.NotPortable", field, d.diskId, "a system disk cannot be detached", "系统盘不能卸载");
      if (d.instanceId === null) throw invalid("InvalidDisk.NotSupported", field, d.diskId, "the disk is not attached", "云硬盘未挂载");
      if (p.InstanceId !== undefined && d.instanceId !== p.InstanceId) throw invalid("InvalidParameterValue", field, d.diskId, `the disk is attached to ${d.instanceId}, not ${p.InstanceId}`, `云硬盘挂载在 ${d.instanceId} 上，而非 ${p.InstanceId}`);
      await readyInstance(tx, ctx, d.instanceId, DETACH_FROM);
    }
    for (const d of disks) await tx.disks.update(d.diskId, { state: "DETACHING" });
    await tx.operations.add(disks.map((d) => ({ operationId: randomUUID(), instanceId: d.instanceId!, kind: "DetachDisks", requestId: ctx.requestId, payload: { diskId: d.diskId, instanceId: d.instanceId } })));
  });
  deps.engine.kick();
  return {};
});
