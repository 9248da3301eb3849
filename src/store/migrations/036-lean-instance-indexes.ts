import { sql, type Kysely } from "kysely";

// Fewer instance indexes for a launch to write. Every index of the instances table takes an entry per inserted row,
// so a launch of 100 paid for ~21 of them. The columns that stay NULL on most instances (public address, dedicated
// host, HPC cluster, pool pack, expiry) are indexed only where they are set: every query on them compares them
// with a value, which implies NOT NULL, so the partial index still serves it. The host node was indexed but no
// query looks instances up by it. Failed launches past their retention, which the reconciler removes every round,
// are found by an index of failed launches alone instead of a walk over the whole table.
const PARTIAL: readonly { name: string; columns: string[]; column: string }[] = [
  { name: "instances_public_ip", columns: ["app_id", "region", "public_ip"], column: "public_ip" },
  { name: "instances_dedicated_host", columns: ["dedicated_host_id"], column: "dedicated_host_id" },
  { name: "instances_hpc_cluster", columns: ["hpc_cluster_id"], column: "hpc_cluster_id" },
  { name: "instances_resource_pack", columns: ["resource_pack_id"], column: "resource_pack_id" },
  { name: "instances_expiry", columns: ["expires_at"], column: "expires_at" },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("instances_host_node").execute();
  for (const p of PARTIAL) {
    await db.schema.dropIndex(p.name).execute();
    await db.schema.createIndex(p.name).on("instances").columns(p.columns).where(sql.ref(p.column), "is not", null).execute();
  }
  await db.schema.createIndex("instances_launch_failed").on("instances").column("created_at").where(sql.ref("state"), "=", sql.lit("LAUNCH_FAILED")).execute();
}
