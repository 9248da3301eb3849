// EnhancedService: OpenCVM runs none of the cloud's agents, so it keeps what RunInstances and ResetInstance asked
// for (with the documented defaults) on the instance, where the operator's view shows it.
import { expect, it } from "vitest";
import { launch, waitFor } from "../helpers/instances.js";
import { admin, cvmClient, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server);
}, { OPENCVM_TIMING: "instant" });

async function agents(id: string): Promise<unknown> {
  const res = await admin(server, `/_opencvm/instances/${id}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { EnhancedService: unknown }).EnhancedService;
}

it("keeps the agents asked for at launch, and the documented defaults for the rest (automation on for public images)", async () => {
  const [asked, defaulted] = await Promise.all([
    launch(cvm, { EnhancedService: { SecurityService: { Enabled: false }, AutomationService: { Enabled: false } } }),
    launch(cvm),
  ]);
  expect(await agents(asked.InstanceIdSet![0])).toEqual({ SecurityService: false, MonitorService: true, AutomationService: false });
  expect(await agents(defaulted.InstanceIdSet![0])).toEqual({ SecurityService: true, MonitorService: true, AutomationService: true });
});

it("gives a reinstalled system the agents ResetInstance asks for, defaults included", async () => {
  const [id] = (await launch(cvm, { EnhancedService: { MonitorService: { Enabled: false } } })).InstanceIdSet!;
  await waitFor(cvm, [id], "RUNNING");
  await cvm.ResetInstance({ InstanceId: id, EnhancedService: { SecurityService: { Enabled: false } } });
  await waitFor(cvm, [id], "RUNNING");
  expect(await agents(id)).toEqual({ SecurityService: false, MonitorService: true, AutomationService: true });
});
