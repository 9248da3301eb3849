// Kill -9 in the middle of launches, stops, starts and terminations, start again on the same data, and every
// instance reaches the state its last operation promised: none lost, none duplicated, none stuck.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { launch } from "../helpers/instances.js";
import { freePort, kill9, spawnServer } from "../helpers/process.js";
import { cvmClient } from "../helpers/server.js";

const CYCLES = 3;

describe("kill -9 during asynchronous work", () => {
  it(`loses nothing over ${CYCLES} crash cycles`, { timeout: 120_000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), "opencvm-crash-"));
    const port = await freePort();
    /** What each instance's last accepted operation promised: a final state, or gone. */
    const promised = new Map<string, string>();
    let operationsCut = 0;

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const server = await spawnServer(data, port, { OPENCVM_TIMING: "fast" });
      const cvm = cvmClient(server.target);
      await settle(cvm);
      const before = await all(cvm);
      expect(new Map(before.map((i) => [i.InstanceId!, i.InstanceState!]))).toEqual(promised);

      // A mixed workload: new launches, and an operation on every settled instance.
      const launched = (await launch(cvm, { InstanceCount: 6 })).InstanceIdSet!;
      for (const id of launched) promised.set(id, "RUNNING");
      for (const i of before) {
        const id = i.InstanceId!;
        const pick = [...id].reduce((n, c) => n + c.charCodeAt(0), cycle) % 3;
        if (i.InstanceState === "RUNNING" && pick === 0) {
          await cvm.StopInstances({ InstanceIds: [id] });
          promised.set(id, "STOPPED");
        } else if (i.InstanceState === "RUNNING" && pick === 1) {
          await cvm.TerminateInstances({ InstanceIds: [id] });
          promised.delete(id);
        } else if (i.InstanceState === "STOPPED") {
          await cvm.StartInstances({ InstanceIds: [id] });
          promised.set(id, "RUNNING");
        } else if (i.InstanceState === "RUNNING") {
          await cvm.RebootInstances({ InstanceIds: [id] });
        }
      }
      // Die while the work is in flight (fast timing: 0.5-3 s per transition).
      await new Promise((r) => setTimeout(r, 300 + cycle * 200));
      const inFlight = (await all(cvm)).filter((i) => i.LatestOperationState === "OPERATING").length;
      expect(inFlight).toBeGreaterThan(0);
      await kill9(server);
      operationsCut += inFlight;
    }

    const last = await spawnServer(data, port, { OPENCVM_TIMING: "fast" });
    try {
      const cvm = cvmClient(last.target);
      await settle(cvm);
      const after = await all(cvm);
      expect(after.every((i) => i.LatestOperationState === "SUCCESS")).toBe(true);
      expect(new Map(after.map((i) => [i.InstanceId!, i.InstanceState!]))).toEqual(promised);
      expect(new Set(after.map((i) => i.PrivateIpAddresses![0])).size).toBe(after.length);
      expect(operationsCut).toBeGreaterThanOrEqual(CYCLES * 6);
    } finally {
      await kill9(last);
    }
  });
});

type Cvm = ReturnType<typeof cvmClient>;

async function all(cvm: Cvm) {
  const out = await cvm.DescribeInstances({ Limit: 100 });
  return out.InstanceSet!;
}

/** Waits until no instance has an operation in progress. */
async function settle(cvm: Cvm): Promise<void> {
  const until = Date.now() + 30000;
  while ((await all(cvm)).some((i) => i.LatestOperationState === "OPERATING")) {
    if (Date.now() > until) throw new Error("operations did not settle after restart");
    await new Promise((r) => setTimeout(r, 100));
  }
}
