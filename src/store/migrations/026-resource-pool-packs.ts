import type { Kysely } from "kysely";

// Resource pool packs: whole-machine capacity an account buys for a term in one zone, which pay-as-you-go instances
// of the pack's family draw on instead of being billed by the hour. An instance in a pack carries the pack's id in an
// indexed column derived from its document, so a pack finds what draws on it by the index.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("resource_pool_packs")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("pack_id", "varchar(32)", (c) => c.notNull().unique())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("zone", "varchar(32)", (c) => c.notNull())
    .addColumn("pack_name", "varchar(128)", (c) => c.notNull())
    .addColumn("instance_type", "varchar(64)", (c) => c.notNull())
    .addColumn("instance_family", "varchar(32)", (c) => c.notNull())
    .addColumn("pack_type", "varchar(16)", (c) => c.notNull())
    .addColumn("status", "varchar(16)", (c) => c.notNull())
    .addColumn("cpu", "integer", (c) => c.notNull())
    .addColumn("memory", "integer", (c) => c.notNull())
    .addColumn("auto_placement", "integer", (c) => c.notNull())
    .addColumn("renew_flag", "varchar(40)", (c) => c.notNull())
    .addColumn("start_time", "varchar(32)", (c) => c.notNull())
    .addColumn("end_time", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("resource_pool_packs_account").on("resource_pool_packs").columns(["app_id", "region"]).execute();
  await db.schema.alterTable("instances").addColumn("resource_pack_id", "varchar(32)").execute();
  await db.schema.createIndex("instances_resource_pack").on("instances").column("resource_pack_id").execute();
}
