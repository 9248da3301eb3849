// HPC clusters and their members, found through the instances' indexed hpc_cluster_id.
import type { Kysely, Selectable, Updateable } from "kysely";
import { placedInstances } from "./placed-instances-sql.js";
import type { Database, HpcClustersTable } from "./schema.js";
import type { HpcClusterRecord, HpcClusterRepo, HpcMembers } from "./store.js";

const record = (r: Selectable<HpcClustersTable>): HpcClusterRecord => ({
  hpcClusterId: r.hpc_cluster_id,
  appId: Number(r.app_id),
  region: r.region,
  zone: r.zone,
  name: r.name,
  remark: r.remark,
  clusterType: r.cluster_type,
  createdAt: r.created_at,
  tags: JSON.parse(r.tags) as HpcClusterRecord["tags"],
});

export class SqlHpcClusters implements HpcClusterRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(c: HpcClusterRecord): Promise<void> {
    await this.db
      .insertInto("hpc_clusters")
      .values({ hpc_cluster_id: c.hpcClusterId, app_id: c.appId, region: c.region, zone: c.zone, name: c.name, remark: c.remark, cluster_type: c.clusterType, created_at: c.createdAt, tags: JSON.stringify(c.tags) })
      .execute();
  }

  async list(appId: number, region: string): Promise<HpcClusterRecord[]> {
    return (await this.db.selectFrom("hpc_clusters").selectAll().where("app_id", "=", appId).where("region", "=", region).orderBy("seq").execute()).map(record);
  }

  async find(appId: number, region: string, ids: readonly string[]): Promise<HpcClusterRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom("hpc_clusters").selectAll().where("app_id", "=", appId).where("region", "=", region).where("hpc_cluster_id", "in", [...ids]).orderBy("seq").execute();
    return rows.map(record);
  }

  async update(hpcClusterId: string, change: Partial<Pick<HpcClusterRecord, "name" | "remark">>): Promise<void> {
    const set: Updateable<HpcClustersTable> = {};
    if (change.name !== undefined) set.name = change.name;
    if (change.remark !== undefined) set.remark = change.remark;
    if (Object.keys(set).length) await this.db.updateTable("hpc_clusters").set(set).where("hpc_cluster_id", "=", hpcClusterId).execute();
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length) await this.db.deleteFrom("hpc_clusters").where("hpc_cluster_id", "in", [...ids]).execute();
  }

  async members(ids: readonly string[]): Promise<Map<string, HpcMembers>> {
    const out = new Map<string, HpcMembers>(ids.map((id) => [id, { instanceIds: [], instanceTypes: [], rdmaIps: [] }]));
    for (const i of await placedInstances(this.db, "hpc_cluster_id", ids)) {
      const m = out.get(i.placedIn)!;
      m.instanceIds.push(i.instanceId);
      m.instanceTypes.push(i.instanceType);
      m.rdmaIps.push(...(i.doc.RdmaIpAddresses ?? []));
    }
    return out;
  }
}
