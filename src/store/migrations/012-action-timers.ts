import type { Kysely } from "kysely";
import { sql } from "kysely";

// Action timers: an instance's scheduled TerminateInstances (ImportInstancesActionTimer, RunInstances' ActionTimer).
// No foreign key to the instance: a timer outlives it, listed DONE. An integer seq keeps the order timers were made.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("action_timers")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("action_timer_id", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("instance_id", "varchar(32)", (c) => c.notNull())
    .addColumn("timer_action", "varchar(32)", (c) => c.notNull())
    .addColumn("action_time", "varchar(32)", (c) => c.notNull())
    // Externals.ReleaseAddress: 1, 0, or NULL when the request did not say.
    .addColumn("release_address", "integer")
    .addColumn("status", "varchar(8)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("action_timers_account").on("action_timers").columns(["app_id", "region", "instance_id"]).execute();
  // What falls due next, for the clock.
  await db.schema.createIndex("action_timers_due").on("action_timers").columns(["status", "action_time"]).execute();
  // One timer not yet run per instance, however many requests race to add one.
  await db.schema
    .createIndex("action_timers_pending")
    .on("action_timers")
    .column("instance_id")
    .unique()
    .where(sql.ref("status"), "in", sql`('UNDO', 'DOING')`)
    .execute();
}
