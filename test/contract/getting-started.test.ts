// Tencent's introduction to the CVM API, as a new user follows it: RunInstances → ResetInstancesType (no ForceStop,
// on the running instance) → StopInstances → TerminateInstances, with the state DescribeInstances shows between and
// during the calls. ResetInstancesType's ForceStop is documented as "power off after a normal shutdown fails"; every
// action that stops a running instance to do its work is seen stopping and starting again.
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import { describe, launch, waitFor, waitGone, ZONE } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";
import { SteppedBackend, type Call } from "../helpers/stepped-backend.js";

let server: TestServer;
let stubborn: TestServer;
const backend = new SteppedBackend();
// Every guest of this one ignores a normal shutdown, as a guest without an ACPI handler does.
const stubbornBackend = new SteppedBackend({ shutdown: 1 });
beforeAll(async () => {
  [server, stubborn] = await Promise.all([startServer({}, undefined, backend), startServer({}, undefined, stubbornBackend)]);
});
afterAll(async () => {
  await Promise.all([server.close(), stubborn.close()]);
});

/** The state and latest operation one instance shows now. */
async function seen(cvm: ReturnType<typeof cvmClient>, id: string) {
  const [i] = await describe(cvm, [id]);
  return { state: i?.InstanceState, operation: i?.LatestOperation, operationState: i?.LatestOperationState, type: i?.InstanceType };
}

/**
 * Runs `call` with each of `calls` held in turn, and answers the state the instance showed while each was held.
 * `calls` are the backend calls the step makes, in order.
 */
async function statesDuring(on: SteppedBackend, cvm: ReturnType<typeof cvmClient>, id: string, calls: Call[], call: () => Promise<unknown>) {
  const holds = calls.map((c) => on.hold(c));
  await call();
  const states: (string | undefined)[] = [];
  for (const h of holds) {
    await h.reached;
    states.push((await seen(cvm, id)).state);
    h.release();
  }
  return states;
}

group("the getting-started flow", () => {
  it("RunInstances → ResetInstancesType (no ForceStop) → StopInstances → TerminateInstances", async () => {
    const cvm = cvmClient(server);
    // 1. RunInstances: PENDING while the machine is created, then RUNNING.
    const created = backend.hold("create");
    const [id] = (await launch(cvm, { InstanceName: "first" })).InstanceIdSet!;
    await created.reached;
    expect(await seen(cvm, id)).toMatchObject({ state: "PENDING", operation: "RunInstances", operationState: "OPERATING" });
    created.release();
    expect((await waitFor(cvm, [id], "RUNNING"))[0]).toMatchObject({ InstanceType: "S5.MEDIUM4", LatestOperationState: "SUCCESS" });

    // 2. ResetInstancesType on the running instance, as the introduction does it: shut down, changed, started.
    const during = await statesDuring(backend, cvm, id, ["stop", "reconfigure", "start"], () => cvm.ResetInstancesType({ InstanceIds: [id], InstanceType: "S5.LARGE8" }));
    expect(during).toEqual(["STOPPING", "STOPPED", "STARTING"]);
    const [changed] = await waitFor(cvm, [id], "RUNNING");
    expect(changed).toMatchObject({ InstanceType: "S5.LARGE8", CPU: 4, Memory: 8, LatestOperation: "ResetInstancesType", LatestOperationState: "SUCCESS" });

    // 3. StopInstances: STOPPING, then STOPPED.
    const stopping = await statesDuring(backend, cvm, id, ["stop"], () => cvm.StopInstances({ InstanceIds: [id] }));
    expect(stopping).toEqual(["STOPPING"]);
    expect((await waitFor(cvm, [id], "STOPPED"))[0]).toMatchObject({ LatestOperation: "StopInstances", LatestOperationState: "SUCCESS" });

    // 4. TerminateInstances: TERMINATING, then gone from the listing.
    const terminating = await statesDuring(backend, cvm, id, ["destroy"], () => cvm.TerminateInstances({ InstanceIds: [id] }));
    expect(terminating).toEqual(["TERMINATING"]);
    await waitGone(cvm, [id]);
  });

  it("answers OperationDenied.InstanceOperationInProgress in a state shown while the work runs, as docs/lifecycle.md lists", async () => {
    const cvm = cvmClient(server);
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    const stop = backend.hold("stop");
    await cvm.ResetInstancesType({ InstanceIds: [id], InstanceType: "S5.LARGE8" });
    await stop.reached;
    expect((await seen(cvm, id)).state).toBe("STOPPING");
    for (const call of [() => cvm.StopInstances({ InstanceIds: [id] }), () => cvm.StartInstances({ InstanceIds: [id] }), () => cvm.ResetInstancesType({ InstanceIds: [id], InstanceType: "S5.LARGE16" })]) {
      expect((await sdkError(call())).code).toBe("OperationDenied.InstanceOperationInProgress");
    }
    stop.release();
    await waitFor(cvm, [id], "RUNNING");
  });

  it("changes a stopped instance's type and starts it, seen STOPPED then STARTING", async () => {
    const cvm = cvmClient(server);
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    await cvm.StopInstances({ InstanceIds: [id] });
    await waitFor(cvm, [id], "STOPPED");
    const during = await statesDuring(backend, cvm, id, ["reconfigure", "start"], () => cvm.ResetInstancesType({ InstanceIds: [id], InstanceType: "S5.LARGE8" }));
    expect(during).toEqual(["STOPPED", "STARTING"]);
    expect((await waitFor(cvm, [id], "RUNNING"))[0].InstanceType).toBe("S5.LARGE8");
  });
});

group("a guest that ignores a normal shutdown", () => {
  it("ends ResetInstancesType FAILED without ForceStop, running on its old type", async () => {
    const cvm = cvmClient(stubborn);
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    const during = await statesDuring(stubbornBackend, cvm, id, ["stop"], () => cvm.ResetInstancesType({ InstanceIds: [id], InstanceType: "S5.LARGE8" }));
    expect(during).toEqual(["STOPPING"]);
    const [after] = await waitFor(cvm, [id], "RUNNING");
    expect(after).toMatchObject({ InstanceType: "S5.MEDIUM4", CPU: 2, Memory: 4, LatestOperation: "ResetInstancesType", LatestOperationState: "FAILED" });
  });

  it("is powered off with ForceStop, and the type change goes on", async () => {
    const cvm = cvmClient(stubborn);
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    await cvm.ResetInstancesType({ InstanceIds: [id], InstanceType: "S5.LARGE8", ForceStop: true });
    const [after] = await waitFor(cvm, [id], "RUNNING");
    expect(after).toMatchObject({ InstanceType: "S5.LARGE8", LatestOperation: "ResetInstancesType", LatestOperationState: "SUCCESS" });
  });

  it("is refused a plain StopInstances, which ends FAILED and RUNNING, and stopped by StopType HARD", async () => {
    const cvm = cvmClient(stubborn);
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    await cvm.StopInstances({ InstanceIds: [id] });
    expect((await waitFor(cvm, [id], "RUNNING"))[0].LatestOperationState).toBe("FAILED");
    await cvm.StopInstances({ InstanceIds: [id], StopType: "HARD" });
    expect((await waitFor(cvm, [id], "STOPPED"))[0].LatestOperationState).toBe("SUCCESS");
  });
});

group("actions that stop a running instance to do their work", () => {
  let keyId = "";
  const move = { VpcId: "", SubnetId: "" };
  beforeAll(async () => {
    keyId = (await cvmClient(server).CreateKeyPair({ KeyName: "started", ProjectId: 0 })).KeyPair!.KeyId!;
    const vpc = commonClient(server, "2017-03-12");
    move.VpcId = (await vpc.request("CreateVpc", { VpcName: "move", CidrBlock: "10.70.0.0/16" })).Vpc.VpcId;
    move.SubnetId = (await vpc.request("CreateSubnet", { VpcId: move.VpcId, SubnetName: "move", CidrBlock: "10.70.0.0/20", Zone: ZONE })).Subnet.SubnetId;
  });

  const CASES: [string, Call, (id: string) => Record<string, unknown>][] = [
    ["ResizeInstanceDisks", "resizeDisks", (id) => ({ InstanceId: id, SystemDisk: { DiskSize: 60 }, ForceStop: true })],
    ["ResetInstancesPassword", "setPassword", (id) => ({ InstanceIds: [id], Password: "N3w-Passw0rd", ForceStop: true })],
    ["ResetInstance", "reinstall", (id) => ({ InstanceId: id })],
    ["AssociateInstancesKeyPairs", "setAuthorizedKeys", (id) => ({ InstanceIds: [id], KeyIds: [keyId], ForceStop: true })],
    ["ModifyInstancesVpcAttribute", "stop", (id) => ({ InstanceIds: [id], VirtualPrivateCloud: move })],
  ];

  it.each(CASES)("%s is seen stopping and starting again, and ends RUNNING", async (action, work, request) => {
    const cvm = cvmClient(server);
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    // ModifyInstancesVpcAttribute does nothing to the stopped machine itself: the start shows it was stopped.
    const calls: Call[] = work === "stop" ? ["stop", "start"] : ["stop", work, "start"];
    const during = await statesDuring(backend, cvm, id, calls, () => commonClient(server, "2017-03-12").request(action, request(id)));
    expect(during).toEqual(work === "stop" ? ["STOPPING", "STARTING"] : ["STOPPING", "STOPPED", "STARTING"]);
    expect((await waitFor(cvm, [id], "RUNNING"))[0]).toMatchObject({ LatestOperation: action, LatestOperationState: "SUCCESS" });
  });
});
