// The service clock on two server nodes sharing one PostgreSQL database: both moving it at once, the stored offset
// never runs back (each write keeps the higher offset), and each node ends on the clock the other moved.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { HOUR_MS } from "../../src/billing/metering.js";
import { CLOCK_OFFSET } from "../../src/billing/timekeeper.js";
import { createDatabase, type TestDatabase } from "../helpers/databases.js";
import { startServer, type TestServer } from "../helpers/server.js";

const ROUNDS = 8;

const nodes: TestServer[] = [];
let database: TestDatabase | undefined;
beforeAll(async () => {
  database = await createDatabase();
  const data = mkdtempSync(join(tmpdir(), "opencvm-clock-nodes-"));
  for (const id of ["n1", "n2"]) nodes.push(await startServer({ OPENCVM_DATA: data, OPENCVM_DATABASE_URL: database.url, OPENCVM_NODE_ID: id, OPENCVM_TIMING: "instant" }));
});
afterAll(async () => {
  for (const n of nodes) await n.close();
  await database?.drop();
});

const stored = async (node: TestServer) => Number((await node.store.billing.state(CLOCK_OFFSET)) ?? 0);

it("keeps the higher offset when a node with a stale clock writes a lower one", async () => {
  const [one, two] = nodes;
  const ahead = (await stored(one)) + 10 * HOUR_MS;
  expect(await one.store.billing.raiseState(CLOCK_OFFSET, ahead)).toBe(ahead);
  expect(await two.store.billing.raiseState(CLOCK_OFFSET, ahead - HOUR_MS)).toBe(ahead);
  expect(await stored(two)).toBe(ahead);
});

it("never runs the stored clock back while both nodes advance it at once, and both end on it", async () => {
  const [one, two] = nodes;
  const seen: number[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      seen.push(await stored(one));
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  // The clock's time is real time plus the offset: compared as times, since real time runs on meanwhile.
  const start = Date.now() + (await stored(one));
  for (let round = 0; round < ROUNDS; round++) await Promise.all([one.timekeeper.advance(2 * HOUR_MS), two.timekeeper.advance(HOUR_MS)]);
  polling = false;
  await poller;
  const backwards = seen.filter((v, i) => i > 0 && v < seen[i - 1]);
  expect(backwards).toEqual([]);
  // Each round moves the clock at least two hours (one node's step from wherever the other left it).
  const end = await stored(one);
  expect(Date.now() + end).toBeGreaterThanOrEqual(start + ROUNDS * 2 * HOUR_MS);
  // A node adopts the stored offset at its next run.
  await Promise.all(nodes.map((n) => n.timekeeper.runDue()));
  expect(nodes.map((n) => n.clock.offset)).toEqual([end, end]);
});
