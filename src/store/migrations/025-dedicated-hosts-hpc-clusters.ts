import type { Kysely } from "kysely";

// Dedicated hosts (CDH) and HPC clusters. Hosts are bought monthly per account, with the capacity of their type and
// their tags (a JSON list: a host's tags are read with it, never searched on their own). An instance placed on a host
// carries the host's id in an indexed column, derived from its document as expires_at is, so a host finds what it
// runs by the index.
// HPC clusters are per account and zone, tags likewise; an instance launched into one carries its id the same way,
// so a cluster finds its members (and refuses deletion while it has any) by the index.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("dedicated_hosts")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("host_id", "varchar(32)", (c) => c.notNull().unique())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("zone", "varchar(32)", (c) => c.notNull())
    .addColumn("host_type", "varchar(32)", (c) => c.notNull())
    .addColumn("host_name", "varchar(128)", (c) => c.notNull())
    .addColumn("project_id", "bigint", (c) => c.notNull())
    .addColumn("state", "varchar(32)", (c) => c.notNull())
    .addColumn("renew_flag", "varchar(40)", (c) => c.notNull())
    .addColumn("host_ip", "varchar(40)", (c) => c.notNull())
    .addColumn("cpu", "integer", (c) => c.notNull())
    .addColumn("memory", "integer", (c) => c.notNull())
    .addColumn("disk", "integer", (c) => c.notNull())
    .addColumn("disk_type", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("tags", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("dedicated_hosts_account").on("dedicated_hosts").columns(["app_id", "region"]).execute();
  await db.schema.createIndex("dedicated_hosts_expiry").on("dedicated_hosts").columns(["expires_at"]).execute();
  await db.schema.alterTable("instances").addColumn("dedicated_host_id", "varchar(32)").execute();
  await db.schema.createIndex("instances_dedicated_host").on("instances").column("dedicated_host_id").execute();
  await db.schema
    .createTable("hpc_clusters")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("hpc_cluster_id", "varchar(32)", (c) => c.notNull().unique())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("zone", "varchar(32)", (c) => c.notNull())
    .addColumn("name", "varchar(128)", (c) => c.notNull())
    .addColumn("remark", "varchar(512)", (c) => c.notNull())
    .addColumn("cluster_type", "varchar(16)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("tags", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("hpc_clusters_account").on("hpc_clusters").columns(["app_id", "region"]).execute();
  await db.schema.alterTable("instances").addColumn("hpc_cluster_id", "varchar(32)").execute();
  await db.schema.createIndex("instances_hpc_cluster").on("instances").column("hpc_cluster_id").execute();
}
