import type { Kysely } from "kysely";

// Spread placement groups (disaster recover groups) and the instances in them, each with the host of its zone it
// was placed on (`sw<s>-rack<r>-host<h>`): where the spread is read from. An instance is in one group at most;
// deleting the instance row frees its place (cascade), and a group with instances is refused by the handler.
// Also the maintenance (repair) tasks an operator raises against instances, which their owners authorise.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("placement_groups")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("group_id", "varchar(32)", (c) => c.notNull().unique())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("name", "varchar(256)", (c) => c.notNull())
    .addColumn("type", "varchar(8)", (c) => c.notNull())
    .addColumn("affinity", "integer", (c) => c.notNull())
    .addColumn("client_token", "varchar(64)")
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    // JSON array of {key, value}.
    .addColumn("tags", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("placement_groups_account").on("placement_groups").columns(["app_id", "region"]).execute();
  // A retried CreateDisasterRecoverGroup finds its group; NULLs (no token) never collide.
  await db.schema.createIndex("placement_groups_client_token").on("placement_groups").columns(["app_id", "client_token"]).unique().execute();

  await db.schema
    .createTable("placement_group_instances")
    .addColumn("instance_seq", "integer", (c) => c.primaryKey().references("instances.seq").onDelete("cascade"))
    .addColumn("group_seq", "integer", (c) => c.notNull().references("placement_groups.seq").onDelete("cascade"))
    .addColumn("zone", "varchar(32)", (c) => c.notNull())
    .addColumn("host", "varchar(64)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("placement_group_instances_group").on("placement_group_instances").columns(["group_seq", "zone"]).execute();

  // A task outlives its instance (no foreign key); what DescribeTaskInfo shows of its progress follows from when it
  // was authorised, on the service clock.
  await db.schema
    .createTable("repair_tasks")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("task_id", "varchar(32)", (c) => c.notNull().unique())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("instance_id", "varchar(32)", (c) => c.notNull())
    .addColumn("task_type_id", "integer", (c) => c.notNull())
    .addColumn("auth_type", "integer", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("auth_time", "varchar(32)")
    .addColumn("auth_source", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("repair_tasks_account").on("repair_tasks").columns(["app_id", "region"]).execute();
}
