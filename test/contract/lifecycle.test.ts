// Every operation, tried on an instance in every settled state: accepted where the lifecycle table says so, else
// refused with the code docs/lifecycle.md lists, and nothing changed.
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import { serviceSpec } from "../../src/api/spec.js";
import { LIFECYCLE, refusal, type InstanceState, type OperationKind } from "../../src/domain/lifecycle.js";
import { describe, launch, waitFor } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

/** A subnet of another VPC in the instances' zone, for ModifyInstancesVpcAttribute. */
const move = { VpcId: "", SubnetId: "" };

/** The smallest valid request of each operation for one instance, which carries the server's key pair `key`. */
const REQUESTS: Record<Exclude<OperationKind, "RunInstances" | "RecycleInstances">, (id: string, key: string) => Record<string, unknown>> = {
  StartInstances: (id) => ({ InstanceIds: [id] }),
  StopInstances: (id) => ({ InstanceIds: [id] }),
  RebootInstances: (id) => ({ InstanceIds: [id] }),
  TerminateInstances: (id) => ({ InstanceIds: [id] }),
  ResetInstancesType: (id) => ({ InstanceIds: [id], InstanceType: "S5.LARGE8" }),
  ResetInstance: (id) => ({ InstanceId: id }),
  ResizeInstanceDisks: (id) => ({ InstanceId: id, SystemDisk: { DiskSize: 60 } }),
  ResetInstancesPassword: (id) => ({ InstanceIds: [id], Password: "Str0ng-Passw0rd" }),
  ModifyInstancesAttribute: (id) => ({ InstanceIds: [id], HostName: "renamed" }),
  CreateImage: (id) => ({ InstanceId: id, ImageName: `image-of-${id}` }),
  AssociateInstancesKeyPairs: (id, key) => ({ InstanceIds: [id], KeyIds: [key] }),
  DisassociateInstancesKeyPairs: (id, key) => ({ InstanceIds: [id], KeyIds: [key] }),
  ModifyInstancesVpcAttribute: (id) => ({ InstanceIds: [id], VirtualPrivateCloud: move, ForceStop: false }),
};

let server: TestServer;
let faulty: TestServer;
const keys = new Map<TestServer, string>();
beforeAll(async () => {
  [server, faulty] = await Promise.all([startServer({ OPENCVM_TIMING: "instant" }), startServer({ OPENCVM_TIMING: "instant", OPENCVM_FAULTS: "launch=1" })]);
  for (const s of [server, faulty]) keys.set(s, (await cvmClient(s).CreateKeyPair({ KeyName: "lifecycle", ProjectId: 0 })).KeyPair!.KeyId!);
  const vpc = commonClient(server, "2017-03-12");
  move.VpcId = (await vpc.request("CreateVpc", { VpcName: "move", CidrBlock: "10.60.0.0/16" })).Vpc.VpcId;
  move.SubnetId = (await vpc.request("CreateSubnet", { VpcId: move.VpcId, SubnetName: "move", CidrBlock: "10.60.0.0/20", Zone: "ap-guangzhou-3" })).Subnet.SubnetId;
});
afterAll(async () => {
  await Promise.all([server.close(), faulty.close()]);
});

/** A fresh instance in `state`, on the server that can produce it. */
async function instanceIn(state: InstanceState): Promise<{ id: string; on: TestServer }> {
  const on = state === "LAUNCH_FAILED" ? faulty : server;
  const cvm = cvmClient(on);
  const prepaid = state === "SHUTDOWN" ? { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } } : {};
  const [id] = (await launch(cvm, { ...prepaid, LoginSettings: { KeyIds: [keys.get(on)!] } })).InstanceIdSet!;
  await waitFor(cvm, [id], state === "LAUNCH_FAILED" ? "LAUNCH_FAILED" : "RUNNING");
  if (state === "STOPPED") await cvm.StopInstances({ InstanceIds: [id] });
  if (state === "SHUTDOWN") await cvm.TerminateInstances({ InstanceIds: [id] });
  await waitFor(cvm, [id], state);
  return { id, on };
}

const SETTLED: InstanceState[] = ["RUNNING", "STOPPED", "SHUTDOWN", "LAUNCH_FAILED"];
const cases = SETTLED.flatMap((state) => (Object.keys(REQUESTS) as (keyof typeof REQUESTS)[]).map((op) => [state, op] as const));

group("the lifecycle table", () => {
  it.each(cases)("in %s, %s is accepted or refused as the table says", async (state, op) => {
    const { id, on } = await instanceIn(state);
    const call = commonClient(on, "2017-03-12").request(op, REQUESTS[op](id, keys.get(on)!));
    const allowed = LIFECYCLE[op].from.includes(state) || (op === "ModifyInstancesAttribute" && state === "STOPPED");
    if (allowed) {
      await call;
      return;
    }
    const err = await sdkError(call);
    expect(err.code).toBe(refusal(state, serviceSpec("cvm").actions[op].errors));
    const [after] = await describe(cvmClient(on), [id]);
    expect(after.InstanceState).toBe(state);
  });
});
