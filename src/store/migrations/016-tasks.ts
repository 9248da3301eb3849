import type { Kysely } from "kysely";

// The VPC's asynchronous tasks (AllocateAddresses and the other address actions answer a TaskId), so that
// DescribeTaskResult can answer for them and a retried AllocateAddresses with the same ClientToken finds its first
// answer. A ClientToken is unique per account and action; NULLs (no token) never collide.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("tasks")
    .addColumn("task_id", "bigint", (c) => c.primaryKey())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("action", "varchar(64)", (c) => c.notNull())
    .addColumn("client_token", "varchar(64)")
    // JSON array of the ids the task made (AllocateAddresses' AddressSet), to answer a retry with.
    .addColumn("resource_ids", "text", (c) => c.notNull())
    .addColumn("result", "varchar(8)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("tasks_client_token").on("tasks").columns(["app_id", "action", "client_token"]).unique().execute();
}
