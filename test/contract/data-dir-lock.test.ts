// One server per data directory: a second one on it would release the first's leases, re-run its work and bill the
// same clock twice. It exits at once, naming the first, and touches nothing of it.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { LOCK_FILE } from "../../src/data-dir.js";
import { DB_FILE } from "../../src/store/dialect.js";
import { launch, waitFor } from "../helpers/instances.js";
import { freePort, kill9, spawnServer } from "../helpers/process.js";
import { cvmClient, startServer } from "../helpers/server.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const fresh = () => mkdtempSync(join(tmpdir(), "opencvm-lock-"));

/** The CLI as a process of its own (not spawnSync: the first server's clients must keep running meanwhile). */
function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { cwd: ROOT, env: { ...process.env, OPENCVM_SECRET_ID: "", OPENCVM_SECRET_KEY: "" } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
}

function operations(data: string): { operation_id: string; lease_until: number; attempts: number; status: string }[] {
  const db = new SQLite(join(data, DB_FILE), { readonly: true });
  try {
    return db.prepare("SELECT operation_id, lease_until, attempts, status FROM operations ORDER BY operation_id").all() as never;
  } finally {
    db.close();
  }
}

describe("the data directory lock", () => {
  it("a second server process exits at once with code 2 and one line naming the first; the first keeps serving, untouched", { timeout: 120_000 }, async () => {
    const data = fresh();
    const port = await freePort();
    // Launches take 15-30 s: their operations are in flight, under the first server's lease, while the second tries.
    const first = await spawnServer(data, port, { OPENCVM_TIMING: "realistic" });
    try {
      const cvm = cvmClient(first.target);
      const ids = (await launch(cvm, { InstanceCount: 2 })).InstanceIdSet!;
      await new Promise((r) => setTimeout(r, 500));
      const lock = readFileSync(join(data, LOCK_FILE), "utf8");
      expect(JSON.parse(lock)).toEqual({ pid: first.child.pid, port });
      const before = operations(data);
      expect(before.length).toBe(2);
      expect(before.every((o) => o.lease_until > Date.now())).toBe(true);

      const other = await freePort();
      const second = await run(["serve", "--data", data, "--port", String(other)]);
      expect(second.status).toBe(2);
      expect(second.stdout).toBe("");
      expect(second.stderr.trim().split("\n")).toEqual([`opencvm: ${data} is in use by the OpenCVM server with pid ${first.child.pid} on port ${port}; stop it first (or remove ${join(data, LOCK_FILE)} if that process is not OpenCVM).`]);

      // Nothing of the first was touched: its lock, its leases, and its work goes on to the end.
      expect(readFileSync(join(data, LOCK_FILE), "utf8")).toBe(lock);
      expect(operations(data)).toEqual(before);
      expect((await waitFor(cvm, ids, "RUNNING", 60_000)).length).toBe(2);
      expect(operations(data).every((o) => o.attempts === 1)).toBe(true);
    } finally {
      await kill9(first);
    }
  });

  it("refuses a second server in the same process, and a crashed server's lock (a dead pid) is taken over", async () => {
    const data = fresh();
    const first = await startServer({ OPENCVM_DATA: data });
    try {
      await expect(startServer({ OPENCVM_DATA: data })).rejects.toThrow(`is in use by the OpenCVM server with pid ${process.pid} on port ${first.port}`);
      expect((await cvmClient(first).DescribeZones()).TotalCount).toBeGreaterThan(0);
    } finally {
      await first.close();
    }
    // What a kill -9 leaves: the lock of a process that is gone.
    const gone = spawn(process.execPath, ["-e", ""]);
    await new Promise((r) => gone.once("exit", r));
    writeFileSync(join(data, LOCK_FILE), JSON.stringify({ pid: gone.pid, port: 1 }));
    const next = await startServer({ OPENCVM_DATA: data });
    expect(JSON.parse(readFileSync(join(data, LOCK_FILE), "utf8"))).toEqual({ pid: process.pid, port: next.port });
    await next.close();
  });
});
