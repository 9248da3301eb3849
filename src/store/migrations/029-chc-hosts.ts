import type { Kysely } from "kysely";

// CHC hosts: physical servers an operator registers for an account in a zone. The columns DescribeChcHosts and the
// operator look a host up by are real (its id, its account and region, its serial number, unique across the cloud
// as a machine's is); the rest, networks included, is one JSON document read with it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("chc_hosts")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("chc_id", "varchar(32)", (c) => c.notNull().unique())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("zone", "varchar(32)", (c) => c.notNull())
    .addColumn("serial_number", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("state", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("doc", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("chc_hosts_account").on("chc_hosts").columns(["app_id", "region"]).execute();
}
