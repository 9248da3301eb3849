// Three server nodes (processes) on one PostgreSQL database, launching, stopping and starting through all three at
// once with the real cloud's rate limits; one is killed with SIGKILL while its operations are in flight. Its leases
// run out and the others finish its work: every operation ends once, every instance where its last operation
// promised, no address twice, the money agrees with the meters, the calls all three nodes accepted side by side
// stayed within one account's rate, and once the clock has moved on every hour is billed once.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import type { Database } from "../../src/store/schema.js";
import { HOUR_MS } from "../../src/billing/metering.js";
import { DOCUMENTED_RATES } from "../../src/api/rate-limit.js";
import { storeFor } from "../helpers/databases.js";
import { describe, launch } from "../helpers/instances.js";
import { freePort, kill9, spawnServer, type ServerProcess } from "../helpers/process.js";
import { admin, cvmClient } from "../helpers/server.js";
import { billingProblems } from "../trust/billing-invariants.js";

const nodes: ServerProcess[] = [];
type Client = ReturnType<typeof cvmClient>;
const HOURS = 3;

/** Polls (gently: the nodes keep the real limits) until every instance is in `state`, its operation settled. */
async function settled(client: Client, ids: string[], state: string, ms: number) {
  const until = Date.now() + ms;
  for (;;) {
    const set = await describe(client, ids).catch((e) => {
      if ((e as { code?: string }).code === "RequestLimitExceeded") return [];
      throw e;
    });
    if (set.length === ids.length && set.every((i) => i.InstanceState === state && i.LatestOperationState !== "OPERATING")) return set;
    if (Date.now() > until) throw new Error(`instances did not reach ${state}: ${JSON.stringify(set.map((i) => [i.InstanceId, i.InstanceState]))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Calls DescribeZones through `client` until `until`, two calls at a time; answers how many the node accepted. A
 * node killed meanwhile answers nothing more (its calls fail without an API error), and its worker stops.
 */
async function hammer(client: Client, until: number): Promise<number> {
  let ok = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (Date.now() < until) {
        try {
          await client.DescribeZones();
          ok++;
        } catch (e) {
          if ((e as { code?: string }).code !== "RequestLimitExceeded") return;
        }
      }
    }),
  );
  return ok;
}
afterAll(async () => {
  for (const n of nodes) if (n.child.exitCode === null && n.child.signalCode === null) await kill9(n);
});

it("finishes a killed node's operations on the others, once each", async () => {
  const data = mkdtempSync(join(tmpdir(), "opencvm-nodes-"));
  for (const name of ["n1", "n2", "n3"]) nodes.push(await spawnServer(data, await freePort(), { OPENCVM_NODE_ID: name, OPENCVM_TIMING: "fast", OPENCVM_RATE_LIMIT: "default" }));
  const clients = nodes.map((n) => cvmClient(n.target));

  // Launches through every node at once; the first node's engine claims some of them.
  const launched = await Promise.all(clients.flatMap((c) => [launch(c, { InstanceCount: 4 }), launch(c, { InstanceCount: 4 })]));
  const ids = launched.flatMap((r) => r.InstanceIdSet!);
  expect(ids).toHaveLength(24);
  // Meanwhile every node is called as fast as it answers, for three seconds: together they accept one account's
  // rate (a full bucket, then the rate each second), not three times it.
  const began = Date.now();
  const hammered = Promise.all(clients.map((c) => hammer(c, began + 3000)));
  // Mid-way: launches take 1-3 s.
  await new Promise((r) => setTimeout(r, 500));
  await kill9(nodes[0]);
  const accepted = await hammered;
  const seconds = (Date.now() - began) / 1000;
  const rate = DOCUMENTED_RATES.cvm.DescribeZones;
  expect(accepted.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(Math.floor(rate * (1 + seconds)));
  expect(accepted[1] + accepted[2]).toBeGreaterThan(0);
  const [, second, third] = clients;
  await settled(second, ids, "RUNNING", 60_000);

  // Stops and starts through the two that are left, side by side.
  const half = ids.slice(0, 12);
  await Promise.all([second.StopInstances({ InstanceIds: half.slice(0, 6) }), third.StopInstances({ InstanceIds: half.slice(6) })]);
  await settled(third, half, "STOPPED", 30_000);
  await Promise.all([third.StartInstances({ InstanceIds: half.slice(0, 6) }), second.StartInstances({ InstanceIds: half.slice(6) })]);
  const running = await settled(second, ids, "RUNNING", 30_000);
  // The clock moves on through one node while the billing lead (maybe the killed node's before) runs on another.
  const moved = await admin(nodes[1].target, "/_opencvm/clock", { Advance: `${HOURS}h` });
  expect(moved.status).toBe(200);
  const addresses = running.map((i) => i.PrivateIpAddresses![0]);
  expect(new Set(addresses).size).toBe(ids.length);
  expect(running.every((i) => i.LatestOperationState === "SUCCESS")).toBe(true);

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: await storeFor(data), max: 2 }) }) });
  try {
    const ops = await db.selectFrom("operations").select(["status", "kind"]).execute();
    expect(ops.filter((o) => o.status === "pending")).toEqual([]);
    // 24 launches, 12 stops, 12 starts: one row each, each closed once.
    expect(ops.filter((o) => o.status === "done")).toHaveLength(48);
    const hosts = await db.selectFrom("instances").select("host_node").execute();
    expect(hosts.every((h) => h.host_node === "n2" || h.host_node === "n3")).toBe(true);
    const allocations = await db.selectFrom("ip_allocations").select("ip").execute();
    expect(allocations).toHaveLength(24);
    expect(await billingProblems(db)).toEqual([]);
    // Every instance's every hour billed once: one line per instance and hour end, for each full hour it ran.
    const bills = await db.selectFrom("bills").select(["resource_id", "pay_time"]).execute();
    const lines = new Map<string, number>();
    for (const b of bills) lines.set(`${b.resource_id} ${b.pay_time}`, (lines.get(`${b.resource_id} ${b.pay_time}`) ?? 0) + 1);
    expect([...lines].filter(([, n]) => n !== 1)).toEqual([]);
    for (const id of ids) expect(bills.filter((b) => b.resource_id === id).length).toBeGreaterThanOrEqual(HOURS);
    expect(bills.every((b) => Date.parse(b.pay_time) % HOUR_MS === 0)).toBe(true);
  } finally {
    await db.destroy();
  }
  expect(await describe(third, ids)).toHaveLength(24);
}, 180_000);
