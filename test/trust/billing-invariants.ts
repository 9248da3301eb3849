// What must hold of billing whatever requests came before: every open meter and frozen hour belongs to a live
// instance, EIP or disk and is exactly what the rating of its record says, and no balance is negative or in arrears
// without a debt. Read straight from the database, with the built-in catalog the test servers use.
import type { Kysely } from "kysely";
import { DEFAULT_IMAGES } from "../../src/catalog/images.js";
import { defaultCatalogData } from "../../src/catalog/index.js";
import { CatalogRater } from "../../src/billing/rating.js";
import { Catalog } from "../../src/domain/catalog.js";
import type { Database } from "../../src/store/schema.js";
import { RATED_COLUMNS, ratedInstance } from "../../src/store/instances-sql.js";
import { diskRecord } from "../../src/store/instance-disks.js";
import type { AddressRecord, MeterSpec } from "../../src/store/store.js";

const rater = new CatalogRater(new Catalog(defaultCatalogData(), { images: DEFAULT_IMAGES, importableOs: [] }));
const key = (m: Pick<MeterSpec, "component" | "rate" | "detail">) => `${m.component}/${m.rate}/${JSON.stringify(m.detail)}`;

export async function billingProblems(db: Kysely<Database>): Promise<string[]> {
  const problems: string[] = [];
  const open = await db.selectFrom("meters").selectAll().where("until", "is", null).execute();
  const meters = new Map<string, string[]>();
  for (const m of open) meters.set(m.resource_id, [...(meters.get(m.resource_id) ?? []), key({ component: m.component, rate: Number(m.rate), detail: JSON.parse(m.doc) })]);
  const freezes = new Map((await db.selectFrom("freezes").selectAll().execute()).map((f) => [f.resource_id, Number(f.amount)]));
  const expected = new Map<string, { meters: string[]; freeze: number }>();

  for (const r of await db.selectFrom("instances").select(RATED_COLUMNS).execute()) {
    const rating = rater.instance(ratedInstance(r));
    expected.set(r.instance_id, { meters: rating.meters.map(key), freeze: rating.freeze });
  }
  for (const a of await db.selectFrom("addresses").selectAll().execute()) {
    const record = { addressId: a.address_id, appId: Number(a.app_id), region: a.region, ip: a.ip, status: a.status, instanceId: a.instance_id, createdAt: a.created_at, ...JSON.parse(a.doc) } as AddressRecord;
    expected.set(a.address_id, { meters: rater.address(record).meters.map(key), freeze: 0 });
  }
  for (const d of await db.selectFrom("disks").selectAll().execute()) {
    const rating = rater.disk(diskRecord(d));
    expected.set(d.disk_id, { meters: rating.meters.map(key), freeze: rating.freeze });
  }
  for (const id of new Set([...meters.keys(), ...freezes.keys(), ...expected.keys()])) {
    const want = expected.get(id);
    const have = { meters: (meters.get(id) ?? []).sort(), freeze: freezes.get(id) ?? 0 };
    if (!want) {
      problems.push(`meters or a freeze of ${id}, which is neither a live instance, an EIP nor a disk: ${JSON.stringify(have)}`);
    } else if (JSON.stringify(have) !== JSON.stringify({ meters: [...want.meters].sort(), freeze: want.freeze })) {
      problems.push(`${id} is metered ${JSON.stringify(have)}, its record rates ${JSON.stringify(want)}`);
    }
  }
  const sums = new Map<number, number>();
  for (const f of await db.selectFrom("freezes").selectAll().execute()) sums.set(Number(f.app_id), (sums.get(Number(f.app_id)) ?? 0) + Number(f.amount));
  for (const t of await db.selectFrom("frozen_totals").selectAll().execute()) {
    if (Number(t.amount) !== (sums.get(Number(t.app_id)) ?? 0)) problems.push(`account ${t.app_id} has ${t.amount} frozen in all, its freezes add up to ${sums.get(Number(t.app_id)) ?? 0}`);
    sums.delete(Number(t.app_id));
  }
  for (const [appId, amount] of sums) problems.push(`account ${appId} has freezes of ${amount} and no frozen total`);
  for (const b of await db.selectFrom("balances").selectAll().execute()) {
    if (Number(b.cash) < 0 || Number(b.owed) < 0 || (Number(b.owed) > 0) !== (b.arrears_since !== null)) {
      problems.push(`balance of account ${b.app_id}: cash ${b.cash}, owed ${b.owed}, in arrears since ${b.arrears_since}`);
    }
  }
  return problems;
}
