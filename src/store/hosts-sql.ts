// Dedicated hosts (CDH) and what their instances hold of them. A host's usage is read from the instances placed on
// it through their indexed dedicated_host_id, so it follows every launch, resize and termination without a counter.
import type { Kysely, Selectable, Updateable } from "kysely";
import { isoSeconds } from "../domain/dates.js";
import type { Database, DedicatedHostsTable } from "./schema.js";
import { placedInstances } from "./placed-instances-sql.js";
import type { HostRecord, HostRepo, HostUsage } from "./store.js";

const record = (r: Selectable<DedicatedHostsTable>): HostRecord => ({
  hostId: r.host_id,
  appId: Number(r.app_id),
  region: r.region,
  zone: r.zone,
  hostType: r.host_type,
  hostName: r.host_name,
  projectId: Number(r.project_id),
  state: r.state,
  renewFlag: r.renew_flag,
  hostIp: r.host_ip,
  cpu: Number(r.cpu),
  memory: Number(r.memory),
  disk: Number(r.disk),
  diskType: r.disk_type,
  createdAt: r.created_at,
  expiredTime: isoSeconds(new Date(Number(r.expires_at))),
  tags: JSON.parse(r.tags) as HostRecord["tags"],
});

export class SqlHosts implements HostRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(records: readonly HostRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.db
      .insertInto("dedicated_hosts")
      .values(
        records.map((h) => ({
          host_id: h.hostId,
          app_id: h.appId,
          region: h.region,
          zone: h.zone,
          host_type: h.hostType,
          host_name: h.hostName,
          project_id: h.projectId,
          state: h.state,
          renew_flag: h.renewFlag,
          host_ip: h.hostIp,
          cpu: h.cpu,
          memory: h.memory,
          disk: h.disk,
          disk_type: h.diskType,
          created_at: h.createdAt,
          expires_at: Date.parse(h.expiredTime),
          tags: JSON.stringify(h.tags),
        })),
      )
      .execute();
  }

  async list(appId: number, region: string): Promise<HostRecord[]> {
    const rows = await this.db.selectFrom("dedicated_hosts").selectAll().where("app_id", "=", appId).where("region", "=", region).orderBy("seq").execute();
    return rows.map(record);
  }

  async find(appId: number, region: string, ids: readonly string[]): Promise<HostRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom("dedicated_hosts").selectAll().where("app_id", "=", appId).where("region", "=", region).where("host_id", "in", [...ids]).orderBy("seq").execute();
    return rows.map(record);
  }

  async update(hostId: string, change: Partial<Pick<HostRecord, "hostName" | "projectId" | "renewFlag" | "state" | "expiredTime">>): Promise<void> {
    const set: Updateable<DedicatedHostsTable> = {};
    if (change.hostName !== undefined) set.host_name = change.hostName;
    if (change.projectId !== undefined) set.project_id = change.projectId;
    if (change.renewFlag !== undefined) set.renew_flag = change.renewFlag;
    if (change.state !== undefined) set.state = change.state;
    if (change.expiredTime !== undefined) set.expires_at = Date.parse(change.expiredTime);
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable("dedicated_hosts").set(set).where("host_id", "=", hostId).execute();
  }

  async usage(hostIds: readonly string[]): Promise<Map<string, HostUsage>> {
    const out = new Map<string, HostUsage>(hostIds.map((id) => [id, { instanceIds: [], cpu: 0, memory: 0, disk: 0 }]));
    for (const i of await placedInstances(this.db, "dedicated_host_id", hostIds)) {
      const u = out.get(i.placedIn)!;
      u.instanceIds.push(i.instanceId);
      u.cpu += i.doc.CPU;
      u.memory += i.doc.Memory;
      u.disk += i.doc.SystemDisk.DiskSize + i.doc.DataDisks.reduce((sum, d) => sum + d.DiskSize, 0);
    }
    return out;
  }

  async expiring(states: readonly string[], until: number): Promise<HostRecord[]> {
    const rows = await this.db.selectFrom("dedicated_hosts").selectAll().where("expires_at", "<=", until).where("state", "in", [...states]).orderBy("seq").execute();
    return rows.map(record);
  }

  async nextExpiry(states: readonly string[], after: number): Promise<number | undefined> {
    const row = await this.db.selectFrom("dedicated_hosts").select("expires_at").where("expires_at", ">", after).where("state", "in", [...states]).orderBy("expires_at").limit(1).executeTakeFirst();
    return row ? Number(row.expires_at) : undefined;
  }

  async remove(hostId: string): Promise<void> {
    await this.db.deleteFrom("dedicated_hosts").where("host_id", "=", hostId).execute();
  }
}
