import type { Kysely } from "kysely";

// HPC clusters, per account and zone, with their tags as a JSON list (read with the cluster, never searched on their
// own). An instance launched into a cluster carries its id in an indexed column derived from its document, so a
// cluster finds its members (and refuses deletion while it has any) by the index.
export async function up(db: Kysely<unknown>): Promise<void> {
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
