// The instances placed on a dedicated host, in an HPC cluster or drawing on a resource pool pack, found by the
// indexed column that names where each was placed; one that ended (TERMINATED, LAUNCH_FAILED) holds nothing there.
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { InstanceDoc } from "./store.js";

export type PlacementColumn = "dedicated_host_id" | "hpc_cluster_id" | "resource_pack_id";

export interface PlacedInstance {
  /** The host, cluster or pack. */
  placedIn: string;
  instanceId: string;
  instanceType: string;
  doc: InstanceDoc;
}

/** The live instances placed in any of `ids`, oldest first. */
export async function placedInstances(db: Kysely<Database>, column: PlacementColumn, ids: readonly string[]): Promise<PlacedInstance[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("instances")
    .select(["instance_id", "instance_type", "doc", column])
    .where(column, "in", [...ids])
    .where("state", "not in", ["TERMINATED", "LAUNCH_FAILED"])
    .orderBy("seq")
    .execute();
  return rows.map((r) => ({ placedIn: (r as unknown as Record<PlacementColumn, string>)[column], instanceId: r.instance_id, instanceType: r.instance_type, doc: JSON.parse(r.doc) as InstanceDoc }));
}
