// Snapshots of cloud disks; an account's are filtered in memory, an image's found by its index.
import type { Kysely, Selectable } from "kysely";
import type { Database, SnapshotsTable } from "./schema.js";
import type { SnapshotRecord, SnapshotRepo, SnapshotState } from "./store.js";

type Doc = Omit<SnapshotRecord, "snapshotId" | "appId" | "region" | "diskId" | "imageId" | "state" | "createdAt">;

function toRecord(r: Selectable<SnapshotsTable>): SnapshotRecord {
  const doc = JSON.parse(r.doc) as Doc;
  return { snapshotId: r.snapshot_id, appId: Number(r.app_id), region: r.region, diskId: r.disk_id, imageId: r.image_id, state: r.state as SnapshotState, createdAt: r.created_at, ...doc };
}

function toRow(s: SnapshotRecord): SnapshotsTable {
  const { snapshotId, appId, region, diskId, imageId, state, createdAt, ...doc } = s;
  return { snapshot_id: snapshotId, app_id: appId, region, disk_id: diskId, image_id: imageId, state, created_at: createdAt, doc: JSON.stringify(doc satisfies Doc) };
}

export class SqlSnapshots implements SnapshotRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(records: readonly SnapshotRecord[]): Promise<void> {
    if (records.length) await this.db.insertInto("snapshots").values(records.map(toRow)).execute();
  }

  async list(appId: number, region: string): Promise<SnapshotRecord[]> {
    const rows = await this.db.selectFrom("snapshots").selectAll().where("app_id", "=", appId).where("region", "=", region).orderBy("created_at").orderBy("snapshot_id").execute();
    return rows.map(toRecord);
  }

  async get(snapshotId: string): Promise<SnapshotRecord | undefined> {
    const row = await this.db.selectFrom("snapshots").selectAll().where("snapshot_id", "=", snapshotId).executeTakeFirst();
    return row && toRecord(row);
  }

  async ofImages(imageIds: readonly string[]): Promise<SnapshotRecord[]> {
    if (!imageIds.length) return [];
    const rows = await this.db.selectFrom("snapshots").selectAll().where("image_id", "in", [...imageIds]).orderBy("created_at").orderBy("snapshot_id").execute();
    return rows.map(toRecord);
  }

  async setState(by: { snapshotId?: string; imageId?: string }, state: SnapshotState): Promise<void> {
    let q = this.db.updateTable("snapshots").set({ state });
    if (by.snapshotId !== undefined) q = q.where("snapshot_id", "=", by.snapshotId);
    if (by.imageId !== undefined) q = q.where("image_id", "=", by.imageId);
    await q.execute();
  }

  async release(imageId: string): Promise<void> {
    await this.db.updateTable("snapshots").set({ image_id: null }).where("image_id", "=", imageId).execute();
  }

  async remove(snapshotIds: readonly string[]): Promise<void> {
    if (snapshotIds.length) await this.db.deleteFrom("snapshots").where("snapshot_id", "in", [...snapshotIds]).execute();
  }
}
