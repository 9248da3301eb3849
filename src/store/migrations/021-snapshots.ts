import type { Kysely } from "kysely";

// Snapshots of cloud disks: taken on request (CreateSnapshot) or by CreateImage, one of each disk the image holds,
// which is what makes a custom image's SnapshotSet.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("snapshots")
    .addColumn("snapshot_id", "varchar(32)", (c) => c.primaryKey())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("disk_id", "varchar(32)", (c) => c.notNull())
    .addColumn("image_id", "varchar(32)")
    .addColumn("state", "varchar(16)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("doc", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("snapshots_account").on("snapshots").columns(["app_id", "region"]).execute();
  await db.schema.createIndex("snapshots_image").on("snapshots").column("image_id").execute();
}
