// Elastic IPs: an account has a few dozen at most, so beyond their keys an address is one JSON document.
import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../domain/clock.js";
import { SqlBilling } from "./billing-sql.js";
import { SqlInstances } from "./instances-sql.js";
import type { AddressesTable, Database } from "./schema.js";
import type { AddressRecord, AddressRepo, Rater } from "./store.js";

type Doc = Pick<AddressRecord, "name" | "bandwidth" | "chargeType" | "tags" | "term" | "chargeTypeChanges" | "isolated">;

function toRecord(r: Selectable<AddressesTable>): AddressRecord {
  return { addressId: r.address_id, appId: Number(r.app_id), region: r.region, ip: r.ip, status: r.status as AddressRecord["status"], instanceId: r.instance_id, createdAt: r.created_at, ...(JSON.parse(r.doc) as Doc) };
}

const doc = (a: AddressRecord): string =>
  JSON.stringify({ name: a.name, bandwidth: a.bandwidth, chargeType: a.chargeType, tags: a.tags, term: a.term, chargeTypeChanges: a.chargeTypeChanges, isolated: a.isolated } satisfies Doc);

/** The indexed deadline: a term that runs, on an address not isolated. */
const expiresAt = (a: AddressRecord): number | null => (a.term && !a.isolated ? Date.parse(a.term.expiresAt) : null);

export class SqlAddresses implements AddressRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly rater: Rater | undefined,
    private readonly inTransaction: boolean,
  ) {}

  /** Runs `fn` on this repository inside a transaction of its own, unless in one already. */
  private atomically<T>(fn: (a: SqlAddresses) => Promise<T>): Promise<T> {
    if (this.inTransaction || !this.rater) return fn(this);
    return this.db.transaction().execute((trx) => fn(new SqlAddresses(trx, this.clock, this.rater, true)));
  }

  /**
   * Brings the EIP's meters in step with what it now is (none once released), and those of the instances it was and
   * is bound to: a monthly EIP pays the public bandwidth of the instance it is bound to.
   */
  private async rate(addressId: string, a: AddressRecord | undefined, boundBefore: string | null = null): Promise<void> {
    if (!this.rater) return;
    await new SqlBilling(this.db).sync(addressId, a?.appId ?? 0, a ? this.rater.address(a) : { meters: [], freeze: 0 }, this.clock.nowMs());
    const instances = new SqlInstances(this.db, this.clock, this.rater, true);
    for (const id of new Set([boundBefore, a?.instanceId ?? null])) if (id) await instances.rerate(id);
  }

  /** The instance the address is bound to as stored, before a write changes it. */
  private async boundTo(addressId: string): Promise<string | null> {
    if (!this.rater) return null;
    const row = await this.db.selectFrom("addresses").select("instance_id").where("address_id", "=", addressId).executeTakeFirst();
    return row?.instance_id ?? null;
  }

  async list(appId: number, region: string): Promise<AddressRecord[]> {
    const rows = await this.db.selectFrom("addresses").selectAll().where("app_id", "=", appId).where("region", "=", region).orderBy("created_at").orderBy("address_id").execute();
    return rows.map(toRecord);
  }

  async all(): Promise<AddressRecord[]> {
    return (await this.db.selectFrom("addresses").selectAll().execute()).map(toRecord);
  }

  async byInstance(instanceId: string): Promise<AddressRecord | undefined> {
    const row = await this.db.selectFrom("addresses").selectAll().where("instance_id", "=", instanceId).executeTakeFirst();
    return row && toRecord(row);
  }

  async insert(records: AddressRecord[]): Promise<void> {
    if (!records.length) return;
    if (this.rater && !this.inTransaction) return this.atomically((a) => a.insert(records));
    await this.db
      .insertInto("addresses")
      .values(records.map((a) => ({ address_id: a.addressId, app_id: a.appId, region: a.region, ip: a.ip, status: a.status, instance_id: a.instanceId, created_at: a.createdAt, expires_at: expiresAt(a), doc: doc(a) })))
      .execute();
    for (const a of records) await this.rate(a.addressId, a);
  }

  async update(a: AddressRecord): Promise<void> {
    if (this.rater && !this.inTransaction) return this.atomically((r) => r.update(a));
    const before = await this.boundTo(a.addressId);
    await this.db.updateTable("addresses").set({ status: a.status, instance_id: a.instanceId, expires_at: expiresAt(a), doc: doc(a) }).where("address_id", "=", a.addressId).execute();
    await this.rate(a.addressId, a, before);
  }

  async expiring(until: number): Promise<AddressRecord[]> {
    return (await this.db.selectFrom("addresses").selectAll().where("expires_at", "<=", until).execute()).map(toRecord);
  }

  async nextExpiry(after: number): Promise<number | undefined> {
    const row = await this.db.selectFrom("addresses").select("expires_at").where("expires_at", ">", after).orderBy("expires_at").limit(1).executeTakeFirst();
    return row ? Number(row.expires_at) : undefined;
  }

  async remove(addressId: string): Promise<void> {
    if (this.rater && !this.inTransaction) return this.atomically((r) => r.remove(addressId));
    const before = await this.boundTo(addressId);
    await this.db.deleteFrom("addresses").where("address_id", "=", addressId).execute();
    await this.rate(addressId, undefined, before);
  }
}
