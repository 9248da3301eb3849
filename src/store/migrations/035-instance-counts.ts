import type { Kysely } from "kysely";
import { recountInstances } from "../instance-counts.js";

// How many instances each account has per region, kept as they are created, deleted and retagged: per zone, per tag
// (key and value) and per zone and tag, with '' for "any" ('' is never a zone or a tag key). DescribeInstances'
// TotalCount for those filters is then a few key lookups instead of a walk over every match (a quarter of a million
// at a million instances). Purchase quotas count the instances of each zone, charge type and instance type that hold
// one (all but failed launches): kept the same way, a launch reads them instead of counting the zone.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("instance_counts")
    .addColumn("app_id", "bigint", (c) => c.notNull())
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("zone", "varchar(32)", (c) => c.notNull())
    .addColumn("tag_key", "varchar(255)", (c) => c.notNull())
    .addColumn("tag_value", "varchar(255)", (c) => c.notNull())
    .addColumn("n", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("instance_counts_pk", ["app_id", "region", "zone", "tag_key", "tag_value"])
    .execute();
  await db.schema
    .createTable("instance_type_counts")
    .addColumn("app_id", "bigint", (c) => c.notNull())
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("zone", "varchar(32)", (c) => c.notNull())
    .addColumn("charge_type", "varchar(32)", (c) => c.notNull())
    .addColumn("instance_type", "varchar(64)", (c) => c.notNull())
    .addColumn("n", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("instance_type_counts_pk", ["app_id", "region", "zone", "charge_type", "instance_type"])
    .execute();
  await recountInstances(db as never);
}
