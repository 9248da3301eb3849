// The HostItem DescribeHosts returns: a host as bought, with what its instances leave of its capacity.
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { HostRecord, HostUsage } from "../../../store/store.js";

export function hostView(h: HostRecord, used: HostUsage): cvm.HostItem {
  return {
    Placement: { Zone: h.zone, ProjectId: h.projectId },
    HostId: h.hostId,
    HostType: h.hostType,
    HostName: h.hostName,
    // Dedicated hosts are sold monthly only.
    HostChargeType: "PREPAID",
    RenewFlag: h.renewFlag,
    CreatedTime: h.createdAt,
    ExpiredTime: h.expiredTime,
    InstanceIds: used.instanceIds,
    HostState: h.state,
    HostIp: h.hostIp,
    HostResource: {
      CpuTotal: h.cpu,
      CpuAvailable: h.cpu - used.cpu,
      MemTotal: h.memory,
      MemAvailable: h.memory - used.memory,
      DiskTotal: h.disk,
      DiskAvailable: h.disk - used.disk,
      DiskType: h.diskType,
      GpuTotal: 0,
      GpuAvailable: 0,
      ExclusiveOwner: null,
    },
    // Not in a finance zone's cage.
    CageId: "",
    Tags: h.tags.map((t) => ({ Key: t.key, Value: t.value })),
  };
}
