import type { Kysely } from "kysely";

// Which server node hosts each instance's machine (its OPENCVM_NODE_ID), set by the node whose engine last ran an
// operation on it; NULL until a machine exists. With several nodes on one database, a node reconciles only its own
// machines, and a backend whose machines cannot move (a real VM) is given only operations on them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("instances").addColumn("host_node", "varchar(64)").execute();
  await db.schema.createIndex("instances_host_node").on("instances").column("host_node").execute();
}
