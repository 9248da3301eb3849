// Resource pool packs and what draws on them, found through the instances' indexed resource_pack_id.
import type { Kysely, Selectable } from "kysely";
import { placedInstances } from "./placed-instances-sql.js";
import type { Database, ResourcePoolPacksTable } from "./schema.js";
import type { PackUsage, PoolPackRecord, PoolPackRepo } from "./store.js";

/** The only packs with a term running (the others are RETIRED, or not yet or never created). */
const ACTIVE = "ACTIVE";

const record = (r: Selectable<ResourcePoolPacksTable>): PoolPackRecord => ({
  packId: r.pack_id,
  appId: Number(r.app_id),
  region: r.region,
  zone: r.zone,
  packName: r.pack_name,
  instanceType: r.instance_type,
  instanceFamily: r.instance_family,
  packType: r.pack_type,
  status: r.status,
  cpu: Number(r.cpu),
  memory: Number(r.memory),
  autoPlacement: Number(r.auto_placement) === 1,
  renewFlag: r.renew_flag,
  startTime: r.start_time,
  endTime: r.end_time,
});

export class SqlPoolPacks implements PoolPackRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(records: readonly PoolPackRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.db
      .insertInto("resource_pool_packs")
      .values(
        records.map((p) => ({
          pack_id: p.packId,
          app_id: p.appId,
          region: p.region,
          zone: p.zone,
          pack_name: p.packName,
          instance_type: p.instanceType,
          instance_family: p.instanceFamily,
          pack_type: p.packType,
          status: p.status,
          cpu: p.cpu,
          memory: p.memory,
          auto_placement: p.autoPlacement ? 1 : 0,
          renew_flag: p.renewFlag,
          start_time: p.startTime,
          end_time: p.endTime,
        })),
      )
      .execute();
  }

  async list(appId: number, region: string): Promise<PoolPackRecord[]> {
    return (await this.db.selectFrom("resource_pool_packs").selectAll().where("app_id", "=", appId).where("region", "=", region).orderBy("seq").execute()).map(record);
  }

  async find(appId: number, region: string, ids: readonly string[]): Promise<PoolPackRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom("resource_pool_packs").selectAll().where("app_id", "=", appId).where("region", "=", region).where("pack_id", "in", [...ids]).orderBy("seq").execute();
    return rows.map(record);
  }

  async setStatus(packId: string, status: string): Promise<void> {
    await this.db.updateTable("resource_pool_packs").set({ status }).where("pack_id", "=", packId).execute();
  }

  async setEndTime(packId: string, endTime: string): Promise<void> {
    await this.db.updateTable("resource_pool_packs").set({ end_time: endTime }).where("pack_id", "=", packId).execute();
  }

  async remove(packIds: readonly string[]): Promise<void> {
    if (packIds.length === 0) return;
    await this.db.deleteFrom("resource_pool_packs").where("pack_id", "in", [...packIds]).execute();
  }

  async expiring(until: string): Promise<PoolPackRecord[]> {
    const rows = await this.db.selectFrom("resource_pool_packs").selectAll().where("status", "=", ACTIVE).where("end_time", "<=", until).orderBy("seq").execute();
    return rows.map(record);
  }

  async nextExpiry(after: string): Promise<string | undefined> {
    const row = await this.db.selectFrom("resource_pool_packs").select("end_time").where("status", "=", ACTIVE).where("end_time", ">", after).orderBy("end_time").limit(1).executeTakeFirst();
    return row?.end_time;
  }

  async usage(ids: readonly string[]): Promise<Map<string, PackUsage>> {
    const out = new Map<string, PackUsage>(ids.map((id) => [id, { instanceIds: [], cpu: 0, memory: 0 }]));
    for (const i of await placedInstances(this.db, "resource_pack_id", ids)) {
      const u = out.get(i.placedIn)!;
      u.instanceIds.push(i.instanceId);
      u.cpu += i.doc.CPU;
      u.memory += i.doc.Memory;
    }
    return out;
  }
}
