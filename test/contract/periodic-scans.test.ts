// The periodic scans read what can have changed or is due, not the whole cloud (issue #15's promise): on a store of
// 20,000 running instances a reconciliation round reads no instance while the machines hold still and one when one
// machine dies, and the statements the scans make (reconciliation's, billing's disk terms') search an index.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seed } from "../../bench/seed.js";
import { SimulatedBackend } from "../../src/compute/simulated.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { start, type Running } from "../../src/main.js";
import { database } from "../trust/invariants.js";

const COUNT = 20_000;
let data: string;
let running: Running;
let ids: string[];
const backend = new SimulatedBackend("instant");

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), "opencvm-scans-"));
  ids = await seed(data, COUNT);
  running = await start(loadConfig({ OPENCVM_PORT: "0", OPENCVM_DATA: data }, []), { backend, log: createLogger("silent") });
}, 300_000);
afterAll(async () => {
  await running?.close();
  rmSync(data, { recursive: true, force: true });
});

/** Counts the instance rows the store hands out while `fn` runs, through the reads reconciliation could make. */
async function rowsRead(fn: () => Promise<unknown>): Promise<number> {
  const repo = running.store.instances;
  const reads = ["inStates", "powerOf", "getMany", "find"] as const;
  const saved = reads.map((name) => [name, repo[name]] as const);
  let rows = 0;
  for (const [name, original] of saved) {
    (repo as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const out = await (original as (...a: unknown[]) => Promise<unknown[]>).apply(repo, args);
      rows += out.length;
      return out;
    };
  }
  try {
    await fn();
  } finally {
    for (const [name, original] of saved) (repo as unknown as Record<string, unknown>)[name] = original;
  }
  return rows;
}

const plan = async (query: string) => ((await sql.raw(`EXPLAIN QUERY PLAN ${query}`).execute(database(running.store))).rows as { detail: string }[]).map((r) => r.detail).join("; ");

describe(`periodic scans on ${COUNT.toLocaleString("en")} instances`, () => {
  it("reconciliation reads no instance while the machines hold still, and the one whose machine died", async () => {
    expect((await backend.list()).size).toBe(COUNT);
    expect(await rowsRead(() => running.engine.reconcile())).toBe(0);
    backend.crash(ids[123]);
    let repaired = 0;
    expect(await rowsRead(async () => (repaired = await running.engine.reconcile()))).toBe(1);
    expect(repaired).toBe(1);
    expect((await running.store.instances.get(ids[123]))!.state).toBe("STOPPED");
    expect(await rowsRead(() => running.engine.reconcile())).toBe(0);
  });

  it("searches indexes: instances by key and failed launches by state and age; disks of their own by when they fall due", async () => {
    expect(await plan("SELECT instance_id, state FROM instances WHERE instance_id IN ('ins-1', 'ins-2')")).toMatch(/SEARCH instances USING INDEX sqlite_autoindex_instances_\d \(instance_id=\?\)/);
    expect(await plan("SELECT instance_id FROM instances WHERE state = 'LAUNCH_FAILED' AND created_at < '2026'")).toMatch(/SEARCH instances USING (COVERING )?INDEX instances_launch_failed \(created_at<\?\)/);
    expect(await plan("SELECT * FROM disks WHERE due_at <= 1 ORDER BY due_at")).toMatch(/SEARCH disks USING INDEX disks_due \(due_at<\?\)/);
    expect(await plan("SELECT due_at FROM disks WHERE due_at > 1 ORDER BY due_at LIMIT 1")).toMatch(/SEARCH disks USING (COVERING )?INDEX disks_due \(due_at>\?\)/);
  });
});
