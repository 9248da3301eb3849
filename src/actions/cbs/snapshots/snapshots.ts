// CreateSnapshot, DescribeSnapshots and DeleteSnapshots. A snapshot is CREATING until the engine finishes it
// (NORMAL). CreateImage takes one of each disk it captures, bound to the image: such a snapshot is deleted only with
// its image (DeleteImages' DeleteBindedSnap, or DeleteSnapshots' DeleteBindImages).
import { randomUUID } from "node:crypto";
import { action } from "../../../api/action.js";
import type * as cbs from "../../../api/generated/cbs-types.js";
import { isoSeconds, spacedTime } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf, randomId } from "../../../domain/ids.js";
import type { ImageRecord, SnapshotRecord } from "../../../store/store.js";
import { invalid, unsupported } from "../../shared/refusals.js";
import { checkName, checkTags, notAFilter, ownDisks, refuseRecycled } from "../disks/disk-inputs.js";

/** Snapshots an account may hold in a region. */
export const SNAPSHOT_QUOTA = 1000;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** A snapshot of each disk, as CreateImage and CreateSnapshot take them. */
export function newSnapshot(disk: { diskId: string; appId: number; region: string; zone: string; diskUsage: SnapshotRecord["diskUsage"]; diskSize: number; encrypt: boolean }, at: Date, fields: Pick<SnapshotRecord, "snapshotName" | "imageId" | "tags">): SnapshotRecord {
  return { snapshotId: randomId("snap"), appId: disk.appId, region: disk.region, zone: disk.zone, diskId: disk.diskId, diskUsage: disk.diskUsage, diskSize: disk.diskSize, encrypt: disk.encrypt, state: "CREATING", createdAt: isoSeconds(at), ...fields };
}

function view(s: SnapshotRecord, image: ImageRecord | undefined): cbs.Snapshot {
  return {
    SnapshotId: s.snapshotId,
    SnapshotName: s.snapshotName,
    SnapshotState: s.state,
    SnapshotType: "PRIVATE_SNAPSHOT",
    SnapshotMode: "NORMAL",
    Percent: s.state === "NORMAL" ? 100 : 0,
    DiskId: s.diskId,
    DiskUsage: s.diskUsage,
    DiskSize: s.diskSize,
    Encrypt: s.encrypt,
    Placement: { Zone: s.zone, ProjectId: 0, DedicatedClusterId: "", CageId: null, CdcId: null, CdcName: null, ProjectName: null },
    IsPermanent: true,
    DeadlineTime: "",
    CreateTime: spacedTime(s.createdAt),
    Images: image ? [{ ImageId: image.imageId, ImageName: image.imageName }] : [],
    ImageCount: image ? 1 : 0,
    CopyFromRemote: false,
    CopyingToRegions: [],
    ShareReference: 0,
    TimeStartShare: "",
    Tags: s.tags.map((t) => ({ Key: t.key, Value: t.value })),
  };
}

export const createSnapshot = action<cbs.CreateSnapshotRequest, cbs.CreateSnapshotResponse>("cbs", "CreateSnapshot", async (ctx, p, deps) => {
  if (p.DiskBackupId !== undefined) throw unsupported("DiskBackupId");
  if (p.Deadline !== undefined) throw unsupported("Deadline");
  if (p.DiskUsage !== undefined) throw unsupported("DiskUsage");
  if (p.DiskId === undefined) throw fail("MissingParameter", "The request is missing the parameter `DiskId`.", "缺少参数 `DiskId`。");
  checkName(p.SnapshotName, "SnapshotName");
  const tags = checkTags(p.Tags);
  const snapshotId = await deps.store.transaction(async (tx) => {
    const [disk] = await ownDisks(tx, ctx, [p.DiskId!], "DiskId");
    refuseRecycled(ctx.action, disk, "DiskId");
    const held = await tx.snapshots.list(ctx.account.appId, ctx.region!);
    if (held.some((s) => s.diskId === disk.diskId && s.state === "CREATING")) throw invalid("InvalidDisk.SnapshotCreating", "DiskId", disk.diskId, "a snapshot of the disk is being taken", "该云硬盘正在创建快照");
    if (held.length >= SNAPSHOT_QUOTA) throw fail("InsufficientSnapshotQuota", `You have ${SNAPSHOT_QUOTA} snapshots in ${ctx.region}, the quota.`, `您在 ${ctx.region} 的快照已达配额 ${SNAPSHOT_QUOTA} 个。`);
    const snapshot = newSnapshot(disk, ctx.now, { snapshotName: p.SnapshotName ?? "", imageId: null, tags });
    await tx.snapshots.insert([snapshot]);
    // An attached disk's copy is made by the node hosting its instance's machine.
    await tx.operations.add([{ operationId: randomUUID(), instanceId: disk.instanceId ?? snapshot.snapshotId, kind: "CreateSnapshot", requestId: ctx.requestId, payload: { snapshotId: snapshot.snapshotId, diskId: disk.diskId, instanceId: disk.instanceId, system: disk.diskUsage === "SYSTEM_DISK" } }]);
    return snapshot.snapshotId;
  });
  deps.engine.kick();
  return { SnapshotId: snapshotId };
});

const FILTERS: Record<string, (s: SnapshotRecord, v: string) => boolean> = {
  "snapshot-id": (s, v) => s.snapshotId === v,
  "snapshot-name": (s, v) => s.snapshotName.includes(v),
  "snapshot-state": (s, v) => s.state === v,
  "snapshot-type": (_s, v) => v === "PRIVATE_SNAPSHOT",
  "disk-id": (s, v) => s.diskId === v,
  "disk-usage": (s, v) => s.diskUsage === v,
  "project-id": (_s, v) => v === "0",
  zone: (s, v) => s.zone === v,
  encrypt: (s, v) => String(s.encrypt).toUpperCase() === v.toUpperCase(),
  "tag-key": (s, v) => s.tags.some((t) => t.key === v),
  "tag-value": (s, v) => s.tags.some((t) => t.value === v),
};

export const describeSnapshots = action<cbs.DescribeSnapshotsRequest, cbs.DescribeSnapshotsResponse>("cbs", "DescribeSnapshots", async (ctx, p, deps) => {
  const offset = p.Offset ?? 0;
  const limit = p.Limit ?? DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) throw invalid("InvalidParameterValue", "Limit", limit, `at most ${MAX_LIMIT}`, `最大为 ${MAX_LIMIT}`);
  if (p.SnapshotIds?.length && p.Filters?.length) throw fail("InvalidParameterValue", "SnapshotIds and Filters cannot be given together.", "SnapshotIds 与 Filters 不能同时指定。");
  if (p.Order !== undefined && p.Order !== "ASC" && p.Order !== "DESC") throw invalid("InvalidParameterValue", "Order", p.Order, "use ASC or DESC", "取值应为 ASC 或 DESC");
  if (p.OrderField !== undefined && p.OrderField !== "CREATE_TIME") throw invalid("InvalidParameterValue", "OrderField", p.OrderField, "OpenCVM orders by CREATE_TIME", "OpenCVM 仅支持按 CREATE_TIME 排序");
  for (const [i, id] of (p.SnapshotIds ?? []).entries()) {
    if (!isIdOf("snap", id)) throw invalid("InvalidParameterValue", `SnapshotIds.${i}`, id, "expected snap-xxxxxxxx", "格式应为 snap-xxxxxxxx");
  }
  let found = await deps.store.snapshots.list(ctx.account.appId, ctx.region!);
  if (p.SnapshotIds?.length) found = found.filter((s) => p.SnapshotIds!.includes(s.snapshotId));
  for (const [i, f] of (p.Filters ?? []).entries()) {
    const key = f.Name.startsWith("tag:") ? f.Name.slice(4) : undefined;
    const match = key !== undefined ? (s: SnapshotRecord, v: string) => s.tags.some((t) => t.key === key && t.value === v) : Object.hasOwn(FILTERS, f.Name) ? FILTERS[f.Name] : undefined;
    if (!match) throw notAFilter(i, f.Name, Object.keys(FILTERS));
    found = found.filter((s) => f.Values.some((v) => match(s, v)));
  }
  if (p.Order === "DESC") found.reverse();
  const page = found.slice(offset, offset + limit);
  const images = new Map<string, ImageRecord>();
  for (const id of new Set(page.flatMap((s) => (s.imageId ? [s.imageId] : [])))) {
    const image = await deps.store.images.get(id);
    if (image) images.set(id, image);
  }
  return { TotalCount: found.length, SnapshotSet: page.map((s) => view(s, s.imageId ? images.get(s.imageId) : undefined)) };
});

export const deleteSnapshots = action<cbs.DeleteSnapshotsRequest, cbs.DeleteSnapshotsResponse>("cbs", "DeleteSnapshots", async (ctx, p, deps) => {
  if (p.SnapshotIds.length > MAX_LIMIT) throw invalid("InvalidParameterValue", "SnapshotIds", p.SnapshotIds.length, `at most ${MAX_LIMIT} per call`, `每次最多 ${MAX_LIMIT} 个`);
  await deps.store.transaction(async (tx) => {
    const held = new Map((await tx.snapshots.list(ctx.account.appId, ctx.region!)).map((s) => [s.snapshotId, s]));
    const images = new Set<string>();
    for (const [i, id] of p.SnapshotIds.entries()) {
      const field = `SnapshotIds.${i}`;
      const s = isIdOf("snap", id) ? held.get(id) : undefined;
      if (!s) throw invalid("InvalidSnapshotId.NotFound", field, id, `no such snapshot in ${ctx.region}`, `${ctx.region} 不存在该快照`);
      if (s.state === "CREATING") throw invalid("ResourceUnavailable.SnapshotCreating", field, id, "the snapshot is still being taken", "快照仍在创建中");
      if (s.imageId === null) continue;
      if (!p.DeleteBindImages) throw invalid("UnsupportedOperation.SnapshotHasBindedImage", field, id, `image ${s.imageId} is made of it: delete the image, or give DeleteBindImages`, `镜像 ${s.imageId} 由该快照创建：请先删除镜像，或指定 DeleteBindImages`);
      if ((await tx.images.shares(s.imageId)).length) throw invalid("UnsupportedOperation.SnapHasShared", field, id, `its image ${s.imageId} is shared`, `其镜像 ${s.imageId} 正在共享`);
      images.add(s.imageId);
    }
    // An image goes with all its snapshots.
    for (const imageId of images) {
      await tx.snapshots.remove((await tx.snapshots.ofImages([imageId])).map((s) => s.snapshotId));
      await tx.images.remove(imageId);
    }
    await tx.snapshots.remove(p.SnapshotIds);
  });
  return {};
});
