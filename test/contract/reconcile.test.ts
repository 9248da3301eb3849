// The reconciler: a machine that dies behind the API's back is shown STOPPED, and can be started again.
import { describe as group, expect, it } from "vitest";
import { SimulatedBackend } from "../../src/compute/simulated.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { start } from "../../src/main.js";
import { describe, launch, waitFor } from "../helpers/instances.js";
import { cvmClient, SECRET_ID, SECRET_KEY, type TestServer } from "../helpers/server.js";

group("reconciling store and backend", () => {
  it("shows a crashed machine as STOPPED and starts it again", async () => {
    const backend = new SimulatedBackend("instant");
    const config = loadConfig({ OPENCVM_PORT: "0", OPENCVM_DATA: ":memory:", OPENCVM_SECRET_ID: SECRET_ID, OPENCVM_SECRET_KEY: SECRET_KEY }, []);
    const logs: string[] = [];
    const running = await start(config, { backend, log: createLogger("info", (l) => logs.push(l)) });
    try {
      const cvm = cvmClient({ ...running, endpoint: `127.0.0.1:${running.port}` } as TestServer);
      const ids = (await launch(cvm, { InstanceCount: 2 })).InstanceIdSet!;
      await waitFor(cvm, ids, "RUNNING");
      expect(await running.engine.reconcile()).toBe(0);

      backend.crash(ids[0]);
      expect(await running.engine.reconcile()).toBe(1);
      const states = new Map((await describe(cvm, ids)).map((i) => [i.InstanceId, i.InstanceState]));
      expect(states).toEqual(new Map([[ids[0], "STOPPED"], [ids[1], "RUNNING"]]));
      expect(logs.find((l) => l.includes("repaired"))).toContain(ids[0]);

      await cvm.StartInstances({ InstanceIds: [ids[0]] });
      await waitFor(cvm, ids, "RUNNING");
      expect(await running.engine.reconcile()).toBe(0);
    } finally {
      await running.close();
    }
  });
});
