import type { Kysely } from "kysely";

// Instances and the work that changes them. Columns that DescribeInstances filters on are real, indexed columns;
// the rest of an instance is one JSON document (`doc`). An instance's integer `seq` is its creation order (the
// listing order, newest first) and the key its tags and security groups hang on: integer probes are what keep a
// filtered count fast at 100,000 instances. A terminated instance's row is deleted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("vpcs")
    .addColumn("vpc_id", "varchar(32)", (c) => c.primaryKey())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("cidr", "varchar(32)", (c) => c.notNull())
    .addColumn("is_default", "integer", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("vpcs_account").on("vpcs").columns(["app_id", "region"]).execute();

  await db.schema
    .createTable("subnets")
    .addColumn("subnet_id", "varchar(32)", (c) => c.primaryKey())
    .addColumn("vpc_id", "varchar(32)", (c) => c.notNull().references("vpcs.vpc_id"))
    .addColumn("app_id", "bigint", (c) => c.notNull())
    .addColumn("zone", "varchar(32)", (c) => c.notNull())
    .addColumn("cidr", "varchar(32)", (c) => c.notNull())
    .addColumn("is_default", "integer", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("subnets_vpc").on("subnets").columns(["vpc_id", "zone"]).execute();

  // One row per address in use: the primary key is what makes a double allocation impossible.
  await db.schema
    .createTable("ip_allocations")
    .addColumn("subnet_id", "varchar(32)", (c) => c.notNull().references("subnets.subnet_id"))
    .addColumn("ip", "varchar(64)", (c) => c.notNull())
    .addColumn("instance_id", "varchar(32)", (c) => c.notNull())
    .addPrimaryKeyConstraint("ip_allocations_pk", ["subnet_id", "ip"])
    .execute();
  await db.schema.createIndex("ip_allocations_instance").on("ip_allocations").column("instance_id").execute();

  // Public addresses handed out from the pool, one row each, unique across the cloud.
  await db.schema
    .createTable("public_ips")
    .addColumn("ip", "varchar(64)", (c) => c.primaryKey())
    .addColumn("app_id", "bigint", (c) => c.notNull())
    .addColumn("instance_id", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("public_ips_instance").on("public_ips").column("instance_id").execute();

  await db.schema
    .createTable("instances")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("instance_id", "varchar(32)", (c) => c.notNull().unique())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("zone", "varchar(32)", (c) => c.notNull())
    .addColumn("state", "varchar(32)", (c) => c.notNull())
    .addColumn("instance_name", "varchar(256)", (c) => c.notNull())
    .addColumn("instance_type", "varchar(64)", (c) => c.notNull())
    .addColumn("instance_family", "varchar(32)", (c) => c.notNull())
    .addColumn("image_id", "varchar(32)", (c) => c.notNull())
    .addColumn("charge_type", "varchar(32)", (c) => c.notNull())
    .addColumn("project_id", "bigint", (c) => c.notNull())
    .addColumn("vpc_id", "varchar(32)", (c) => c.notNull())
    .addColumn("subnet_id", "varchar(32)", (c) => c.notNull())
    .addColumn("private_ip", "varchar(64)", (c) => c.notNull())
    .addColumn("public_ip", "varchar(64)")
    .addColumn("uuid", "varchar(40)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("latest_operation", "varchar(64)")
    .addColumn("latest_operation_state", "varchar(16)")
    .addColumn("latest_operation_request_id", "varchar(64)")
    .addColumn("latest_operation_error", "varchar(1024)")
    .addColumn("doc", "text", (c) => c.notNull())
    .execute();
  // Every listing is of one account and region; each index ends, implicitly, with seq, the listing order.
  await db.schema.createIndex("instances_listing").on("instances").columns(["app_id", "region"]).execute();
  for (const column of ["zone", "state", "instance_name", "instance_type", "instance_family", "image_id", "charge_type", "project_id", "vpc_id", "subnet_id", "private_ip", "public_ip", "uuid"]) {
    await db.schema.createIndex(`instances_${column}`).on("instances").columns(["app_id", "region", column]).execute();
  }

  await db.schema
    .createTable("instance_tags")
    .addColumn("instance_seq", "integer", (c) => c.notNull().references("instances.seq").onDelete("cascade"))
    .addColumn("app_id", "bigint", (c) => c.notNull())
    .addColumn("tag_key", "varchar(255)", (c) => c.notNull())
    .addColumn("tag_value", "varchar(255)", (c) => c.notNull())
    .addPrimaryKeyConstraint("instance_tags_pk", ["instance_seq", "tag_key"])
    .execute();
  await db.schema.createIndex("instance_tags_lookup").on("instance_tags").columns(["app_id", "tag_key", "tag_value"]).execute();
  // Covers the probe a tag filter makes for each candidate instance, so counting matches reads no table rows.
  await db.schema.createIndex("instance_tags_probe").on("instance_tags").columns(["instance_seq", "tag_key", "tag_value"]).execute();

  // Security groups in the order the instance lists them (the order is their priority).
  await db.schema
    .createTable("instance_security_groups")
    .addColumn("instance_seq", "integer", (c) => c.notNull().references("instances.seq").onDelete("cascade"))
    .addColumn("app_id", "bigint", (c) => c.notNull())
    .addColumn("security_group_id", "varchar(32)", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("instance_security_groups_pk", ["instance_seq", "security_group_id"])
    .execute();
  await db.schema.createIndex("instance_security_groups_lookup").on("instance_security_groups").columns(["app_id", "security_group_id"]).execute();

  // A RunInstances ClientToken, remembered with what it created so that a retry returns the same instances.
  await db.schema
    .createTable("client_tokens")
    .addColumn("app_id", "bigint", (c) => c.notNull())
    .addColumn("token", "varchar(64)", (c) => c.notNull())
    .addColumn("instance_ids", "text", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addPrimaryKeyConstraint("client_tokens_pk", ["app_id", "token"])
    .execute();

  // Work the engine owes: written in the same transaction as the state change that needs it.
  await db.schema
    .createTable("operations")
    .addColumn("operation_id", "varchar(40)", (c) => c.primaryKey())
    .addColumn("instance_id", "varchar(32)", (c) => c.notNull())
    .addColumn("kind", "varchar(64)", (c) => c.notNull())
    .addColumn("request_id", "varchar(64)", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "varchar(16)", (c) => c.notNull())
    .addColumn("lease_until", "bigint", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("operations_due").on("operations").columns(["status", "lease_until"]).execute();
}
