// Elastic IPs: an account has a few dozen at most, so beyond their keys an address is one JSON document.
import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../domain/clock.js";
import { SqlBilling } from "./billing-sql.js";
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

  /** Brings the EIP's meters in step with what it now is (none once released). */
  private async rate(addressId: string, a: AddressRecord | undefined): Promise<void> {
    if (this.rater) await new SqlBilling(this.db).sync(addressId, a?.appId ?? 0, a ? this.rater.address(a) : { meters: [], freeze: 0 }, this.clock.nowMs());
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
    await this.db.updateTable("addresses").set({ status: a.status, instance_id: a.instanceId, expires_at: expiresAt(a), doc: doc(a) }).where("address_id", "=", a.addressId).execute();
    await this.rate(a.addressId, a);
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
    await this.db.deleteFrom("addresses").where("address_id", "=", addressId).execute();
    await this.rate(addressId, undefined);
  }
}
