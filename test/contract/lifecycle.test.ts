// Every operation, tried on an instance in every settled state: an allowed call takes the instance where the API
// documentation says it ends, a refused one answers the wrong-state code the action documents and changes nothing.
// The expectations are written here from the documentation (shared/cvm-api/resources.md §4, "Instance states and
// transitions", and each action's error list in shared/spec/cvm/errors.json), not read from the code's own table.
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import { describe, launch, waitFor, waitGone } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

type Settled = "RUNNING" | "STOPPED" | "SHUTDOWN" | "LAUNCH_FAILED";

/** A subnet of another VPC in the instances' zone, for ModifyInstancesVpcAttribute. */
const move = { VpcId: "", SubnetId: "" };

interface Expectation {
  /** The smallest valid request for one instance, which carries the server's key pair `key`. */
  request: (id: string, key: string) => Record<string, unknown>;
  /** Where an allowed call leaves the instance, by the state it starts in ("GONE": out of every listing). */
  ends: Partial<Record<Settled, Settled | "GONE">>;
  /** The states whose `UnsupportedOperation.InstanceState<State>` code the action documents (errors.json). */
  documents: readonly Settled[];
  /** The action documents the generic `InvalidInstanceState` besides the common `UnsupportedOperation`. */
  invalidInstanceState?: boolean;
}

// Pay-as-you-go instances are the ones in RUNNING and STOPPED here; the one in SHUTDOWN is monthly and in the recycle
// bin, from which TerminateInstances destroys it (resources.md: "SHUTDOWN (2nd call for prepaid)").
const ACTIONS: Record<string, Expectation> = {
  StartInstances: { request: (id) => ({ InstanceIds: [id] }), ends: { STOPPED: "RUNNING" }, documents: ["RUNNING", "STOPPED", "SHUTDOWN"] },
  StopInstances: { request: (id) => ({ InstanceIds: [id] }), ends: { RUNNING: "STOPPED" }, documents: ["STOPPED", "SHUTDOWN"] },
  RebootInstances: { request: (id) => ({ InstanceIds: [id] }), ends: { RUNNING: "RUNNING" }, documents: ["STOPPED", "SHUTDOWN"] },
  // "LAUNCH_FAILED is rejected".
  TerminateInstances: { request: (id) => ({ InstanceIds: [id] }), ends: { RUNNING: "GONE", STOPPED: "GONE", SHUTDOWN: "GONE" }, documents: ["LAUNCH_FAILED"] },
  // A running instance is shut down first without ForceStop, and either way the new type comes up running.
  ResetInstancesType: { request: (id) => ({ InstanceIds: [id], InstanceType: "S5.LARGE8" }), ends: { STOPPED: "RUNNING", RUNNING: "RUNNING" }, documents: ["RUNNING", "SHUTDOWN"] },
  ResetInstance: { request: (id) => ({ InstanceId: id }), ends: { RUNNING: "RUNNING", STOPPED: "RUNNING" }, documents: ["SHUTDOWN"] },
  // A running instance needs ForceStop or ResizeOnline, which the request leaves out.
  ResizeInstanceDisks: { request: (id) => ({ InstanceId: id, SystemDisk: { DiskSize: 60 } }), ends: { STOPPED: "STOPPED" }, documents: ["RUNNING", "STOPPED", "SHUTDOWN"] },
  ResetInstancesPassword: { request: (id) => ({ InstanceIds: [id], Password: "Str0ng-Passw0rd" }), ends: { STOPPED: "STOPPED" }, documents: ["RUNNING", "SHUTDOWN"] },
  // A new host name reboots a running instance (REBOOTING → RUNNING); a stopped one has nothing to reboot.
  ModifyInstancesAttribute: { request: (id) => ({ InstanceIds: [id], HostName: "renamed" }), ends: { RUNNING: "RUNNING", STOPPED: "STOPPED" }, documents: ["SHUTDOWN"] },
  CreateImage: { request: (id) => ({ InstanceId: id, ImageName: `image-of-${id}` }), ends: { RUNNING: "RUNNING", STOPPED: "STOPPED" }, documents: [] },
  AssociateInstancesKeyPairs: { request: (id, key) => ({ InstanceIds: [id], KeyIds: [key] }), ends: { STOPPED: "STOPPED" }, documents: ["RUNNING", "SHUTDOWN"] },
  DisassociateInstancesKeyPairs: { request: (id, key) => ({ InstanceIds: [id], KeyIds: [key] }), ends: { STOPPED: "STOPPED" }, documents: ["RUNNING", "SHUTDOWN"] },
  ModifyInstancesVpcAttribute: {
    request: (id) => ({ InstanceIds: [id], VirtualPrivateCloud: move, ForceStop: false }),
    ends: { STOPPED: "STOPPED" },
    documents: ["RUNNING", "SHUTDOWN"],
    invalidInstanceState: true,
  },
};

/** The state word of the error codes: LAUNCH_FAILED → LaunchFailed. */
const word = (state: Settled) => state.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase());

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
async function instanceIn(state: Settled): Promise<{ id: string; on: TestServer }> {
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

const SETTLED: Settled[] = ["RUNNING", "STOPPED", "SHUTDOWN", "LAUNCH_FAILED"];
const cases = SETTLED.flatMap((state) => Object.keys(ACTIONS).map((op) => [state, op] as const));

async function check(state: Settled, op: string): Promise<void> {
  const expected = ACTIONS[op];
  const { id, on } = await instanceIn(state);
  const cvm = cvmClient(on);
  const call = commonClient(on, "2017-03-12").request(op, expected.request(id, keys.get(on)!));
  const ends = expected.ends[state];
  if (ends) {
    await call;
    if (ends === "GONE") return waitGone(cvm, [id]);
    const [after] = await waitFor(cvm, [id], ends);
    expect(after.LatestOperationState).toBe("SUCCESS");
    return;
  }
  const err = await sdkError(call);
  if (expected.documents.includes(state)) expect(err.code).toBe(`UnsupportedOperation.InstanceState${word(state)}`);
  else expect(["UnsupportedOperation", ...(expected.invalidInstanceState ? ["InvalidInstanceState"] : [])]).toContain(err.code);
  const [after] = await describe(cvm, [id]);
  expect(after.InstanceState).toBe(state);
}

group("the documented lifecycle", () => {
  it.each(cases)("in %s, %s is accepted or refused as documented", check);
});
