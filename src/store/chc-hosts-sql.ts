// CHC hosts: an account's physical servers, registered by an operator, with their networks in a JSON document.
import type { Kysely, Selectable } from "kysely";
import type { ChcState } from "../domain/chc-hosts.js";
import type { ChcHostsTable, Database } from "./schema.js";
import type { ChcHostDoc, ChcHostRecord, ChcHostRepo } from "./store.js";

const record = (r: Selectable<ChcHostsTable>): ChcHostRecord => ({
  chcId: r.chc_id,
  appId: Number(r.app_id),
  region: r.region,
  zone: r.zone,
  serialNumber: r.serial_number,
  state: r.state as ChcState,
  createdAt: r.created_at,
  doc: JSON.parse(r.doc) as ChcHostDoc,
});

export class SqlChcHosts implements ChcHostRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(h: ChcHostRecord): Promise<void> {
    await this.db
      .insertInto("chc_hosts")
      .values({ chc_id: h.chcId, app_id: h.appId, region: h.region, zone: h.zone, serial_number: h.serialNumber, state: h.state, created_at: h.createdAt, doc: JSON.stringify(h.doc) })
      .execute();
  }

  async all(appId: number, region: string): Promise<ChcHostRecord[]> {
    return (await this.db.selectFrom("chc_hosts").selectAll().where("app_id", "=", appId).where("region", "=", region).orderBy("seq").execute()).map(record);
  }

  async list(appId?: number): Promise<ChcHostRecord[]> {
    let q = this.db.selectFrom("chc_hosts").selectAll();
    if (appId !== undefined) q = q.where("app_id", "=", appId);
    return (await q.orderBy("seq").execute()).map(record);
  }

  async get(chcId: string): Promise<ChcHostRecord | undefined> {
    const r = await this.db.selectFrom("chc_hosts").selectAll().where("chc_id", "=", chcId).executeTakeFirst();
    return r && record(r);
  }

  async bySerialNumber(serialNumber: string): Promise<ChcHostRecord | undefined> {
    const r = await this.db.selectFrom("chc_hosts").selectAll().where("serial_number", "=", serialNumber).executeTakeFirst();
    return r && record(r);
  }

  async update(chcId: string, change: { state?: ChcState; doc?: ChcHostDoc }): Promise<void> {
    const set = { ...(change.state ? { state: change.state } : {}), ...(change.doc ? { doc: JSON.stringify(change.doc) } : {}) };
    if (Object.keys(set).length) await this.db.updateTable("chc_hosts").set(set).where("chc_id", "=", chcId).execute();
  }

  async remove(chcId: string): Promise<void> {
    await this.db.deleteFrom("chc_hosts").where("chc_id", "=", chcId).execute();
  }
}
