// ResizeDisk and ModifyDiskAttributes. A disk grows through the engine: EXPANDING, then ATTACHED or UNATTACHED at
// its new size. An attached disk grows online, as CBS grows disks, without occupying its instance (whose record
// takes the size when it is done); a monthly instance pays for the growth as ResizeInstanceDisks would charge.
import { randomUUID } from "node:crypto";
import { action } from "../../../api/action.js";
import type * as cbs from "../../../api/generated/cbs-types.js";
import { fail } from "../../../domain/errors.js";
import { payForChange } from "../../../instances/charges.js";
import { documentedCode, invalid, unsupported } from "../../shared/refusals.js";
import { refuseDisksInTransit } from "./disk-attachment.js";
import { checkDataDiskSize, checkName, ownDisks, refuseBusy, refuseRecycled } from "./disk-inputs.js";

export const resizeDisk = action<cbs.ResizeDiskRequest, cbs.ResizeDiskResponse>("cbs", "ResizeDisk", async (ctx, p, deps) => {
  if (p.DiskId === undefined) throw fail("MissingParameter", "The request is missing the parameter `DiskId`.", "缺少参数 `DiskId`。");
  await deps.store.transaction(async (tx) => {
    const [disk] = await ownDisks(tx, ctx, [p.DiskId!], "DiskId");
    refuseBusy(ctx.action, disk, "DiskId");
    refuseRecycled(ctx.action, disk, "DiskId");
    if (p.DiskSize <= disk.diskSize) throw invalid("InvalidParameterValue", "DiskSize", p.DiskSize, `a disk only grows, beyond its ${disk.diskSize} GiB`, `云硬盘只能扩容，需大于当前的 ${disk.diskSize} GiB`);
    if (disk.diskUsage === "SYSTEM_DISK") {
      const max = deps.catalog.diskType(disk.diskType)?.systemDisk?.max ?? disk.diskSize;
      if (p.DiskSize > max) throw invalid(documentedCode(ctx.action, ["InvalidParameter.DiskConfigNotSupported"]), "DiskSize", p.DiskSize, `a ${disk.diskType} system disk has at most ${max} GiB`, `${disk.diskType} 系统盘最大 ${max} GiB`);
    } else {
      checkDataDiskSize(ctx.action, deps.catalog, disk.diskType, p.DiskSize, "DiskSize");
    }
    const [instance] = disk.instanceId === null ? [] : await tx.instances.find(ctx.account.appId, ctx.region!, [disk.instanceId]);
    const payload: Record<string, unknown> = { diskId: disk.diskId, diskSize: p.DiskSize };
    if (instance) {
      if (instance.state !== "RUNNING" && instance.state !== "STOPPED") {
        throw invalid("InvalidDisk.Busy", "DiskId", disk.diskId, `its instance ${instance.instanceId} is ${instance.state}`, `其实例 ${instance.instanceId} 处于 ${instance.state} 状态`);
      }
      await refuseDisksInTransit(tx, ctx.action, instance.instanceId);
      const systemDisk = disk.diskUsage === "SYSTEM_DISK" ? { ...instance.doc.SystemDisk, DiskSize: p.DiskSize } : instance.doc.SystemDisk;
      const dataDisks = instance.doc.DataDisks.map((d) => (d.DiskId === disk.diskId ? { ...d, DiskSize: p.DiskSize } : d));
      await payForChange(tx, deps, ctx, instance, { systemDisk, dataDisks });
      // The machine's disks grow to these sizes (its qemu process grows a running one itself).
      Object.assign(payload, { instanceId: instance.instanceId, systemDiskSize: systemDisk.DiskSize, dataDiskSizes: dataDisks.map((d) => d.DiskSize) });
    }
    await tx.disks.update(disk.diskId, { state: "EXPANDING" }, disk.state);
    // Named by its instance when attached, so that the node hosting the machine runs it.
    await tx.operations.add([{ operationId: randomUUID(), instanceId: instance?.instanceId ?? disk.diskId, kind: "ResizeDisk", requestId: ctx.requestId, payload }]);
  });
  deps.engine.kick();
  return {};
});

export const modifyDiskAttributes = action<cbs.ModifyDiskAttributesRequest, cbs.ModifyDiskAttributesResponse>("cbs", "ModifyDiskAttributes", async (ctx, p, deps) => {
  if (p.DiskType !== undefined) throw unsupported("DiskType");
  if (p.BurstPerformanceOperation !== undefined) throw unsupported("BurstPerformanceOperation");
  if (p.Portable === false) throw unsupported("Portable");
  checkName(p.DiskName, "DiskName");
  if (p.DiskName === undefined && p.DeleteWithInstance === undefined && p.ProjectId === undefined && p.Portable === undefined) {
    throw fail("MissingParameter", "Give at least one of `DiskName`, `DeleteWithInstance`, `ProjectId`, `Portable`.", "请至少指定 `DiskName`、`DeleteWithInstance`、`ProjectId`、`Portable` 之一。");
  }
  await deps.store.transaction(async (tx) => {
    const disks = await ownDisks(tx, ctx, p.DiskIds, "DiskIds");
    for (const [i, d] of disks.entries()) {
      if (p.DeleteWithInstance !== undefined && d.diskUsage === "SYSTEM_DISK") {
        throw invalid("InvalidDisk.NotSupported", `DiskIds.${i}`, d.diskId, "a system disk is always deleted with its instance", "系统盘总是随实例销毁");
      }
    }
    for (const d of disks) {
      await tx.disks.update(d.diskId, { diskName: p.DiskName ?? d.diskName, projectId: p.ProjectId ?? d.projectId, deleteWithInstance: p.DeleteWithInstance ?? d.deleteWithInstance });
      // DescribeInstances shows a data disk's name and flag in DataDisks: the instance's record says them too.
      if ((p.DeleteWithInstance === undefined && p.DiskName === undefined) || d.instanceId === null || d.diskUsage === "SYSTEM_DISK") continue;
      const instance = await tx.instances.get(d.instanceId);
      const changed = { ...(p.DeleteWithInstance !== undefined ? { DeleteWithInstance: p.DeleteWithInstance } : {}), ...(p.DiskName !== undefined ? { DiskName: p.DiskName } : {}) };
      const dataDisks = instance?.doc.DataDisks.map((x) => (x.DiskId === d.diskId ? { ...x, ...changed } : x));
      if (instance && dataDisks) await tx.instances.update(instance.instanceId, { doc: { DataDisks: dataDisks } });
    }
  });
  return {};
});
