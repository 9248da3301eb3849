// The disks an instance's record holds, as the disk rows they are: an instance's system and data disks are cloud
// disks whose size, type and flags the instance's document says. Used by the store whenever it writes an instance,
// and by the migration that gave the instances of before their rows.
import type { DisksTable } from "./schema.js";
import type { DiskRecord, InstanceDoc } from "./store.js";

/** What a disk row takes from its instance. */
export interface DiskHolder {
  instanceId: string;
  appId: number;
  region: string;
  zone: string;
  chargeType: string;
  projectId: number;
  createdAt: string;
  doc: Pick<InstanceDoc, "SystemDisk" | "DataDisks" | "ExpiredTime" | "RenewFlag">;
}

/** A disk's charge type from its instance's: disks have no spot price, a spot instance's are hourly. */
export function diskChargeType(instanceChargeType: string): string {
  return instanceChargeType === "PREPAID" ? "PREPAID" : "POSTPAID_BY_HOUR";
}

/** The disk records an instance's document describes, attached to it. */
export function instanceDisks(i: DiskHolder): DiskRecord[] {
  const common = {
    appId: i.appId,
    region: i.region,
    zone: i.zone,
    state: "ATTACHED" as const,
    instanceId: i.instanceId,
    chargeType: diskChargeType(i.chargeType),
    encrypt: false,
    projectId: i.projectId,
    createdAt: i.createdAt,
    deadline: i.chargeType === "PREPAID" ? (i.doc.ExpiredTime ?? null) : null,
    renewFlag: i.doc.RenewFlag ?? "NOTIFY_AND_MANUAL_RENEW",
    tags: [],
  };
  const system: DiskRecord = {
    ...common,
    diskId: i.doc.SystemDisk.DiskId,
    diskUsage: "SYSTEM_DISK",
    diskType: i.doc.SystemDisk.DiskType,
    diskSize: i.doc.SystemDisk.DiskSize,
    diskName: "",
    deleteWithInstance: true,
    portable: false,
  };
  const data = i.doc.DataDisks.map((d): DiskRecord => ({
    ...common,
    diskId: d.DiskId,
    diskUsage: "DATA_DISK",
    diskType: d.DiskType,
    diskSize: d.DiskSize,
    diskName: d.DiskName ?? "",
    deleteWithInstance: d.DeleteWithInstance,
    portable: true,
  }));
  return [system, ...data];
}

type DiskDoc = Omit<DiskRecord, "diskId" | "appId" | "region" | "zone" | "instanceId" | "state" | "createdAt">;

export function diskRow(d: DiskRecord): DisksTable {
  const { diskId, appId, region, zone, instanceId, state, createdAt, ...doc } = d;
  return { disk_id: diskId, app_id: appId, region, zone, instance_id: instanceId, state, created_at: createdAt, doc: JSON.stringify(doc satisfies DiskDoc) };
}

export function diskRecord(r: DisksTable): DiskRecord {
  const doc = JSON.parse(r.doc) as DiskDoc;
  return { diskId: r.disk_id, appId: Number(r.app_id), region: r.region, zone: r.zone, instanceId: r.instance_id, state: r.state as DiskRecord["state"], createdAt: r.created_at, ...doc };
}
