// npm run bench:nodes: the same workload against one node on SQLite and one, two and three nodes on one
// PostgreSQL database (throughput, latency, how long the launches take to finish), and the copy of a SQLite cloud
// of 100,000 instances to PostgreSQL (`opencvm migrate-store`'s copyStore).
// Workload: BENCH_WORKERS clients (24) spread evenly over the nodes, each repeating for BENCH_SECONDS (20):
// RunInstances of one instance, DescribeInstances of it by id, and a filtered page of 20, the launches taking
// BENCH_TIMING (fast) to finish. BENCH_COPY_SCALE (100000)
// instances for the copy. PostgreSQL: OPENCVM_BENCH_DATABASE_URL, else an embedded server (bench/postgres.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Clock } from "../src/domain/clock.js";
import { copyStore } from "../src/store/copy.js";
import { openStore } from "../src/store/sql.js";
import { STORE_KEY_FILE } from "../src/store/secret-box.js";
import { call, child, freePort, median, percentile, SECRET_ID, SECRET_KEY } from "./common.js";
import { benchPostgres } from "./postgres.js";
import { seed, ZONES } from "./seed.js";

const env = process.env;
const WORKERS = Number(env.BENCH_WORKERS ?? 24);
const SECONDS = Number(env.BENCH_SECONDS ?? 20);
const COPY_SCALE = Number(env.BENCH_COPY_SCALE ?? 100_000);
/** How long the simulated launches take: `fast` (0.5-3 s), so that a launch's answer does not wait for its end. */
const TIMING = env.BENCH_TIMING ?? "fast";
const PAGE = { Limit: 20, Filters: [{ Name: "zone", Values: ["ap-guangzhou-3"] }] };

interface Figures {
  calls: number;
  seconds: number;
  run: number[];
  describe: number[];
  drain: number;
}

/** The default account, made before the nodes start, allowed to buy all the workload launches. */
async function account(location: string, data: string): Promise<void> {
  const store = await openStore(location, new Clock(), undefined, false, { file: join(data, STORE_KEY_FILE), create: true });
  const { appId } = await store.accounts.create({ secretId: SECRET_ID, secretKey: SECRET_KEY }, { isDefault: true });
  await store.accounts.setQuota(appId, "postpaid", 10_000_000);
  await store.close();
}

async function workload(ports: number[]): Promise<Figures> {
  const f: Figures = { calls: 0, seconds: 0, run: [], describe: [], drain: 0 };
  const began = performance.now();
  const until = began + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, w) => {
      const port = ports[w % ports.length];
      for (let i = 0; performance.now() < until; i++) {
        const run = await call(port, "RunInstances", { Placement: { Zone: ZONES[(w + i) % ZONES.length] }, ImageId: "img-487zeit5", InstanceType: "S5.SMALL1" });
        const [id] = (run.response as { InstanceIdSet: string[] }).InstanceIdSet;
        const one = await call(port, "DescribeInstances", { InstanceIds: [id] });
        const page = await call(port, "DescribeInstances", PAGE);
        f.run.push(run.ms);
        f.describe.push(one.ms, page.ms);
        f.calls += 3;
      }
    }),
  );
  f.seconds = (performance.now() - began) / 1000;
  // Until the engines have finished every launch.
  const pending = { Filters: [{ Name: "instance-state", Values: ["PENDING"] }], Limit: 1 };
  while (((await call(ports[0], "DescribeInstances", pending)).response as { TotalCount: number }).TotalCount > 0) await new Promise((r) => setTimeout(r, 100));
  f.drain = (performance.now() - began) / 1000 - f.seconds;
  return f;
}

/** Starts `nodes` servers on `location` (a data directory or a database URL), runs the workload, stops them. */
async function measure(location: string | undefined, nodes: number): Promise<Figures> {
  const data = mkdtempSync(join(tmpdir(), "opencvm-bench-nodes-"));
  try {
    await account(location ?? data, data);
    const ports: number[] = [];
    const procs = [];
    for (let n = 0; n < nodes; n++) {
      const port = await freePort();
      const settings = { OPENCVM_DATA: data, OPENCVM_PORT: String(port), OPENCVM_SECRET_ID: SECRET_ID, OPENCVM_SECRET_KEY: SECRET_KEY, OPENCVM_RATE_LIMIT: "off", OPENCVM_TIMING: TIMING, OPENCVM_NODE_ID: `n${n}`, OPENCVM_LOG_LEVEL: "warn" };
      procs.push((await child("dist/src/cli.js", { ...settings, ...(location ? { OPENCVM_DATABASE_URL: location } : {}) }, /OpenCVM listening/)).proc);
      ports.push(port);
    }
    try {
      return await workload(ports);
    } finally {
      for (const p of procs) p.kill("SIGKILL");
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const postgres = await benchPostgres();
try {
  const rows: string[] = [];
  let base = 0;
  for (const [store, nodes] of [["SQLite", 1], ["PostgreSQL", 1], ["PostgreSQL", 2], ["PostgreSQL", 3]] as const) {
    const f = await measure(store === "SQLite" ? undefined : await postgres.database(), nodes);
    const rate = f.calls / f.seconds;
    base ||= rate;
    rows.push(
      `| ${store} | ${nodes} | ${fmt(rate)} | ${fmt(rate / base, 2)} | ${fmt(median(f.run))} / ${fmt(percentile(f.run, 95))} | ${fmt(median(f.describe))} / ${fmt(percentile(f.describe, 95))} | ${f.run.length} | ${fmt(f.drain)} |`,
    );
    console.error(rows.at(-1));
  }
  console.log(`${WORKERS} clients for ${SECONDS} s, timing ${TIMING}: RunInstances of one, DescribeInstances by id, a filtered page of 20\n`);
  console.log("| store | nodes | calls/s | vs SQLite | RunInstances ms (median / p95) | DescribeInstances ms (median / p95) | launched | s until all RUNNING |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) console.log(r);

  const data = mkdtempSync(join(tmpdir(), "opencvm-bench-copy-"));
  try {
    await seed(data, COPY_SCALE);
    const target = await postgres.database();
    const t0 = performance.now();
    const copied = await copyStore(data, target);
    const seconds = (performance.now() - t0) / 1000;
    const rowsCopied = copied.reduce((sum, c) => sum + c.rows, 0);
    console.log(`\ncopy of a SQLite cloud of ${COPY_SCALE} instances to PostgreSQL: ${fmt(seconds)} s, ${rowsCopied} rows (${fmt(rowsCopied / seconds, 0)} rows/s)`);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
} finally {
  await postgres.stop();
}
