// ModifyInstanceDiskType: a stopped instance's local disks become cloud disks of the type asked for, as documented:
// only local to cloud, not for spot instances, the system disk and the data disk together when both are local, one
// data disk at a time. Each disk keeps its size, which the cloud type must allow. The store re-rates the instance
// with the write, and a monthly one pays the difference for the rest of its term.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { LOCAL_DISK_TYPES } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import { payForChange } from "../../../instances/charges.js";
import { applyNow, guard } from "../../../instances/operations.js";
import { namedInstances } from "./instance-operations.js";
import { dataDiskRange, systemDiskRange } from "./purchase-inputs.js";
import { invalid } from "../../shared/refusals.js";

const isLocal = (diskType: string) => (LOCAL_DISK_TYPES as readonly string[]).includes(diskType);

export const modifyInstanceDiskType = action<cvm.ModifyInstanceDiskTypeRequest, cvm.ModifyInstanceDiskTypeResponse>("cvm", "ModifyInstanceDiskType", async (ctx, p, deps) => {
  if (!p.SystemDisk && !p.DataDisks?.length) throw fail("MissingParameter", "Give `SystemDisk`, `DataDisks` or both.", "需指定 `SystemDisk`、`DataDisks` 或两者。");
  if ((p.DataDisks?.length ?? 0) > 1) throw invalid("InvalidParameter", "DataDisks", p.DataDisks!.length, "one data disk is converted at a time", "每次只能转换一块数据盘");
  const [r] = await namedInstances(ctx, deps.store, [p.InstanceId], "InstanceId");
  guard(ctx.action, [r], ["STOPPED"]);
  if (r.chargeType === "SPOTPAID") throw fail("InvalidParameter.InvalidInstanceNotSupported", `Instance ${r.instanceId} is a spot instance, whose disks cannot be converted.`, `实例 ${r.instanceId} 为竞价实例，不支持转换硬盘介质。`);
  const type = deps.catalog.instanceType(r.instanceType);
  const systemLocal = isLocal(r.doc.SystemDisk.DiskType);
  const localData = r.doc.DataDisks.filter((d) => isLocal(d.DiskType));
  if (!systemLocal && localData.length === 0) throw fail("InvalidParameter.InvalidInstanceNotSupported", `Instance ${r.instanceId} has no local disk; only local disks are converted to cloud disks.`, `实例 ${r.instanceId} 没有本地盘，仅支持本地盘转换为云硬盘。`);
  if (systemLocal && localData.length > 0 && (!p.SystemDisk || !p.DataDisks?.length)) {
    throw fail("MissingParameter", `Instance ${r.instanceId} has a local system disk and a local data disk: convert both together.`, `实例 ${r.instanceId} 同时有本地系统盘和本地数据盘，需同时转换。`);
  }
  /** The cloud type asked for a disk, which must be a cloud type the catalog sells with room for its size. */
  const target = (asked: string | undefined, field: string, size: number, range: typeof systemDiskRange): string => {
    if (asked === undefined) throw fail("MissingParameter", `The request is missing the required parameter \`${field}\`.`, `缺少必需参数 \`${field}\`。`);
    if (isLocal(asked) || !deps.catalog.diskType(asked)) throw invalid("InvalidParameterValue", field, asked, "name a cloud disk type the catalog sells", "应为在售的云硬盘类型");
    const allowed = range(deps.catalog, type, asked);
    if (!allowed || size < allowed.min || size > allowed.max) throw invalid("InvalidParameterValue.LocalDiskSizeRange", field, asked, `a ${asked} disk holds ${allowed?.min ?? "-"} to ${allowed?.max ?? "-"} GiB, the disk has ${size}`, `${asked} 的容量范围为 ${allowed?.min ?? "-"}-${allowed?.max ?? "-"} GiB，该盘为 ${size} GiB`);
    return asked;
  };
  const systemDisk = { ...r.doc.SystemDisk };
  if (p.SystemDisk) {
    if (!systemLocal) throw invalid("InvalidParameter", "SystemDisk", r.doc.SystemDisk.DiskType, "the system disk is already a cloud disk", "系统盘已是云硬盘");
    systemDisk.DiskType = target(p.SystemDisk.DiskType, "SystemDisk.DiskType", systemDisk.DiskSize, systemDiskRange);
  }
  const dataDisks = r.doc.DataDisks.map((d) => ({ ...d }));
  if (p.DataDisks?.length) {
    const disk = dataDisks.find((d) => isLocal(d.DiskType));
    if (!disk) throw invalid("InvalidParameter", "DataDisks", "", "the instance has no local data disk", "实例没有本地数据盘");
    // The API asks for the size too; a conversion keeps it.
    if (p.DataDisks[0].DiskSize !== disk.DiskSize) throw invalid("InvalidParameterValue", "DataDisks.0.DiskSize", p.DataDisks[0].DiskSize, `the disk keeps its ${disk.DiskSize} GiB`, `转换后容量不变，仍为 ${disk.DiskSize} GiB`);
    disk.DiskType = target(p.DataDisks[0].DiskType, "DataDisks.0.DiskType", disk.DiskSize, dataDiskRange);
  }
  await deps.store.transaction(async (tx) => {
    await payForChange(tx, deps, ctx, r, { systemDisk, dataDisks });
    await applyNow(tx, ctx, ctx.action, [r], { doc: { SystemDisk: systemDisk, DataDisks: dataDisks } });
  });
  return {};
});
