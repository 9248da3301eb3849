// What ResizeInstanceDisks and ResetInstance do to an instance's disks, checked once for the action and for its
// InquiryPrice twin, so that the inquiry prices exactly the disks the action would make.
import type { Deps } from "../../../api/action.js";
import type { ImageEntry } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import type { InstanceDoc, InstanceRecord } from "../../../store/store.js";
import { dataDiskRange, systemDiskRange } from "./purchase-inputs.js";
import { documentedCode, invalid, unsupported } from "../../shared/refusals.js";

interface DiskAsk {
  DiskId?: string;
  DiskSize?: number;
}

/** The largest system disk the instance's type and disk type allow (its own size if the catalog no longer says). */
function maxSystemDisk(deps: Deps, r: InstanceRecord): number {
  return systemDiskRange(deps.catalog, deps.catalog.instanceType(r.instanceType), r.doc.SystemDisk.DiskType)?.max ?? r.doc.SystemDisk.DiskSize;
}

/**
 * The disks after growing the system disk or the data disks named (ResizeInstanceDisks and its inquiry): one or the
 * other, each larger than it is and within the catalog's range. A data disk is named by DiskId; an instance's only
 * data disk may go unnamed, as the real API's own example does.
 */
export function resizedDisks(
  deps: Deps,
  action: string,
  r: InstanceRecord,
  p: { SystemDisk?: DiskAsk; DataDisks?: DiskAsk[] },
): Pick<InstanceDoc, "SystemDisk" | "DataDisks"> {
  if (!p.DataDisks?.length && !p.SystemDisk) throw fail("MissingParameter.AtLeastOne", "Give `DataDisks` or `SystemDisk`.", "需指定 `DataDisks` 或 `SystemDisk`。");
  if (p.DataDisks?.length && p.SystemDisk) {
    throw fail("InvalidParameterValue", "`SystemDisk` and `DataDisks` cannot be resized in one call.", "`SystemDisk` 与 `DataDisks` 不能在同一请求中扩容。");
  }
  const systemDisk = { ...r.doc.SystemDisk };
  if (p.SystemDisk) {
    const size = p.SystemDisk.DiskSize ?? systemDisk.DiskSize;
    const max = maxSystemDisk(deps, r);
    if (size <= systemDisk.DiskSize || size > max) {
      throw invalid("InvalidParameterValue", "SystemDisk.DiskSize", size, `it must grow the disk beyond ${systemDisk.DiskSize} GiB, up to ${max}`, `需大于当前的 ${systemDisk.DiskSize} GiB，且不超过 ${max} GiB`);
    }
    systemDisk.DiskSize = size;
  }
  const dataDisks = r.doc.DataDisks.map((d) => ({ ...d }));
  for (const [i, asked] of (p.DataDisks ?? []).entries()) {
    const disk = asked.DiskId !== undefined ? dataDisks.find((d) => d.DiskId === asked.DiskId) : dataDisks.length === 1 ? dataDisks[0] : undefined;
    if (!disk) {
      if (asked.DiskId === undefined) {
        throw fail("MissingParameter", `Instance ${r.instanceId} has ${dataDisks.length} data disks: name one with \`DataDisks.${i}.DiskId\`.`, `实例 ${r.instanceId} 有 ${dataDisks.length} 块数据盘，请用 \`DataDisks.${i}.DiskId\` 指定。`);
      }
      const code = documentedCode(action, ["UnsupportedOperation.InvalidDataDisk", "UnsupportedOperation.InvalidDisk"]);
      throw invalid(code, `DataDisks.${i}.DiskId`, asked.DiskId, `instance ${r.instanceId} has no such data disk`, `实例 ${r.instanceId} 没有该数据盘`);
    }
    const size = asked.DiskSize ?? disk.DiskSize;
    // The catalog's sizes for the disk's type; a type it no longer sells cannot grow.
    const { max, step } = dataDiskRange(deps.catalog, deps.catalog.instanceType(r.instanceType), disk.DiskType) ?? { max: disk.DiskSize, step: 1 };
    if (size <= disk.DiskSize || size > max || size % step !== 0) {
      throw invalid("InvalidParameterValue", `DataDisks.${i}.DiskSize`, size, `it must grow the disk beyond ${disk.DiskSize} GiB, up to ${max}, in steps of ${step}`, `需大于当前的 ${disk.DiskSize} GiB，不超过 ${max} GiB，且为 ${step} 的倍数`);
    }
    disk.DiskSize = size;
  }
  return { SystemDisk: systemDisk, DataDisks: dataDisks };
}

/**
 * The system disk after reinstalling `image` (ResetInstance and its inquiry): its type kept, its size as asked or as
 * it is, but never below what it is nor below the image.
 */
export function reinstalledSystemDisk(deps: Deps, r: InstanceRecord, image: Pick<ImageEntry, "imageSize">, asked: { DiskType?: string; DiskSize?: number } | undefined): InstanceDoc["SystemDisk"] {
  if (asked?.DiskType !== undefined && asked.DiskType !== r.doc.SystemDisk.DiskType) throw unsupported("SystemDisk.DiskType");
  const min = Math.max(r.doc.SystemDisk.DiskSize, image.imageSize);
  const size = asked?.DiskSize ?? min;
  const max = maxSystemDisk(deps, r);
  if (size < min || size > max) {
    throw invalid("InvalidParameterValue", "SystemDisk.DiskSize", size, `a system disk only grows, from ${min} up to ${max} GiB (at least the image's size)`, `系统盘只能扩容，范围为 ${min}-${max} GiB（不小于镜像大小）`);
  }
  return { ...r.doc.SystemDisk, DiskSize: size };
}
