// Three server nodes (processes) on one PostgreSQL database, launching, stopping and starting through all three at
// once; one is killed with SIGKILL while its operations are in flight. Its leases run out and the others finish
// its work: every operation ends once, every instance where its last operation promised, no address twice, and
// the money agrees with the meters.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import type { Database } from "../../src/store/schema.js";
import { storeFor } from "../helpers/databases.js";
import { describe, launch, waitFor } from "../helpers/instances.js";
import { freePort, kill9, spawnServer, type ServerProcess } from "../helpers/process.js";
import { cvmClient } from "../helpers/server.js";
import { billingProblems } from "../trust/billing-invariants.js";

const nodes: ServerProcess[] = [];
afterAll(async () => {
  for (const n of nodes) if (n.child.exitCode === null && n.child.signalCode === null) await kill9(n);
});

it("finishes a killed node's operations on the others, once each", async () => {
  const data = mkdtempSync(join(tmpdir(), "opencvm-nodes-"));
  for (const name of ["n1", "n2", "n3"]) nodes.push(await spawnServer(data, await freePort(), { OPENCVM_NODE_ID: name, OPENCVM_TIMING: "fast" }));
  const clients = nodes.map((n) => cvmClient(n.target));

  // Launches through every node at once; the first node's engine claims some of them.
  const launched = await Promise.all(clients.flatMap((c) => [launch(c, { InstanceCount: 4 }), launch(c, { InstanceCount: 4 })]));
  const ids = launched.flatMap((r) => r.InstanceIdSet!);
  expect(ids).toHaveLength(24);
  // Mid-way: launches take 1-3 s.
  await new Promise((r) => setTimeout(r, 500));
  await kill9(nodes[0]);
  const [, second, third] = clients;
  await waitFor(second, ids, "RUNNING", 60_000);

  // Stops and starts through the two that are left, side by side.
  const half = ids.slice(0, 12);
  await Promise.all([second.StopInstances({ InstanceIds: half.slice(0, 6) }), third.StopInstances({ InstanceIds: half.slice(6) })]);
  await waitFor(third, half, "STOPPED", 30_000);
  await Promise.all([third.StartInstances({ InstanceIds: half.slice(0, 6) }), second.StartInstances({ InstanceIds: half.slice(6) })]);
  const running = await waitFor(second, ids, "RUNNING", 30_000);

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
  } finally {
    await db.destroy();
  }
  expect(await describe(third, ids)).toHaveLength(24);
}, 180_000);
