// Hourly settlement on two nodes of one PostgreSQL database at once, as when the billing lead passes from one node
// to another in the middle of a run: both settle the same account from the same mark, one of them from a stale
// one, and every resource's hour is still billed and paid once.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { HOUR_MS, METERED_UNTIL, settleBatch } from "../../src/billing/metering.js";
import { Settlement } from "../../src/billing/settlement.js";
import { Clock } from "../../src/domain/clock.js";
import { generateKeyPair } from "../../src/keys.js";
import { createLogger } from "../../src/log.js";
import { openStore } from "../../src/store/sql.js";
import type { AccountSettlement, Store } from "../../src/store/store.js";
import { createDatabase, type TestDatabase } from "../helpers/databases.js";

const RESOURCES = 5;
const HOURS = 3;
const RATE = 1_000_000; // a currency unit an hour
const CASH = 1_000_000_000;

let database: TestDatabase | undefined;
const stores: Store[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  await database?.drop();
});

it("bills each resource's hour once when two nodes settle the same account side by side", async () => {
  database = await createDatabase();
  const key = { file: join(mkdtempSync(join(tmpdir(), "opencvm-settle-")), "store-key"), create: true };
  // Half past an hour, standing still: the hours due do not change while the test runs.
  const halfPast = Math.floor(Date.now() / HOUR_MS) * HOUR_MS + HOUR_MS / 2;
  const clock = new Clock(0, () => halfPast);
  for (let i = 0; i < 2; i++) stores.push(await openStore(database.url, clock, undefined, false, key));
  const [a, b] = stores;
  const { appId } = await a.accounts.create(generateKeyPair());
  await a.billing.balance(appId, CASH);
  // Where billing started, as the timekeeper writes at its first start.
  const first = Math.floor(clock.nowMs() / HOUR_MS) * HOUR_MS - HOURS * HOUR_MS;
  await a.billing.setState(METERED_UNTIL, String(first));
  const ids = Array.from({ length: RESOURCES }, (_, i) => `ins-settle${i}`);
  await a.billing.start(ids.map((resourceId) => ({ resourceId, appId, rating: { meters: [{ component: "cvm", rate: RATE, detail: {} }], freeze: 0 } })), first);

  // The same batch (two resources of five) from the same mark on both nodes at once.
  const mark: AccountSettlement = { appId, settledUntil: first, resumeAfter: "", failures: 0, lastError: null };
  const [fromA, fromB] = await Promise.all([settleBatch(a, mark, 2), settleBatch(b, mark, 2)]);
  expect(fromA).toEqual(fromB);
  expect(fromA).toMatchObject({ settledUntil: first, resumeAfter: ids[1] });
  // A node that lost its lead and wakes up with the old mark settles nothing.
  expect(await settleBatch(a, mark, 2)).toEqual(fromA);

  // Whole runs on both nodes at once, then the stale batch again.
  const log = createLogger("silent");
  await Promise.all([new Settlement(a, clock, log).run(), new Settlement(b, clock, log).run()]);
  expect(await settleBatch(b, mark, 2)).toMatchObject({ settledUntil: first + HOURS * HOUR_MS, resumeAfter: "" });

  const bills = await a.billing.bills(appId, { month: new Date(first).toISOString().slice(0, 7) }, 0, 1000);
  const later = new Date(first + HOURS * HOUR_MS - 1).toISOString().slice(0, 7);
  const all = later === new Date(first).toISOString().slice(0, 7) ? bills.records : [...bills.records, ...(await a.billing.bills(appId, { month: later }, 0, 1000)).records];
  const lines = all.map((r) => `${r.resourceId}@${r.feeBegin}`);
  expect(new Set(lines).size).toBe(lines.length);
  expect(lines).toHaveLength(RESOURCES * HOURS);
  expect(all.every((r) => r.amount === RATE)).toBe(true);
  expect((await b.billing.balance(appId, CASH)).cash).toBe(CASH - RESOURCES * HOURS * RATE);
  expect(await b.billing.settlements()).toEqual([{ appId, settledUntil: first + HOURS * HOUR_MS, resumeAfter: "", failures: 0, lastError: null }]);
}, 60_000);
