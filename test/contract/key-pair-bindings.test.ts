// Key pairs on instances through the official SDK: RunInstances and ResetInstance with LoginSettings.KeyIds,
// AssociateInstancesKeyPairs and DisassociateInstancesKeyPairs (stopped Linux instances, or running ones with
// ForceStop, started again), what DescribeInstances, DescribeKeyPairs and the machine itself show, and
// DeleteKeyPairs refusing a bound key until the instance is gone.
import { describe as group, expect, it } from "vitest";
import type { Client } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_client.js";
import { SimulatedBackend } from "../../src/compute/simulated.js";
import { generateKeyPair as generateSecret } from "../../src/keys.js";
import { describe, launch, waitFor, waitGone } from "../helpers/instances.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const WINDOWS = "img-9qrfy1xt";

/** The instant simulated backend, whose key changes a test can hold until it has looked at the work in flight. */
class HeldBackend extends SimulatedBackend {
  private held: Promise<void> | undefined;
  private release: (() => void) | undefined;

  hold(): void {
    this.held = new Promise((resolve) => (this.release = resolve));
  }

  let(): void {
    this.release?.();
    this.held = undefined;
  }

  override async setAuthorizedKeys(instanceId: string, publicKeys: readonly string[]): Promise<void> {
    await this.held;
    return super.setAuthorizedKeys(instanceId, publicKeys);
  }
}

let server: TestServer;
let cvm: Client;
const backend = new HeldBackend("instant");
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
}, {}, undefined, backend);

let n = 0;
/** A new key pair: its id and public key. */
async function key(c: Client = cvm): Promise<{ id: string; publicKey: string }> {
  const { KeyPair } = await c.CreateKeyPair({ KeyName: `bound_${n++}`, ProjectId: 0 });
  return { id: KeyPair!.KeyId!, publicKey: KeyPair!.PublicKey! };
}

async function running(extra: Parameters<typeof launch>[1] = {}, c: Client = cvm): Promise<string> {
  const [id] = (await launch(c, extra)).InstanceIdSet!;
  await waitFor(c, [id], "RUNNING");
  return id;
}

async function stopped(extra: Parameters<typeof launch>[1] = {}): Promise<string> {
  const id = await running(extra);
  await cvm.StopInstances({ InstanceIds: [id] });
  await waitFor(cvm, [id], "STOPPED");
  return id;
}

const keyIdsOf = async (id: string) => (await describe(cvm, [id]))[0].LoginSettings!.KeyIds;
const boundTo = async (keyId: string) => (await cvm.DescribeKeyPairs({ KeyIds: [keyId] })).KeyPairSet![0].AssociatedInstanceIds;

group("RunInstances with LoginSettings.KeyIds", () => {
  it("binds the keys, in the order given, and boots the machine with them", async () => {
    const [a, b] = [await key(), await key()];
    const ids = (await launch(cvm, { InstanceCount: 2, LoginSettings: { KeyIds: [b.id, a.id] } })).InstanceIdSet!;
    // Bound from the start, while the instances are still PENDING.
    expect((await describe(cvm, ids)).map((i) => i.LoginSettings!.KeyIds)).toEqual([[b.id, a.id], [b.id, a.id]]);
    await waitFor(cvm, ids, "RUNNING");
    for (const id of ids) expect(backend.authorizedKeys(id)).toEqual([b.publicKey, a.publicKey]);
    expect((await boundTo(a.id))!.sort()).toEqual([...ids].sort());
  });

  it("frees the keys when the instance is terminated, after which they can be deleted", async () => {
    const k = await key();
    const id = await running({ LoginSettings: { KeyIds: [k.id] } });
    const err = await sdkError(cvm.DeleteKeyPairs({ KeyIds: [k.id] }));
    expect(err.code).toBe("InvalidParameterValue.KeyPairNotSupported");
    expect(err.message).toContain(id);
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm, [id]);
    expect(await boundTo(k.id)).toEqual([]);
    await cvm.DeleteKeyPairs({ KeyIds: [k.id] });
  });

  it.each([
    ["a Windows image", (k: string) => ({ ImageId: WINDOWS, LoginSettings: { KeyIds: [k] } }), "UnsupportedOperation.KeyPairUnsupportedWindows", "img-9qrfy1xt"],
    ["keys with a password", (k: string) => ({ LoginSettings: { KeyIds: [k], Password: "Str0ng-Passw0rd" } }), "InvalidParameter.ParameterConflict", "LoginSettings.Password"],
    ["keys with the image's login", (k: string) => ({ LoginSettings: { KeyIds: [k], KeepImageLogin: "true" } }), "InvalidParameter.ParameterConflict", "KeepImageLogin"],
    ["a key given twice", (k: string) => ({ LoginSettings: { KeyIds: [k, k] } }), "InvalidParameterValue", "twice"],
    ["an unknown key", () => ({ LoginSettings: { KeyIds: ["skey-00000000"] } }), "InvalidParameterValue.KeyPairNotFound", "skey-00000000"],
    ["a malformed key id", () => ({ LoginSettings: { KeyIds: ["key-1"] } }), "InvalidKeyPairId.Malformed", "key-1"],
  ])("refuses %s with %s naming %s, creating nothing", async (_, extra, code, named) => {
    const k = await key();
    const before = (await cvm.DescribeInstancesStatus({})).TotalCount;
    const err = await sdkError(launch(cvm, extra(k.id) as never));
    expect(err.code).toBe(code);
    expect(err.message).toContain(named);
    expect((await cvm.DescribeInstancesStatus({})).TotalCount).toBe(before);
    expect(await boundTo(k.id)).toEqual([]);
  });

  it("refuses a key of another region", async () => {
    const { KeyPair } = await cvmClient(server, { region: "ap-shanghai" }).CreateKeyPair({ KeyName: "elsewhere", ProjectId: 0 });
    expect((await sdkError(launch(cvm, { LoginSettings: { KeyIds: [KeyPair!.KeyId!] } }))).code).toBe("InvalidParameterValue.KeyPairNotFound");
  });
});

group("ResetInstance with LoginSettings.KeyIds", () => {
  it("reinstalls with the keys given, and without keys clears them", async () => {
    const [old, fresh] = [await key(), await key()];
    const id = await running({ LoginSettings: { KeyIds: [old.id] } });
    await cvm.ResetInstance({ InstanceId: id, LoginSettings: { KeyIds: [fresh.id] } });
    await waitFor(cvm, [id], "RUNNING");
    expect(await keyIdsOf(id)).toEqual([fresh.id]);
    expect(backend.authorizedKeys(id)).toEqual([fresh.publicKey]);
    expect(await boundTo(old.id)).toEqual([]);
    await cvm.ResetInstance({ InstanceId: id, LoginSettings: { Password: "Str0ng-Passw0rd" } });
    await waitFor(cvm, [id], "RUNNING");
    expect(await keyIdsOf(id)).toEqual([]);
    expect(backend.authorizedKeys(id)).toEqual([]);
  });

  it("refuses keys for a Windows image, and keys with a password", async () => {
    const k = await key();
    const id = await running();
    expect((await sdkError(cvm.ResetInstance({ InstanceId: id, ImageId: WINDOWS, LoginSettings: { KeyIds: [k.id] } }))).code).toBe("UnsupportedOperation.KeyPairUnsupportedWindows");
    expect((await sdkError(cvm.ResetInstance({ InstanceId: id, LoginSettings: { KeyIds: [k.id], Password: "Str0ng-Passw0rd" } }))).code).toBe("InvalidParameter.ParameterConflict");
    expect((await sdkError(cvm.ResetInstance({ InstanceId: id, LoginSettings: { KeyIds: ["skey-00000000"] } }))).code).toBe("InvalidParameterValue.KeyPairNotFound");
    expect((await describe(cvm, [id]))[0]).toMatchObject({ LatestOperation: "RunInstances", LoginSettings: { KeyIds: [] } });
  });
});

group("AssociateInstancesKeyPairs", () => {
  it("binds keys to a stopped instance through the engine, which stays stopped; the keys replace those it had", async () => {
    const [a, b, c] = [await key(), await key(), await key()];
    const id = await stopped({ LoginSettings: { KeyIds: [a.id] } });
    const req = await cvm.AssociateInstancesKeyPairs({ InstanceIds: [id], KeyIds: [b.id, c.id] });
    const [after] = await waitFor(cvm, [id], "STOPPED");
    expect(after).toMatchObject({ LatestOperation: "AssociateInstancesKeyPairs", LatestOperationState: "SUCCESS", LatestOperationRequestId: req.RequestId });
    expect(after.LoginSettings!.KeyIds).toEqual([b.id, c.id]);
    expect(backend.authorizedKeys(id)).toEqual([b.publicKey, c.publicKey]);
    expect(await boundTo(a.id)).toEqual([]);
    expect(await boundTo(b.id)).toEqual([id]);
    expect((await backend.list()).get(id)).toBe("stopped");
  });

  it("needs ForceStop for a running instance, which runs again afterwards", async () => {
    const k = await key();
    const id = await running();
    expect((await sdkError(cvm.AssociateInstancesKeyPairs({ InstanceIds: [id], KeyIds: [k.id] }))).code).toBe("UnsupportedOperation.InstanceStateRunning");
    await cvm.AssociateInstancesKeyPairs({ InstanceIds: [id], KeyIds: [k.id], ForceStop: true });
    const [after] = await waitFor(cvm, [id], "RUNNING");
    expect(after).toMatchObject({ LatestOperation: "AssociateInstancesKeyPairs", LatestOperationState: "SUCCESS", LoginSettings: { KeyIds: [k.id] } });
    expect((await backend.list()).get(id)).toBe("running");
    expect(backend.authorizedKeys(id)).toEqual([k.publicKey]);
  });

  it("binds a batch of instances in one call", async () => {
    const k = await key();
    const ids = [await stopped(), await stopped()];
    await cvm.AssociateInstancesKeyPairs({ InstanceIds: ids, KeyIds: [k.id] });
    await waitFor(cvm, ids, "STOPPED");
    expect((await boundTo(k.id))!.sort()).toEqual([...ids].sort());
  });

  it("refuses a Windows instance, and changes none in the batch", async () => {
    const k = await key();
    const linux = await stopped();
    const windows = await stopped({ ImageId: WINDOWS });
    const err = await sdkError(cvm.AssociateInstancesKeyPairs({ InstanceIds: [linux, windows], KeyIds: [k.id] }));
    expect(err.code).toBe("UnsupportedOperation.InstanceOsWindows");
    expect(err.message).toContain(windows);
    expect((await describe(cvm, [linux]))[0]).toMatchObject({ LatestOperation: "StopInstances", LoginSettings: { KeyIds: [] } });
  });

  it.each([
    ["an unknown key", (i: string) => ({ InstanceIds: [i], KeyIds: ["skey-00000000"] }), "InvalidKeyPairId.NotFound"],
    ["a malformed key id", (i: string) => ({ InstanceIds: [i], KeyIds: ["skey-0"] }), "InvalidKeyPairId.Malformed"],
    ["an unknown instance", (_: string, k: string) => ({ InstanceIds: ["ins-00000000"], KeyIds: [k] }), "InvalidInstanceId.NotFound"],
    ["a malformed instance id", (_: string, k: string) => ({ InstanceIds: ["i-1"], KeyIds: [k] }), "InvalidParameterValue.InstanceIdMalformed"],
    ["101 keys", (i: string, k: string) => ({ InstanceIds: [i], KeyIds: Array.from({ length: 101 }, (_, j) => (j ? `skey-${String(j).padStart(8, "0")}` : k)) }), "InvalidParameterValue.LimitExceeded"],
  ])("refuses %s with %s", async (_, req, code) => {
    const k = await key();
    const id = await stopped();
    expect((await sdkError(cvm.AssociateInstancesKeyPairs(req(id, k.id)))).code).toBe(code);
    expect(await keyIdsOf(id)).toEqual([]);
  });
});

group("while a key change runs", () => {
  it("the instance shows the operation, refuses others, and the keys it binds cannot be deleted", async () => {
    const [a, b] = [await key(), await key()];
    const id = await stopped();
    backend.hold();
    try {
      const req = await cvm.AssociateInstancesKeyPairs({ InstanceIds: [id], KeyIds: [a.id] });
      // The keys are the instance's once the machine has them.
      expect((await describe(cvm, [id]))[0]).toMatchObject({ LatestOperationState: "OPERATING", LatestOperationRequestId: req.RequestId, LoginSettings: { KeyIds: [] } });
      expect((await sdkError(cvm.AssociateInstancesKeyPairs({ InstanceIds: [id], KeyIds: [b.id] }))).code).toBe("OperationDenied.InstanceOperationInProgress");
      const err = await sdkError(cvm.DeleteKeyPairs({ KeyIds: [b.id, a.id] }));
      expect([err.code, err.message]).toEqual(["InvalidParameterValue.KeyPairNotSupported", expect.stringContaining(id)]);
      expect((await cvm.DescribeKeyPairs({ KeyIds: [a.id, b.id] })).TotalCount).toBe(2);
    } finally {
      backend.let();
    }
    expect((await waitFor(cvm, [id], "STOPPED"))[0].LoginSettings!.KeyIds).toEqual([a.id]);
  });

  it("a failed change leaves the keys as they were", async () => {
    const s = await startServer({ OPENCVM_TIMING: "instant", OPENCVM_FAULTS: "modify=1" });
    try {
      const c = cvmClient(s);
      const [a, b] = [await key(c), await key(c)];
      const [id] = (await launch(c, { LoginSettings: { KeyIds: [a.id] } })).InstanceIdSet!;
      await waitFor(c, [id], "RUNNING");
      await c.AssociateInstancesKeyPairs({ InstanceIds: [id], KeyIds: [b.id], ForceStop: true });
      const [after] = await waitFor(c, [id], "RUNNING");
      expect(after).toMatchObject({ LatestOperation: "AssociateInstancesKeyPairs", LatestOperationState: "FAILED", LoginSettings: { KeyIds: [a.id] } });
      expect(after.LatestOperationErrorMsg).toContain("modify");
    } finally {
      await s.close();
    }
  });
});

group("DisassociateInstancesKeyPairs", () => {
  it("unbinds some of an instance's keys and keeps the others on the machine", async () => {
    const [a, b] = [await key(), await key()];
    const id = await stopped({ LoginSettings: { KeyIds: [a.id, b.id] } });
    await cvm.DisassociateInstancesKeyPairs({ InstanceIds: [id], KeyIds: [a.id] });
    const [after] = await waitFor(cvm, [id], "STOPPED");
    expect(after).toMatchObject({ LatestOperation: "DisassociateInstancesKeyPairs", LatestOperationState: "SUCCESS", LoginSettings: { KeyIds: [b.id] } });
    expect(backend.authorizedKeys(id)).toEqual([b.publicKey]);
    // Unbound, the key can go.
    await cvm.DeleteKeyPairs({ KeyIds: [a.id] });
    expect((await sdkError(cvm.DeleteKeyPairs({ KeyIds: [b.id] }))).code).toBe("InvalidParameterValue.KeyPairNotSupported");
  });

  it("needs ForceStop for a running instance, which runs again with no key left", async () => {
    const k = await key();
    const id = await running({ LoginSettings: { KeyIds: [k.id] } });
    expect((await sdkError(cvm.DisassociateInstancesKeyPairs({ InstanceIds: [id], KeyIds: [k.id] }))).code).toBe("UnsupportedOperation.InstanceStateRunning");
    await cvm.DisassociateInstancesKeyPairs({ InstanceIds: [id], KeyIds: [k.id], ForceStop: true });
    expect((await waitFor(cvm, [id], "RUNNING"))[0].LoginSettings!.KeyIds).toEqual([]);
    expect(backend.authorizedKeys(id)).toEqual([]);
    expect((await backend.list()).get(id)).toBe("running");
  });

  it("refuses a key the instance does not have, and a Windows instance", async () => {
    const [a, b] = [await key(), await key()];
    const id = await stopped({ LoginSettings: { KeyIds: [a.id] } });
    const err = await sdkError(cvm.DisassociateInstancesKeyPairs({ InstanceIds: [id], KeyIds: [a.id, b.id] }));
    expect([err.code, err.message]).toEqual(["InvalidParameterValue", expect.stringContaining(b.id)]);
    expect(await keyIdsOf(id)).toEqual([a.id]);
    const windows = await stopped({ ImageId: WINDOWS });
    expect((await sdkError(cvm.DisassociateInstancesKeyPairs({ InstanceIds: [windows], KeyIds: [a.id] }))).code).toBe("UnsupportedOperation.InstanceOsWindows");
  });
});

group("another account", () => {
  it("cannot bind, unbind or launch with the key pairs, nor bind them to the owner's instances", async () => {
    const secret = generateSecret();
    await server.store.accounts.create(secret);
    const other = cvmClient(server, { ...secret, language: "en-US" });
    const mine = await key();
    const myInstance = await stopped({ LoginSettings: { KeyIds: [mine.id] } });
    const theirs = await key(other);
    const theirInstance = (await launch(other)).InstanceIdSet![0];
    await waitFor(other, [theirInstance], "RUNNING");
    await other.StopInstances({ InstanceIds: [theirInstance] });
    await waitFor(other, [theirInstance], "STOPPED");

    expect((await sdkError(launch(other, { LoginSettings: { KeyIds: [mine.id] } }))).code).toBe("InvalidParameterValue.KeyPairNotFound");
    expect((await sdkError(other.AssociateInstancesKeyPairs({ InstanceIds: [theirInstance], KeyIds: [mine.id] }))).code).toBe("InvalidKeyPairId.NotFound");
    expect((await sdkError(other.AssociateInstancesKeyPairs({ InstanceIds: [myInstance], KeyIds: [theirs.id] }))).code).toBe("InvalidInstanceId.NotFound");
    expect((await sdkError(other.DisassociateInstancesKeyPairs({ InstanceIds: [theirInstance], KeyIds: [mine.id] }))).code).toBe("InvalidKeyPairId.NotFound");
    expect((await sdkError(cvm.AssociateInstancesKeyPairs({ InstanceIds: [myInstance], KeyIds: [theirs.id] }))).code).toBe("InvalidKeyPairId.NotFound");
    expect(await keyIdsOf(myInstance)).toEqual([mine.id]);
    expect((await other.DescribeKeyPairs({ KeyIds: [theirs.id] })).KeyPairSet![0].AssociatedInstanceIds).toEqual([]);
  });
});
