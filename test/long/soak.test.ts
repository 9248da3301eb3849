// Soak (issue 21): a server process on a data directory, clients of several accounts launching and terminating
// pay-as-you-go instances at full speed while the service clock is moved an hour at a time, for a bounded time. Every
// hour settles, each account's money is what its bill lines say, and once retention applies the database file and
// the server's memory stop growing. The samples are printed (docs/performance.md, "Soak"), the growth is asserted.
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { describe, expect, it } from "vitest";
import { MICRO } from "../../src/billing/rating.js";
import { DB_FILE } from "../../src/store/dialect.js";
import type { Database } from "../../src/store/schema.js";
import { launch } from "../helpers/instances.js";
import { freePort, kill9, spawnServer, type ServerProcess } from "../helpers/process.js";
import { admin, cvmClient } from "../helpers/server.js";
import { billingProblems } from "../trust/billing-invariants.js";
import type { Caller } from "../trust/invariants.js";
import { createAccounts } from "./accounts.js";
import { bound } from "./bounds.js";

const SECONDS = bound("SOAK_SECONDS", 150);
/** SQLite checkpoints its write-ahead log at about 4 MiB: the file's size moves by that much between samples. */
const WAL_SLACK_BYTES = 8 * 1024 * 1024;
const ACCOUNTS = bound("SOAK_ACCOUNTS", 4);
const CLIENTS = bound("SOAK_CLIENTS", 8);
/** Instances per launch. */
const BATCH = 10;
/** The opening balance of every account (OPENCVM_BALANCE). */
const OPENING = 1_000_000;
const ZONES = ["ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6"];

interface Sample {
  seconds: number;
  hours: number;
  requests: number;
  churned: number;
  dbBytes: number;
  rssBytes: number;
  /** Rows of what retention prunes: operations, ClientTokens, meters. */
  pruned: number;
}

describe("soak: churn while the clock moves", () => {
  it(`churns instances for ${SECONDS} s with the clock moved hour by hour; billing keeps up and storage stops growing`, { timeout: (SECONDS + 240) * 1000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), "opencvm-soak-"));
    const accounts = await createAccounts(data, ACCOUNTS, "lifted");
    // Two hours of retention (pruned every hour): operations and tokens are pruned within the run.
    const server = await spawnServer(data, await freePort(), { OPENCVM_TIMING: "instant", OPENCVM_RETENTION: "2h", OPENCVM_BALANCE: String(OPENING), OPENCVM_LOG_LEVEL: "warn" });
    const stop = Date.now() + SECONDS * 1000;
    const counts = { requests: 0, churned: 0 };
    const samples: Sample[] = [];
    const began = Date.now();
    try {
      const clients = Array.from({ length: CLIENTS }, (_, i) => churn(server, accounts[i % ACCOUNTS], ZONES[i % ZONES.length], stop, counts));
      let hours = 0;
      while (Date.now() < stop) {
        const moved = await clock(server, "POST", { Advance: "1h" });
        expect(moved.Billing.FailingAccounts).toEqual([]);
        hours++;
        samples.push({ seconds: (Date.now() - began) / 1000, hours, ...counts, dbBytes: dbBytes(data), rssBytes: rss(server), pruned: prunedRows(data) });
      }
      await Promise.all(clients);
      const last = await clock(server, "POST", { Advance: "1h" });
      expect(last.Billing).toMatchObject({ LagSeconds: 0, Failures: 0, FailingAccounts: [] });
      samples.push({ seconds: (Date.now() - began) / 1000, hours: hours + 1, ...counts, dbBytes: dbBytes(data), rssBytes: rss(server), pruned: prunedRows(data) });
      expect(server.output()).not.toMatch(/account not settled|billing run failed/);
    } finally {
      await kill9(server);
    }
    report(samples);

    expect(await ledgerProblems(data, accounts)).toEqual([]);
    // Storage stops growing once retention applies: over the second half of the run the rows retention prunes stay
    // within half again their largest figure of the first half, and so does the memory (GC comes and goes). The file
    // grows only by the hourly bill lines of the instances alive at each hour (kept 18 months): steadily, so the
    // second half adds no more than half again what the first added (with a write-ahead log's worth of slack).
    expect(samples.at(-1)!.hours).toBeGreaterThanOrEqual(24);
    const split = Math.floor(samples.length / 2);
    const most = (of: Sample[], key: "pruned" | "rssBytes" | "dbBytes") => Math.max(...of.map((s) => s[key]));
    const [first, second] = [samples.slice(0, split), samples.slice(split)];
    expect(most(second, "pruned")).toBeLessThanOrEqual(most(first, "pruned") * 1.5);
    expect(most(second, "rssBytes")).toBeLessThanOrEqual(most(first, "rssBytes") * 1.5);
    const grew = (of: Sample[]) => of.at(-1)!.dbBytes - of[0].dbBytes;
    expect(grew(second)).toBeLessThanOrEqual(grew(first) * 1.5 + WAL_SLACK_BYTES);
  });
});

/** One client: launches a batch in its zone, waits for it to run, terminates it, and again until `stop`. */
async function churn(server: ServerProcess, account: Caller, zone: string, stop: number, counts: { requests: number; churned: number }): Promise<void> {
  const cvm = cvmClient(server.target, account);
  while (Date.now() < stop) {
    const ids = (await launch(cvm, { InstanceCount: BATCH, Placement: { Zone: zone } })).InstanceIdSet!;
    counts.requests++;
    for (;;) {
      const set = (await cvm.DescribeInstances({ InstanceIds: ids, Limit: BATCH })).InstanceSet!;
      counts.requests++;
      if (set.every((i) => i.InstanceState === "RUNNING" && i.LatestOperationState === "SUCCESS")) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await cvm.TerminateInstances({ InstanceIds: ids });
    counts.requests++;
    counts.churned += ids.length;
  }
}

async function clock(server: ServerProcess, method: "GET" | "POST", body?: object): Promise<any> {
  const res = await admin(server.target, "/_opencvm/clock", method === "POST" ? (body ?? {}) : undefined);
  expect(res.status).toBe(200);
  return res.json();
}

/** The database and its write-ahead log. */
function dbBytes(data: string): number {
  const size = (f: string) => {
    try {
      return statSync(join(data, f)).size;
    } catch {
      return 0;
    }
  };
  return size(DB_FILE) + size(`${DB_FILE}-wal`);
}

function prunedRows(data: string): number {
  const db = new SQLite(join(data, DB_FILE), { readonly: true });
  try {
    return ["operations", "client_tokens", "meters"].reduce((sum, t) => sum + (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n, 0);
  } finally {
    db.close();
  }
}

function rss(server: ServerProcess): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.child.pid}/status`, "utf8"));
  return kb ? Number(kb[1]) * 1024 : NaN;
}

/** Every hour of every resource billed once, each account holding what its lines leave, the meters right. */
async function ledgerProblems(data: string, accounts: Caller[]): Promise<string[]> {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(join(data, DB_FILE), { readonly: true }) }) });
  try {
    const problems = [...(await billingProblems(db))];
    const twice = await db
      .selectFrom("bills")
      .select(["resource_id", "pay_time", (eb) => eb.fn.countAll().as("n")])
      .where("action_type", "=", "postpay_deduct_h")
      .groupBy(["resource_id", "pay_time"])
      .having((eb) => eb.fn.countAll(), ">", 1)
      .execute();
    for (const t of twice) problems.push(`${t.resource_id} billed ${t.n} times for the hour ending ${t.pay_time}`);
    for (const account of accounts) {
      const spent = await db.selectFrom("bills").select((eb) => eb.fn.sum<number>("amount").as("total")).where("app_id", "=", account.appId).executeTakeFirst();
      const b = await db.selectFrom("balances").selectAll().where("app_id", "=", account.appId).executeTakeFirstOrThrow();
      const [left, expected] = [Number(b.cash) - Number(b.owed), OPENING * MICRO - Number(spent?.total ?? 0)];
      if (left !== expected) problems.push(`account ${account.appId} holds ${left}, its bill lines leave ${expected}`);
      if (Number(spent?.total ?? 0) <= 0) problems.push(`account ${account.appId} was billed nothing`);
    }
    return problems;
  } finally {
    await db.destroy();
  }
}

function report(samples: Sample[]): void {
  const mb = (b: number) => (b / 1048576).toFixed(1);
  const step = Math.max(1, Math.floor(samples.length / 12));
  const rows = samples.filter((_, i) => i % step === 0 || i === samples.length - 1);
  console.log(
    [
      `soak: ${CLIENTS} clients of ${ACCOUNTS} accounts, ${SECONDS} s`,
      "| s | service hours | requests | instances churned | operations, tokens, meters | database + WAL (MiB) | server RSS (MiB) |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...rows.map((s) => `| ${s.seconds.toFixed(0)} | ${s.hours} | ${s.requests} | ${s.churned} | ${s.pruned} | ${mb(s.dbBytes)} | ${mb(s.rssBytes)} |`),
    ].join("\n"),
  );
}
