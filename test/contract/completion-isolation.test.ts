// The engine writes the completions that finish together in one transaction. When one of them cannot be written (a
// fault of its own, not of the disk), the others must not be held back with it under a ten-minute lease and retried
// forever: they are written one by one, and the bad one ends FAILED with its error logged.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MachineSpec } from "../../src/compute/backend.js";
import { SimulatedBackend } from "../../src/compute/simulated.js";
import { COMPLETION_TRIES, MAX_CLAIMS } from "../../src/engine/runner.js";
import { DB_FILE } from "../../src/store/dialect.js";
import type { Store } from "../../src/store/store.js";
import { describe as describeInstances, launch } from "../helpers/instances.js";
import { cvmClient, startServer, type TestServer } from "../helpers/server.js";

/** Instant machines whose launches wait for `release()`, so that they all finish in the same moment (one batch). */
class HeldBackend extends SimulatedBackend {
  /** Launches waiting at the gate. */
  held = 0;
  private open = () => {};
  private readonly gate = new Promise<void>((r) => (this.open = r));

  constructor() {
    super("instant");
  }

  release(): void {
    this.open();
  }

  /** The machine is made first: what waits is only the answer, so every launch finishes in the same turn. */
  override async create(spec: MachineSpec): Promise<void> {
    await super.create(spec);
    this.held++;
    await this.gate;
  }
}

/**
 * The real store, but the completion of `bad`'s success throws inside the engine's transaction, as a completion with
 * a fault of its own does. Its failure can still be written.
 */
function poison(store: Store, bad: () => string | undefined): void {
  const real = store.transaction.bind(store);
  store.transaction = <T>(fn: (tx: Store) => Promise<T>) =>
    real((tx) => {
      const instances = Object.create(tx.instances) as Store["instances"];
      instances.update = (id, patch, expected) => (id === bad() && patch.latestOperationState === "SUCCESS" ? Promise.reject(new Error("a completion with a fault of its own")) : tx.instances.update(id, patch, expected));
      return fn(Object.assign(Object.create(tx) as Store, { instances }));
    });
}

let server: TestServer;
const backend = new HeldBackend();
beforeAll(async () => {
  server = await startServer({}, undefined, backend);
});
afterAll(async () => {
  backend.release();
  await server.close();
});

describe("a completion that throws", () => {
  it("ends its own operation FAILED while the 100 others of its batch complete", { timeout: 60_000 }, async () => {
    const cvm = cvmClient(server, { language: "en-US" });
    const good = (await launch(cvm, { InstanceCount: 100 })).InstanceIdSet!;
    const [bad] = (await launch(cvm, { InstanceCount: 1 })).InstanceIdSet!;
    poison(server.store, () => bad);
    // Every launch is under way, held: released together, they finish together.
    for (const until = Date.now() + 20_000; backend.held < 101; await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() > until) throw new Error(`only ${backend.held} launches under way`);
    }
    backend.release();
    await server.engine.idle();

    const ok = await describeInstances(cvm, good);
    expect(ok.map((i) => [i.InstanceState, i.LatestOperationState])).toEqual(good.map(() => ["RUNNING", "SUCCESS"]));
    const [failed] = await describeInstances(cvm, [bad]);
    expect(failed).toMatchObject({ InstanceState: "LAUNCH_FAILED", LatestOperationState: "FAILED" });
    expect(await server.store.operations.pendingCount()).toBe(0);

    // They shared one transaction, were written one by one, and the bad one's error is in the log.
    const together = server.logs.find((l) => l.includes('msg="operations not completed together, writing them one by one"'));
    expect(together).toContain("count=101");
    const logged = server.logs.filter((l) => l.includes('msg="operation failed: its completion cannot be written"'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`instance=${bad}`);
    expect(logged[0]).toContain(`tries=${COMPLETION_TRIES}`);
    expect(logged[0]).toContain("a completion with a fault of its own");
  });
});

describe("an operation claimed again and again", () => {
  it(`ends FAILED without running its step once it has been claimed more than ${MAX_CLAIMS} times`, async () => {
    const data = mkdtempSync(join(tmpdir(), "opencvm-claims-"));
    // A launch left under way (a realistic one takes 15-30 s), as a server that dies during its step each time leaves it.
    const first = await startServer({ OPENCVM_DATA: data, OPENCVM_TIMING: "realistic" });
    const [id] = (await launch(cvmClient(first), { InstanceCount: 1 })).InstanceIdSet!;
    await first.close();
    const db = new SQLite(join(data, DB_FILE));
    db.prepare("UPDATE operations SET attempts = ? WHERE instance_id = ?").run(MAX_CLAIMS, id);
    db.close();

    const second = await startServer({ OPENCVM_DATA: data, OPENCVM_TIMING: "instant" });
    try {
      await second.engine.idle();
      const [instance] = await describeInstances(cvmClient(second), [id]);
      // The step would have succeeded at once: it was not run.
      expect(instance).toMatchObject({ InstanceState: "LAUNCH_FAILED", LatestOperationState: "FAILED" });
      expect(second.logs.some((l) => l.includes('msg="operation abandoned"') && l.includes(`instance=${id}`) && l.includes(`attempts=${MAX_CLAIMS + 1}`))).toBe(true);
    } finally {
      await second.close();
    }
  });
});
