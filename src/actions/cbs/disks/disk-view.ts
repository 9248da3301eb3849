// The Disk object DescribeDisks answers with. A disk whose instance is growing it (ResizeDisk on an attached disk
// runs as the instance's ResizeInstanceDisks) shows EXPANDING until the instance's operation ends.
import type * as cbs from "../../../api/generated/cbs-types.js";
import { spacedTime } from "../../../domain/dates.js";
import type { DiskRecord, InstanceRecord } from "../../../store/store.js";

/** The state DescribeDisks shows for a disk whose instance (if attached) is `instance`. */
export function shownState(d: DiskRecord, instance: InstanceRecord | undefined): string {
  const growing = instance?.latestOperation === "ResizeInstanceDisks" && instance.latestOperationState === "OPERATING";
  return d.state === "ATTACHED" && growing ? "EXPANDING" : d.state;
}

export function diskView(d: DiskRecord, instance: InstanceRecord | undefined, snapshotCount: number): cbs.Disk {
  const attached = d.state === "ATTACHED" || d.state === "DETACHING" || d.state === "EXPANDING";
  return {
    DiskId: d.diskId,
    DiskName: d.diskName,
    DiskUsage: d.diskUsage,
    DiskType: d.diskType,
    DiskSize: d.diskSize,
    DiskState: shownState(d, instance),
    DiskChargeType: d.chargeType,
    Placement: { Zone: d.zone, ProjectId: d.projectId, DedicatedClusterId: "", CageId: null, CdcId: null, CdcName: null, ProjectName: null },
    InstanceId: d.instanceId ?? "",
    InstanceIdList: d.instanceId ? [d.instanceId] : [],
    InstanceType: d.instanceId ? "CVM" : "",
    Attached: attached,
    LastAttachInsId: d.instanceId,
    AttachMode: "",
    DeleteWithInstance: d.deleteWithInstance,
    Portable: d.portable,
    Encrypt: d.encrypt,
    Shareable: false,
    SnapshotAbility: true,
    SnapshotCount: snapshotCount,
    SnapshotSize: 0,
    AutoSnapshotPolicyIds: null,
    Tags: d.tags.map((t) => ({ Key: t.key, Value: t.value })),
    CreateTime: spacedTime(d.createdAt),
    DeadlineTime: d.deadline ? spacedTime(d.deadline) : "",
    DeadlineError: false,
    DifferDaysOfDeadline: null,
    RenewFlag: d.chargeType === "PREPAID" ? d.renewFlag : "",
    AutoRenewFlagError: false,
    IsReturnable: d.chargeType === "PREPAID" && d.state !== "TORECYCLE",
    ReturnFailCode: 0,
    Rollbacking: false,
    RollbackPercent: 0,
    Migrating: false,
    MigratePercent: 0,
    BackupDisk: false,
    DiskBackupQuota: 0,
    DiskBackupCount: 0,
    DeleteSnapshot: 0,
    ThroughputPerformance: 0,
    BurstPerformance: false,
    ErrorPrompt: "",
  };
}
