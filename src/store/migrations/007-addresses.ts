import type { Kysely } from "kysely";

// Elastic IPs. Their address is also a row of public_ips (held by the EIP), which keeps every public address
// unique whoever holds it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("addresses")
    .addColumn("address_id", "varchar(32)", (c) => c.primaryKey())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("ip", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("status", "varchar(16)", (c) => c.notNull())
    .addColumn("instance_id", "varchar(32)")
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("doc", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("addresses_account").on("addresses").columns(["app_id", "region"]).execute();
  await db.schema.createIndex("addresses_instance").on("addresses").column("instance_id").execute();
}
