import type { Kysely } from "kysely";
import { sql } from "kysely";

// Security groups: their names and Version as columns, the rest (description, tags, ingress and egress rules) one
// JSON document. A group's integer seq is its creation order. An instance's groups (instance_security_groups, from
// 002) gain a foreign key to the group: deleting a group an instance holds is refused by the database even if a
// check were skipped. SQLite cannot add a foreign key to a table, so the table is rebuilt (it has no rows yet:
// until now every security group was refused).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("security_groups")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("security_group_id", "varchar(32)", (c) => c.notNull().unique())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("project_id", "bigint", (c) => c.notNull())
    .addColumn("is_default", "integer", (c) => c.notNull())
    .addColumn("group_name", "varchar(256)", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(32)", (c) => c.notNull())
    .addColumn("doc", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("security_groups_account").on("security_groups").columns(["app_id", "region"]).execute();
  // One default group per account and region, however many first launches race to create it.
  await db.schema.createIndex("security_groups_default").on("security_groups").columns(["app_id", "region"]).unique().where(sql.ref("is_default"), "=", 1).execute();

  await db.schema
    .createTable("instance_security_groups_fk")
    .addColumn("instance_seq", "integer", (c) => c.notNull().references("instances.seq").onDelete("cascade"))
    .addColumn("app_id", "bigint", (c) => c.notNull())
    .addColumn("security_group_id", "varchar(32)", (c) => c.notNull().references("security_groups.security_group_id"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("instance_security_groups_fk_pk", ["instance_seq", "security_group_id"])
    .execute();
  await sql`insert into instance_security_groups_fk (instance_seq, app_id, security_group_id, position) select instance_seq, app_id, security_group_id, position from instance_security_groups`.execute(db);
  await db.schema.dropTable("instance_security_groups").execute();
  await db.schema.alterTable("instance_security_groups_fk").renameTo("instance_security_groups").execute();
  // DescribeInstances' security-group-id filter (from 002, dropped with its table).
  await db.schema.createIndex("instance_security_groups_lookup").on("instance_security_groups").columns(["app_id", "security_group_id"]).execute();
  // "Which instances hold this group": association counts, and the foreign key's check when a group is deleted.
  await db.schema.createIndex("instance_security_groups_group").on("instance_security_groups").columns(["security_group_id", "instance_seq"]).execute();
}
