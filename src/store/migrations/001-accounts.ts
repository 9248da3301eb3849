import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("accounts")
    .addColumn("app_id", "bigint", (c) => c.primaryKey())
    .addColumn("uin", "varchar(32)", (c) => c.notNull().unique())
    .addColumn("owner_uin", "varchar(32)", (c) => c.notNull())
    .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("credentials")
    .addColumn("secret_id", "varchar(128)", (c) => c.primaryKey())
    .addColumn("secret_key", "varchar(128)", (c) => c.notNull())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("status", "varchar(16)", (c) => c.notNull().defaultTo("enabled"))
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("credentials_app_id").on("credentials").column("app_id").execute();
}
