// The rate limit holds for the whole cloud: three nodes on one PostgreSQL database, called side by side through
// the official SDK, accept together no more than one account's documented figure, not three times it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createDatabase, type TestDatabase } from "../helpers/databases.js";
import { cvmClient, startServer, type TestServer } from "../helpers/server.js";

const RATE = 4;
const nodes: TestServer[] = [];
let database: TestDatabase | undefined;
afterAll(async () => {
  for (const n of nodes) await n.close();
  await database?.drop();
});

/** Calls DescribeZones until `until`, `workers` at a time; answers how many were accepted and how many refused. */
async function hammer(node: TestServer, workers: number, until: number): Promise<{ ok: number; limited: number }> {
  const client = cvmClient(node);
  const counts = { ok: 0, limited: 0 };
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until) {
        try {
          await client.DescribeZones();
          counts.ok++;
        } catch (e) {
          expect((e as { code?: string }).code).toBe("RequestLimitExceeded");
          counts.limited++;
        }
      }
    }),
  );
  return counts;
}

it("accepts at most the account's rate across three nodes, and the rate itself", async () => {
  database = await createDatabase();
  // One data directory for the three: they share its store key, as nodes must.
  const data = mkdtempSync(join(tmpdir(), "opencvm-rate-"));
  for (let i = 0; i < 3; i++) nodes.push(await startServer({ OPENCVM_DATA: data, OPENCVM_DATABASE_URL: database.url, OPENCVM_NODE_ID: `n${i}`, OPENCVM_RATE_LIMIT: String(RATE) }));
  // Each node's bucket would be full: a second of waiting fills the shared one too.
  await new Promise((r) => setTimeout(r, 1100));
  const began = Date.now();
  const results = await Promise.all(nodes.map((n) => hammer(n, 4, began + 3000)));
  const seconds = (Date.now() - began) / 1000;
  const ok = results.reduce((sum, r) => sum + r.ok, 0);
  const limited = results.reduce((sum, r) => sum + r.limited, 0);
  // A full bucket, then RATE a second for as long as the calls ran (per node it would be three times that).
  expect(ok).toBeLessThanOrEqual(Math.floor(RATE * (1 + seconds)));
  expect(ok).toBeGreaterThanOrEqual(RATE);
  expect(limited).toBeGreaterThan(0);
  // Every node accepted some: the bucket is one, not the first node's.
  expect(results.filter((r) => r.ok > 0).length).toBeGreaterThan(1);
}, 60_000);
