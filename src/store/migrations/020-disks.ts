import type { Kysely } from "kysely";
import { diskRow, instanceDisks } from "../instance-disks.js";
import type { InstanceDoc } from "../store.js";

// Cloud disks (the cbs service): an instance's system and data disks, and data disks of their own. Existing
// instances' disks become rows here, attached to them, with the ids DescribeInstances already showed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("disks")
    .addColumn("disk_id", "varchar(32)", (c) => c.primaryKey())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("zone", "varchar(32)", (c) => c.notNull())
    .addColumn("instance_id", "varchar(32)")
    .addColumn("state", "varchar(16)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("doc", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("disks_account").on("disks").columns(["app_id", "region"]).execute();
  await db.schema.createIndex("disks_instance").on("disks").column("instance_id").execute();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const any = db as Kysely<any>;
  const instances = await any
    .selectFrom("instances")
    .select(["instance_id", "app_id", "region", "zone", "charge_type", "project_id", "created_at", "doc"])
    .where("state", "!=", "TERMINATED")
    .execute();
  for (const i of instances) {
    const rows = instanceDisks({
      instanceId: i.instance_id,
      appId: Number(i.app_id),
      region: i.region,
      zone: i.zone,
      chargeType: i.charge_type,
      projectId: Number(i.project_id),
      createdAt: i.created_at,
      doc: JSON.parse(i.doc) as InstanceDoc,
    }).map(diskRow);
    if (rows.length) await any.insertInto("disks").values(rows).execute();
  }
}
