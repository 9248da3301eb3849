import type { Kysely } from "kysely";

// Settlement by account: each account's own mark (the end of its last settled hour) and, while an hour of a large
// account is settled in batches, the last resource done; a failing account is counted and its error kept, and it
// holds back only itself. Meters are read by account and resource, and pruned by account once settled. Finished
// operations carry when they finished on the service clock, so they can be kept for a set time and then removed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("account_settlement")
    .addColumn("app_id", "bigint", (c) => c.primaryKey())
    .addColumn("settled_until", "bigint", (c) => c.notNull())
    .addColumn("resume_after", "varchar(32)", (c) => c.notNull())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("last_error", "varchar(1024)")
    .execute();
  await db.schema.createIndex("meters_account").on("meters").columns(["app_id", "resource_id"]).execute();
  await db.schema.createIndex("meters_closed").on("meters").columns(["app_id", "until"]).execute();
  await db.schema.alterTable("operations").addColumn("finished_at", "bigint").execute();
  await db.schema.createIndex("operations_finished").on("operations").columns(["status", "finished_at"]).execute();
  await db.schema.createIndex("client_tokens_age").on("client_tokens").column("created_at").execute();
  await db.schema.createIndex("bills_age").on("bills").columns(["month"]).execute();
}
