// Kill -9 in the middle of moving the clock a month forward over running pay-as-you-go instances, start again on the
// same data, and billing is whole: every hour settled once (never twice, none skipped up to the mark), the account's
// money is what its bill lines say, and every meter agrees with its instance.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { describe, expect, it } from "vitest";
import { HOUR_MS, METERED_UNTIL } from "../../src/billing/metering.js";
import { MICRO } from "../../src/billing/rating.js";
import { DB_FILE } from "../../src/store/dialect.js";
import type { Database } from "../../src/store/schema.js";
import { launch, waitFor } from "../helpers/instances.js";
import { freePort, kill9, spawnServer } from "../helpers/process.js";
import { admin, cvmClient } from "../helpers/server.js";
import { billingProblems } from "../trust/billing-invariants.js";

const CYCLES = 3;
/** The opening balance the server gives the account (OPENCVM_BALANCE). */
const OPENING = 1_000_000;

describe("kill -9 while the clock moves", () => {
  it(`settles every hour exactly once over ${CYCLES} crash cycles`, { timeout: 120_000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), "opencvm-clock-crash-"));
    const port = await freePort();
    const env = { OPENCVM_TIMING: "instant", OPENCVM_BALANCE: String(OPENING) };
    let server = await spawnServer(data, port, env);
    // 30 in each of three zones: the default pay-as-you-go quota.
    const ids: string[] = [];
    for (const zone of ["ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6"]) ids.push(...(await launch(cvmClient(server.target), { Placement: { Zone: zone }, InstanceCount: 30 })).InstanceIdSet!);
    await waitFor(cvmClient(server.target), ids, "RUNNING");
    let cut = 0;

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const before = await markOf(data);
      const advancing = admin(server.target, "/_opencvm/clock", { Advance: "30d" }).catch(() => undefined);
      // A month of 90 instances takes a few seconds: die part of the way through it.
      await new Promise((r) => setTimeout(r, 250 + cycle * 150));
      await kill9(server);
      await advancing;
      const reached = await markOf(data);
      if (reached > before && reached < before + 30 * 24 * HOUR_MS) cut++;
      server = await spawnServer(data, port, env);
      await waitFor(cvmClient(server.target), ids, "RUNNING");
      expect(await ledgerProblems(data)).toEqual([]);
    }
    // The advance was cut short at least once (otherwise the test proved nothing about a crash mid-way).
    expect(cut).toBeGreaterThan(0);
    // The clock goes on from where it stopped.
    const mark = await markOf(data);
    expect((await admin(server.target, "/_opencvm/clock", { Advance: "3h" })).status).toBe(200);
    expect(await markOf(data)).toBeGreaterThan(mark);
    expect(await ledgerProblems(data)).toEqual([]);
    await kill9(server);
  });
});

/** The data directory's database, read-only beside the running server. */
async function withDb<T>(data: string, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(join(data, DB_FILE), { readonly: true }) }) });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

async function markOf(data: string): Promise<number> {
  return withDb(data, async (db) => Number((await db.selectFrom("service_state").select("value").where("key", "=", METERED_UNTIL).executeTakeFirstOrThrow()).value));
}

/** What would show a crash lost or doubled money: an hour billed twice, a bill past the mark, money that disagrees. */
async function ledgerProblems(data: string): Promise<string[]> {
  return withDb(data, async (db) => {
    const problems = [...(await billingProblems(db))];
    const mark = await markOf(data);
    if (mark % HOUR_MS !== 0) problems.push(`the metering mark ${mark} is not on the hour`);
    // An account may be part way through an hour (settled in batches of resources): its lines reach that hour's end.
    const reach = new Map((await db.selectFrom("account_settlement").selectAll().execute()).map((s) => [Number(s.app_id), Number(s.settled_until) + (s.resume_after ? HOUR_MS : 0)]));
    const hourly = await db.selectFrom("bills").select(["app_id", "resource_id", "fee_begin", "pay_time"]).where("action_type", "=", "postpay_deduct_h").execute();
    const seen = new Set<string>();
    for (const b of hourly) {
      const hour = `${b.resource_id}@${b.pay_time}`;
      if (seen.has(hour)) problems.push(`${hour} billed twice`);
      seen.add(hour);
      if (Date.parse(b.pay_time) > (reach.get(Number(b.app_id)) ?? mark)) problems.push(`${hour} billed past its account's mark`);
    }
    const spent = new Map(
      (await db.selectFrom("bills").select(["app_id", (eb) => eb.fn.sum<number>("amount").as("total")]).groupBy("app_id").execute()).map((r) => [Number(r.app_id), Number(r.total)]),
    );
    for (const b of await db.selectFrom("balances").selectAll().execute()) {
      const [left, expected] = [Number(b.cash) - Number(b.owed), OPENING * MICRO - (spent.get(Number(b.app_id)) ?? 0)];
      if (left !== expected) problems.push(`account ${b.app_id} holds ${left}, its bills leave ${expected}`);
    }
    return problems;
  });
}
