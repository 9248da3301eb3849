// Balances, freezes, meters and bill lines. Meters are intervals at one rate: a resource's record changing opens
// new ones from that instant, so an hour's cost is the sum of each interval's share of it.
import { sql, type Kysely, type Selectable } from "kysely";
import type { AccountSettlementTable, BillsTable, Database, MetersTable } from "./schema.js";
import type { AccountSettlement, SettlementPosition, Balance, BillGroup, BillGroupKey, BillingRepo, BillQuery, BillRecord, MeterRecord, NewBill, Rating } from "./store.js";

const GROUP_COLUMNS = { resourceId: "resource_id", payMode: "pay_mode", actionType: "action_type", businessCode: "business_code", region: "region" } as const;

type BillDoc = Pick<BillRecord, "feeEnd" | "zone" | "resourceName" | "projectId" | "instanceType" | "components">;

function toBill(r: Selectable<BillsTable>): BillRecord {
  return {
    billId: r.bill_id,
    appId: Number(r.app_id),
    month: r.month,
    resourceId: r.resource_id,
    payMode: r.pay_mode as BillRecord["payMode"],
    actionType: r.action_type,
    businessCode: r.business_code,
    region: r.region,
    amount: Number(r.amount),
    feeBegin: r.fee_begin,
    payTime: r.pay_time,
    ...(JSON.parse(r.doc) as BillDoc),
  };
}

function toSettlement(r: Selectable<AccountSettlementTable>): AccountSettlement {
  return { appId: Number(r.app_id), settledUntil: Number(r.settled_until), resumeAfter: r.resume_after, failures: Number(r.failures), lastError: r.last_error };
}

function toMeter(r: Selectable<MetersTable>): MeterRecord {
  return {
    resourceId: r.resource_id,
    appId: Number(r.app_id),
    component: r.component,
    rate: Number(r.rate),
    since: Number(r.since),
    until: r.until === null ? null : Number(r.until),
    detail: JSON.parse(r.doc) as MeterRecord["detail"],
  };
}

/** Rows per insert: 12 parameters each, well under SQLite's limit of 32,766. */
const INSERT_SLICE = 1000;
/** service_state key: the last number drawn for a bill id. */
const BILL_SEQUENCE = "bill_sequence";
/** A bill id is the pay day (8 digits) and the number (15), 23 digits as the billing service's are. */
const BILL_NUMBER_DIGITS = 15;

const sameMeter = (a: { component: string; rate: number; detail: object }, b: { component: string; rate: number; detail: object }) =>
  a.component === b.component && a.rate === b.rate && JSON.stringify(a.detail) === JSON.stringify(b.detail);

export class SqlBilling implements BillingRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async state(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom("service_state").select("value").where("key", "=", key).executeTakeFirst())?.value;
  }

  async setState(key: string, value: string): Promise<void> {
    await this.db.insertInto("service_state").values({ key, value }).onConflict((oc) => oc.column("key").doUpdateSet({ value })).execute();
  }

  async raiseState(key: string, value: number): Promise<number> {
    const row = await this.db
      .insertInto("service_state")
      .values({ key, value: String(value) })
      .onConflict((oc) =>
        oc
          .column("key")
          .doUpdateSet({ value: String(value) })
          .where(sql`cast(service_state.value as bigint)`, "<", value),
      )
      .returning("value")
      .executeTakeFirst();
    // Nothing returned: the stored value was higher, and stays.
    return row ? Number(row.value) : Number(await this.state(key));
  }

  async balance(appId: number, initialCash: number): Promise<Balance> {
    await this.db.insertInto("balances").values({ app_id: appId, cash: initialCash, owed: 0, arrears_since: null }).onConflict((oc) => oc.column("app_id").doNothing()).execute();
    const row = await this.db.selectFrom("balances").selectAll().where("app_id", "=", appId).executeTakeFirstOrThrow();
    const frozen = await this.db.selectFrom("frozen_totals").select("amount").where("app_id", "=", appId).executeTakeFirst();
    return { appId, cash: Number(row.cash), owed: Number(row.owed), frozen: Number(frozen?.amount ?? 0), arrearsSince: row.arrears_since };
  }

  async debit(appId: number, amount: number, at: string): Promise<void> {
    // Cash cannot go below zero: what it does not cover becomes debt. (Each side reads the row as it was.)
    await this.db
      .updateTable("balances")
      .set({
        owed: sql`owed + case when ${amount} > cash then ${amount} - cash else 0 end`,
        cash: sql`case when cash > ${amount} then cash - ${amount} else 0 end`,
        arrears_since: sql`case when arrears_since is null and ${amount} > cash then ${at} else arrears_since end`,
      })
      .where("app_id", "=", appId)
      .execute();
  }

  async credit(appId: number, amount: number): Promise<void> {
    await this.db
      .updateTable("balances")
      .set({
        cash: sql`cash + case when ${amount} > owed then ${amount} - owed else 0 end`,
        owed: sql`case when owed > ${amount} then owed - ${amount} else 0 end`,
        arrears_since: sql`case when owed <= ${amount} then null else arrears_since end`,
      })
      .where("app_id", "=", appId)
      .execute();
  }

  async setCash(appId: number, cash: number, initialCash: number): Promise<void> {
    const b = await this.balance(appId, initialCash);
    await this.db.updateTable("balances").set({ cash: 0 }).where("app_id", "=", appId).execute();
    if (cash > 0) await this.credit(appId, cash);
    else if (b.owed === 0) await this.db.updateTable("balances").set({ arrears_since: null }).where("app_id", "=", appId).execute();
  }

  async inArrears(): Promise<{ appId: number; since: string }[]> {
    const rows = await this.db.selectFrom("balances").select(["app_id", "arrears_since"]).where("arrears_since", "is not", null).execute();
    return rows.map((r) => ({ appId: Number(r.app_id), since: r.arrears_since! }));
  }

  async start(resources: readonly { resourceId: string; appId: number; rating: Rating }[], at: number): Promise<void> {
    const meters = resources.flatMap((r) =>
      r.rating.meters.map((s) => ({ resource_id: r.resourceId, app_id: r.appId, component: s.component, rate: s.rate, since: at, until: null, doc: JSON.stringify(s.detail) })),
    );
    if (meters.length) await this.db.insertInto("meters").values(meters).execute();
    const freezes = resources.filter((r) => r.rating.freeze > 0).map((r) => ({ resource_id: r.resourceId, app_id: r.appId, amount: r.rating.freeze }));
    if (freezes.length) await this.db.insertInto("freezes").values(freezes).execute();
    const added = new Map<number, number>();
    for (const f of freezes) added.set(f.app_id, (added.get(f.app_id) ?? 0) + f.amount);
    for (const [appId, amount] of added) await this.addFrozen(appId, amount);
  }

  /** Keeps the account's frozen total in step with its freezes. */
  private async addFrozen(appId: number, amount: number): Promise<void> {
    if (amount === 0) return;
    await this.db
      .insertInto("frozen_totals")
      .values({ app_id: appId, amount })
      .onConflict((oc) => oc.column("app_id").doUpdateSet({ amount: sql`frozen_totals.amount + ${amount}` }))
      .execute();
  }

  async sync(resourceId: string, appId: number, rating: Rating, at: number): Promise<void> {
    // The open meters and the freeze in one read: most writes of a record change neither, and then nothing is written.
    const rows = await this.db
      .selectFrom("meters")
      .select(["component", "rate", "doc", sql<number>`0`.as("is_freeze")])
      .where("resource_id", "=", resourceId)
      .where("until", "is", null)
      .unionAll(
        this.db.selectFrom("freezes").select([sql<string>`cast(app_id as text)`.as("component"), "amount as rate", sql<string>`'{}'`.as("doc"), sql<number>`1`.as("is_freeze")]).where("resource_id", "=", resourceId),
      )
      .execute();
    const open = rows.filter((r) => !r.is_freeze).map((r) => ({ component: r.component, rate: Number(r.rate), detail: JSON.parse(r.doc) as MeterRecord["detail"] }));
    // The freeze row, if any, carries its account in the component column.
    const freezeRow = rows.find((r) => r.is_freeze);
    const frozen = Number(freezeRow?.rate ?? 0);
    const stale = open.filter((m) => !rating.meters.some((s) => sameMeter(m, s)));
    const fresh = rating.meters.filter((s) => !open.some((m) => sameMeter(m, s)));
    if (stale.length) {
      await this.db
        .updateTable("meters")
        .set({ until: at })
        .where("resource_id", "=", resourceId)
        .where("until", "is", null)
        .where("component", "in", stale.map((m) => m.component))
        .execute();
    }
    if (fresh.length) {
      await this.db
        .insertInto("meters")
        .values(fresh.map((s) => ({ resource_id: resourceId, app_id: appId, component: s.component, rate: s.rate, since: at, until: null, doc: JSON.stringify(s.detail) })))
        .execute();
    }
    if (rating.freeze === frozen) return;
    if (freezeRow) await this.addFrozen(Number(freezeRow.component), -frozen);
    if (rating.freeze > 0) {
      await this.db
        .insertInto("freezes")
        .values({ resource_id: resourceId, app_id: appId, amount: rating.freeze })
        .onConflict((oc) => oc.column("resource_id").doUpdateSet({ amount: rating.freeze }))
        .execute();
      await this.addFrozen(appId, rating.freeze);
    } else {
      await this.db.deleteFrom("freezes").where("resource_id", "=", resourceId).execute();
    }
  }

  async settlements(): Promise<AccountSettlement[]> {
    const rows = await this.db.selectFrom("account_settlement").selectAll().execute();
    return rows.map(toSettlement);
  }

  async positions(from: number): Promise<SettlementPosition[]> {
    const start = sql<number>`case when s.settled_until >= ${from} then s.settled_until else ${from} end`;
    const rows = await this.db
      .selectFrom("accounts as a")
      .leftJoin("account_settlement as s", "s.app_id", "a.app_id")
      .select(["a.app_id", "s.settled_until", "s.resume_after", "s.failures", "s.last_error"])
      .select((eb) =>
        eb
          .selectFrom("meters as m")
          .select(sql<number | null>`min(case when m.since > ${start} then m.since else ${start} end)`.as("first"))
          .whereRef("m.app_id", "=", "a.app_id")
          .where((w) => w.or([w("m.until", "is", null), w("m.until", ">", start)]))
          .as("first_usage"),
      )
      .orderBy("a.app_id")
      .execute();
    return rows.map((r) => {
      const firstUsage = r.first_usage === null ? undefined : Number(r.first_usage);
      // A row behind the common mark was left there by idle hours, which bill nothing.
      if (r.settled_until === null || Number(r.settled_until) < from) return { appId: Number(r.app_id), settledUntil: from, resumeAfter: "", failures: 0, lastError: null, firstUsage };
      return { ...toSettlement({ app_id: r.app_id, settled_until: r.settled_until, resume_after: r.resume_after!, failures: r.failures!, last_error: r.last_error }), firstUsage };
    });
  }

  async setSettlement(s: AccountSettlement): Promise<void> {
    const row = { settled_until: s.settledUntil, resume_after: s.resumeAfter, failures: s.failures, last_error: s.lastError };
    await this.db
      .insertInto("account_settlement")
      .values({ app_id: s.appId, ...row })
      .onConflict((oc) =>
        oc
          .column("app_id")
          .doUpdateSet(row)
          .where((eb) =>
            eb.or([
              eb("account_settlement.settled_until", "<", s.settledUntil),
              eb.and([eb("account_settlement.settled_until", "=", s.settledUntil), eb("account_settlement.resume_after", "<=", s.resumeAfter)]),
            ]),
          ),
      )
      .execute();
  }

  async holdSettlement(from: AccountSettlement): Promise<AccountSettlement | undefined> {
    await this.db
      .insertInto("account_settlement")
      .values({ app_id: from.appId, settled_until: from.settledUntil, resume_after: from.resumeAfter, failures: from.failures, last_error: from.lastError })
      .onConflict((oc) => oc.column("app_id").doNothing())
      .execute();
    // The update locks the row (PostgreSQL) and, run after a concurrent settlement commits, sees its new position.
    // A row behind `from` was left by idle hours, which bill nothing.
    const held = await this.db
      .updateTable("account_settlement")
      .set({ failures: sql`failures` })
      .where("app_id", "=", from.appId)
      .where((eb) =>
        eb.or([eb("settled_until", "<", from.settledUntil), eb.and([eb("settled_until", "=", from.settledUntil), eb("resume_after", "=", from.resumeAfter)])]),
      )
      .executeTakeFirst();
    if (Number(held.numUpdatedRows) === 1) return undefined;
    return toSettlement(await this.db.selectFrom("account_settlement").selectAll().where("app_id", "=", from.appId).executeTakeFirstOrThrow());
  }

  async accountMeters(appId: number, from: number, to: number, after: string, resources: number): Promise<MeterRecord[]> {
    const running = this.db
      .selectFrom("meters")
      .where("app_id", "=", appId)
      .where("since", "<", to)
      .where((eb) => eb.or([eb("until", "is", null), eb("until", ">", from)]));
    const next = running.select("resource_id").distinct().where("resource_id", ">", after).orderBy("resource_id").limit(resources);
    const rows = await running.selectAll().where("resource_id", "in", next).orderBy("resource_id").orderBy("meter_id").execute();
    return rows.map(toMeter);
  }

  async firstUsage(appId: number | undefined, from: number): Promise<number | undefined> {
    let q = this.db
      .selectFrom("meters")
      .select(sql<number | null>`min(case when since > ${from} then since else ${from} end)`.as("first"))
      .where((eb) => eb.or([eb("until", "is", null), eb("until", ">", from)]));
    if (appId !== undefined) q = q.where("app_id", "=", appId);
    const row = await q.executeTakeFirst();
    return row?.first === null || row?.first === undefined ? undefined : Number(row.first);
  }

  async pruneSettledMeters(limit: number): Promise<number> {
    // Closed within hours its account has settled: nothing will read it again.
    const settled = this.db
      .selectFrom("meters as m")
      .innerJoin("account_settlement as s", "s.app_id", "m.app_id")
      .select("m.meter_id")
      .where("m.until", "is not", null)
      .whereRef("m.until", "<=", "s.settled_until")
      .limit(limit);
    return Number((await this.db.deleteFrom("meters").where("meter_id", "in", settled).executeTakeFirst()).numDeletedRows);
  }

  async pruneBills(month: string, limit: number): Promise<number> {
    const old = this.db.selectFrom("bills").select("bill_id").where("month", "<", month).limit(limit);
    return Number((await this.db.deleteFrom("bills").where("bill_id", "in", old).executeTakeFirst()).numDeletedRows);
  }

  async addBills(bills: NewBill[]): Promise<void> {
    if (!bills.length) return;
    // Numbers are drawn from one row of the store in the writing transaction: no two writers, processes or nodes
    // sharing the database can draw the same one, and a restart goes on from the last.
    const drawn = await this.db
      .insertInto("service_state")
      .values({ key: BILL_SEQUENCE, value: String(bills.length) })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: sql`cast(cast(service_state.value as bigint) + ${bills.length} as varchar(64))` }))
      .returning("value")
      .executeTakeFirstOrThrow();
    const first = Number(drawn.value) - bills.length + 1;
    const numbered = bills.map((b, i) => ({ ...b, billId: `${b.payTime.slice(0, 10).replaceAll("-", "")}${String(first + i).padStart(BILL_NUMBER_DIGITS, "0")}` }));
    // In slices: a statement takes a bounded number of parameters, and an hour may bill many resources.
    for (let i = 0; i < numbered.length; i += INSERT_SLICE) await this.insertBills(numbered.slice(i, i + INSERT_SLICE));
  }

  private async insertBills(bills: BillRecord[]): Promise<void> {
    if (!bills.length) return;
    await this.db
      .insertInto("bills")
      .values(
        bills.map((b) => ({
          bill_id: b.billId,
          app_id: b.appId,
          month: b.month,
          resource_id: b.resourceId,
          pay_mode: b.payMode,
          action_type: b.actionType,
          business_code: b.businessCode,
          region: b.region,
          amount: b.amount,
          fee_begin: b.feeBegin,
          pay_time: b.payTime,
          doc: JSON.stringify({ feeEnd: b.feeEnd, zone: b.zone, resourceName: b.resourceName, projectId: b.projectId, instanceType: b.instanceType, components: b.components } satisfies BillDoc),
        })),
      )
      .execute();
  }

  /** The account's bill lines of the month that match `q`'s columns (a project is inside the document). */
  private matching(appId: number, q: BillQuery) {
    let base = this.db.selectFrom("bills").where("app_id", "=", appId).where("month", "=", q.month);
    if (q.resourceId !== undefined) base = base.where("resource_id", "=", q.resourceId);
    if (q.payMode !== undefined) base = base.where("pay_mode", "=", q.payMode);
    if (q.actionType !== undefined) base = base.where("action_type", "=", q.actionType);
    if (q.businessCode !== undefined) base = base.where("business_code", "=", q.businessCode);
    return base;
  }

  async bills(appId: number, q: BillQuery, offset: number, limit: number): Promise<{ total: number; records: BillRecord[] }> {
    const base = this.matching(appId, q);
    // A project is inside the document: filtered here, as months of one account are small enough to read.
    if (q.projectId !== undefined) {
      const all = (await base.selectAll().orderBy("pay_time").orderBy("bill_id").execute()).map(toBill).filter((b) => b.projectId === q.projectId);
      return { total: all.length, records: all.slice(offset, offset + limit) };
    }
    const total = Number((await base.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n);
    const rows = await base.selectAll().orderBy("pay_time").orderBy("bill_id").offset(offset).limit(limit).execute();
    return { total, records: rows.map(toBill) };
  }

  async billGroups(appId: number, q: Omit<BillQuery, "projectId">, by: readonly BillGroupKey[], offset: number, limit: number): Promise<{ total: number; groups: BillGroup[] }> {
    // Each line with its group's figures beside it; the group's latest line (place 1) stands for the group.
    const group = sql.join(by.map((k) => sql.ref(GROUP_COLUMNS[k])));
    const ranked = this.matching(appId, q)
      .selectAll()
      .select([
        sql<number>`sum(amount) over (partition by ${group})`.as("group_amount"),
        sql<string>`min(fee_begin) over (partition by ${group})`.as("group_begin"),
        sql<string>`min(pay_time) over (partition by ${group})`.as("group_first"),
        sql<number>`row_number() over (partition by ${group} order by pay_time desc, bill_id desc)`.as("place"),
      ]);
    const groups = this.db.selectFrom(ranked.as("r")).where("place", "=", 1);
    const total = Number((await groups.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n);
    let page = groups.selectAll().orderBy("group_first");
    for (const k of by) page = page.orderBy(GROUP_COLUMNS[k]);
    const rows = await page.offset(offset).limit(limit).execute();
    return { total, groups: rows.map((r) => ({ amount: Number(r.group_amount), feeBegin: r.group_begin, latest: toBill(r) })) };
  }
}
