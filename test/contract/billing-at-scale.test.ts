// Settlement that holds at scale: 12,000 pay-as-you-go instances launched and terminated through the SDK, then the
// clock moved through the admin path, settle every line once with ids unique by construction, at the quoted price;
// and one account whose settlement the database refuses holds back only itself, is reported, and settles once the
// cause is gone.
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { HOUR_MS } from "../../src/billing/metering.js";
import { MICRO } from "../../src/billing/rating.js";
import { generateKeyPair } from "../../src/keys.js";
import type { BillRecord } from "../../src/store/store.js";
import { launch, UBUNTU } from "../helpers/instances.js";
import { serverForFile } from "../helpers/file-server.js";
import { admin, commonClient, cvmClient, startServer, type TestServer } from "../helpers/server.js";
import { database } from "../trust/invariants.js";

const INSTANCES = 12_000;
/** A default subnet (a /20) holds about 4,090 instances: the launches are spread over three zones. */
const ZONES = ["ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6"];
const micro = (amount: number) => Math.round(amount * MICRO);

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
let appId: number;

serverForFile(
  (started) => {
    server = started;
    cvm = cvmClient(server);
    appId = server.defaultAccount.account.appId;
  },
  { OPENCVM_TIMING: "instant" },
);

/** POST /_opencvm/clock, as an operator moves the clock. */
async function advance(by: string): Promise<{ status: number; body: any }> {
  const res = await admin(server, "/_opencvm/clock", { Advance: by });
  return { status: res.status, body: await res.json() };
}

/** Every bill line of the account in the months the clock has been through. */
async function allLines(of: number): Promise<BillRecord[]> {
  const months = new Set([0, 20, 40].map((back) => new Date(server.clock.nowMs() - back * 24 * HOUR_MS).toISOString().slice(0, 7)));
  const out: BillRecord[] = [];
  for (const month of months) out.push(...(await server.store.billing.bills(of, { month }, 0, 1_000_000)).records);
  return out;
}

describe("settlement at scale", () => {
  it(`settles ${INSTANCES} instances launched and terminated 100 a call: every line once, unique ids, the quoted price`, { timeout: 600_000 }, async () => {
    const rates = new Map<string, number>();
    for (const zone of ZONES) {
      const q = await cvm.InquiryPriceRunInstances({ Placement: { Zone: zone }, ImageId: UBUNTU, InstanceType: "S5.MEDIUM4" });
      rates.set(zone, micro(q.Price!.InstancePrice!.UnitPrice!));
    }
    // The first bills of this account: what it paid is the sum of its lines.
    const before = await server.store.billing.balance(appId, micro(server.config.balance));
    const ids: string[] = [];
    for (let i = 0; i < INSTANCES; i += 100) ids.push(...(await launch(cvm, { InstanceCount: 100, Placement: { Zone: ZONES[(i / 100) % ZONES.length] } })).InstanceIdSet!);
    await server.engine.idle();
    // Every instance runs for at least ten minutes, so every one of them has a line to pay.
    expect((await advance("10m")).status).toBe(200);
    for (let i = 0; i < ids.length; i += 100) await cvm.TerminateInstances({ InstanceIds: ids.slice(i, i + 100) });
    await server.engine.idle();

    const moved = await advance("2h");
    expect(moved.status).toBe(200);
    expect(moved.body.Billing).toMatchObject({ LagSeconds: 0, Failures: 0, FailingAccounts: [] });
    expect(server.logs.filter((l) => /account not settled|billing run failed/.test(l))).toEqual([]);

    const lines = (await allLines(appId)).filter((l) => l.actionType === "postpay_deduct_h");
    const ours = new Set(ids);
    const mine = lines.filter((l) => ours.has(l.resourceId));
    // The billing service answers a line with the id the store gave it (asked before the long checks below, which
    // hold the event loop that also serves the SDK's kept-alive connection).
    const sample = mine[Math.floor(mine.length / 2)];
    const detail = await commonClient(server, "2018-07-09", { region: null }).request("DescribeBillDetail", { Month: sample.payTime.slice(0, 7), Offset: 0, Limit: 10, ResourceId: sample.resourceId });
    expect(detail.DetailSet.map((d: { BillId: string }) => d.BillId)).toContain(sample.billId);
    // Ids: digits, the pay day first, never twice.
    expect(new Set(lines.map((l) => l.billId)).size).toBe(lines.length);
    expect(mine.filter((l) => !new RegExp(`^${l.payTime.slice(0, 10).replaceAll("-", "")}\\d{15}$`).test(l.billId))).toEqual([]);
    // Each resource's hour once, and every instance's running time billed.
    const hours = new Set(mine.map((l) => `${l.resourceId}@${l.payTime}`));
    expect(hours.size).toBe(mine.length);
    const used = new Map<string, number>();
    for (const l of mine) used.set(l.resourceId, (used.get(l.resourceId) ?? 0) + l.components.reduce((s, c) => s + c.used, 0));
    expect(used.size).toBe(INSTANCES);
    expect([...used.values()].filter((seconds) => seconds < 600)).toEqual([]);
    // The figures: the quoted hourly price, for the seconds used.
    const mispriced = mine.filter(
      (l) =>
        l.components.some((c) => c.price !== rates.get(l.zone) || c.cost !== Math.round((c.price * c.used * 1000) / HOUR_MS)) ||
        l.amount !== l.components.reduce((s, c) => s + c.cost, 0),
    );
    expect(mispriced).toEqual([]);
    const after = await server.store.billing.balance(appId, micro(server.config.balance));
    expect(before.cash - after.cash).toBe(lines.reduce((s, l) => s + l.amount, 0));
  });

  it("settles the other accounts when one account's settlement fails, reports it, and settles it once the cause is gone", { timeout: 120_000 }, async () => {
    const key = generateKeyPair();
    const refused = (await server.store.accounts.create(key)).appId;
    const theirs = cvmClient(server, key);
    const [mineId] = (await launch(cvm)).InstanceIdSet!;
    const [theirId] = (await launch(theirs)).InstanceIdSet!;
    await server.engine.idle();
    await advance("1h");
    const start = server.clock.nowMs();
    const db = database(server.store);
    // A real refusal the database makes: every bill line of that account.
    await sql`CREATE TRIGGER refuse_bills BEFORE INSERT ON bills WHEN NEW.app_id = ${sql.lit(refused)} BEGIN SELECT RAISE(ABORT, 'bill lines of this account are refused'); END`.execute(db);
    const theirCash = (await server.store.billing.balance(refused, micro(server.config.balance))).cash;

    const moved = await advance("3h");
    expect(moved.status).toBe(200);
    const report = moved.body.Billing;
    expect(report.Failures).toBeGreaterThan(0);
    expect(report.LagSeconds).toBeGreaterThanOrEqual(3 * 3600);
    expect(report.FailingAccounts).toEqual([expect.objectContaining({ AppId: refused, Failures: expect.any(Number), Error: expect.stringContaining("refused") })]);
    expect(server.logs.some((l) => l.includes("account not settled") && l.includes(String(refused)))).toBe(true);
    const hoursOf = async (of: number, id: string) => (await allLines(of)).filter((l) => l.resourceId === id && Date.parse(l.payTime) > start).map((l) => l.payTime);
    // The default account's instance: each of the three hours.
    expect(await hoursOf(appId, mineId)).toHaveLength(3);
    expect(await hoursOf(refused, theirId)).toEqual([]);
    expect((await server.store.billing.balance(refused, 0)).cash).toBe(theirCash);
    const clock = await (await admin(server, "/_opencvm/clock")).json();
    expect(clock.Billing.FailingAccounts.map((f: { AppId: number }) => f.AppId)).toEqual([refused]);

    await sql`DROP TRIGGER refuse_bills`.execute(db);
    const healed = await advance("1h");
    expect(healed.body.Billing).toMatchObject({ LagSeconds: 0, FailingAccounts: [] });
    const theirHours = await hoursOf(refused, theirId);
    expect(theirHours).toHaveLength(4);
    expect(new Set(theirHours).size).toBe(4);
    expect(await hoursOf(appId, mineId)).toHaveLength(4);
    const paid = (await allLines(refused)).reduce((s, l) => s + l.amount, 0);
    expect((await server.store.billing.balance(refused, 0)).cash).toBe(micro(server.config.balance) - paid);
  });
});
