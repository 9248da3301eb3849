// Key pairs carried by custom images, through the official SDK: an image captured from an instance keeps its key
// pairs, an instance launched or reinstalled from it with LoginSettings.KeepImageLogin gets them, DeleteKeyPairs
// refuses a carried key until the image is deleted, and copies in other regions and images shared with other
// accounts carry the public keys on their disk but none of the key pairs. Every refusal's code is one the action
// documents.
import { describe as group, expect, it } from "vitest";
import type { Client } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_client.js";
import { serviceSpec } from "../../src/api/spec.js";
import { SimulatedBackend } from "../../src/compute/simulated.js";
import { COMMON_CODES } from "../../src/domain/errors.js";
import { generateKeyPair as generateSecret } from "../../src/keys.js";
import { describe, launch, waitFor, waitGone } from "../helpers/instances.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let cvm: Client;
let other: Client;
let otherUin: string;
const backend = new SimulatedBackend("instant");
serverForFile(async (started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
  const secret = generateSecret();
  otherUin = (await server.store.accounts.create(secret)).uin;
  other = cvmClient(server, { ...secret, language: "en-US" });
}, {}, undefined, backend);

let n = 0;
async function key(): Promise<{ id: string; publicKey: string }> {
  const { KeyPair } = await cvm.CreateKeyPair({ KeyName: `carried_${n++}`, ProjectId: 0 });
  return { id: KeyPair!.KeyId!, publicKey: KeyPair!.PublicKey! };
}

async function running(extra: Parameters<typeof launch>[1] = {}, c: Client = cvm): Promise<string> {
  const [id] = (await launch(c, extra)).InstanceIdSet!;
  await waitFor(c, [id], "RUNNING");
  return id;
}

async function ready(c: Client, imageId: string): Promise<void> {
  const until = Date.now() + 5000;
  while ((await c.DescribeImages({ ImageIds: [imageId] })).ImageSet![0]?.ImageState !== "NORMAL") {
    if (Date.now() > until) throw new Error(`image ${imageId} did not become NORMAL`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A custom image captured from a new instance with these keys, and the instance, terminated so only the image holds them. */
async function imageWith(keys: { id: string }[], name: string): Promise<string> {
  const source = await running({ LoginSettings: { KeyIds: keys.map((k) => k.id) } });
  const { ImageId } = await cvm.CreateImage({ InstanceId: source, ImageName: name });
  await ready(cvm, ImageId!);
  await cvm.TerminateInstances({ InstanceIds: [source] });
  await waitGone(cvm, [source]);
  return ImageId!;
}

const keyIdsOf = async (c: Client, id: string) => (await describe(c, [id]))[0].LoginSettings!.KeyIds;
const keep = { LoginSettings: { KeepImageLogin: "TRUE" } };

/** The refusal's code, checked to be one `action` documents (or a common code). */
async function refused(action: string, call: Promise<unknown>): Promise<string> {
  const { code } = await sdkError(call);
  expect(COMMON_CODES.has(code) || serviceSpec("cvm").actions[action].errors.includes(code), `${action} does not document ${code}`).toBe(true);
  return code;
}

group("CreateImage", () => {
  it("keeps the instance's key pairs, which an instance launched with KeepImageLogin gets, in order", async () => {
    const [a, b] = [await key(), await key()];
    const imageId = await imageWith([b, a], "keeps-keys");
    const [id] = (await launch(cvm, { ImageId: imageId, ...keep })).InstanceIdSet!;
    // Bound from the start, while the instance is still PENDING.
    expect(await keyIdsOf(cvm, id)).toEqual([b.id, a.id]);
    await waitFor(cvm, [id], "RUNNING");
    expect(backend.authorizedKeys(id)).toEqual([b.publicKey, a.publicKey]);
    expect((await cvm.DescribeKeyPairs({ KeyIds: [a.id] })).KeyPairSet![0].AssociatedInstanceIds).toEqual([id]);
  });

  it("gives nothing of the image's login to an instance launched without KeepImageLogin", async () => {
    const imageId = await imageWith([await key()], "no-keep");
    const id = await running({ ImageId: imageId, LoginSettings: { KeepImageLogin: "false" } });
    expect(await keyIdsOf(cvm, id)).toEqual([]);
    expect(backend.authorizedKeys(id)).toEqual([]);
  });

  it("shows nothing of the keys in DescribeImages, which has no field for them", async () => {
    const k = await key();
    const imageId = await imageWith([k], "quiet");
    const [image] = (await cvm.DescribeImages({ ImageIds: [imageId] })).ImageSet!;
    expect(JSON.stringify(image)).not.toContain(k.id);
    expect(JSON.stringify(image)).not.toContain(k.publicKey.split(" ")[1]);
  });

  it("captures an instance without keys as an image that gives none", async () => {
    const imageId = await imageWith([], "keyless");
    const id = await running({ ImageId: imageId, ...keep });
    expect(await keyIdsOf(cvm, id)).toEqual([]);
    expect(backend.authorizedKeys(id)).toEqual([]);
  });
});

group("ResetInstance", () => {
  it("reinstalls from the image with its key pairs under KeepImageLogin, replacing those the instance had", async () => {
    const [carried, own] = [await key(), await key()];
    const imageId = await imageWith([carried], "reinstall-keys");
    const id = await running({ LoginSettings: { KeyIds: [own.id] } });
    await cvm.ResetInstance({ InstanceId: id, ImageId: imageId, ...keep });
    await waitFor(cvm, [id], "RUNNING");
    expect(await keyIdsOf(cvm, id)).toEqual([carried.id]);
    expect(backend.authorizedKeys(id)).toEqual([carried.publicKey]);
  });
});

group("DeleteKeyPairs", () => {
  it("refuses a key pair an image carries, with the documented code, until the image is deleted", async () => {
    const [carried, free] = [await key(), await key()];
    const imageId = await imageWith([carried], "holds-key");
    const err = await sdkError(cvm.DeleteKeyPairs({ KeyIds: [free.id, carried.id] }));
    expect(err.code).toBe("InvalidParameterValue.KeyPairNotSupported");
    expect(serviceSpec("cvm").actions.DeleteKeyPairs.errors).toContain(err.code);
    expect(err.message).toContain(carried.id);
    expect(err.message).toContain(imageId);
    // All or nothing: the free key is still there.
    expect((await cvm.DescribeKeyPairs({ KeyIds: [free.id, carried.id] })).TotalCount).toBe(2);

    await cvm.DeleteImages({ ImageIds: [imageId] });
    await cvm.DeleteKeyPairs({ KeyIds: [free.id, carried.id] });
    const left = (await cvm.DescribeKeyPairs({ Limit: 100 })).KeyPairSet!.map((k) => k.KeyId);
    expect(left).not.toContain(carried.id);
    expect(left).not.toContain(free.id);
  });

  it("refuses while the image is shared, and the owner cannot delete it before cancelling the sharing", async () => {
    const k = await key();
    const imageId = await imageWith([k], "shared-keys");
    await cvm.ModifyImageSharePermission({ ImageId: imageId, AccountIds: [otherUin], Permission: "SHARE" });
    expect(await refused("DeleteKeyPairs", cvm.DeleteKeyPairs({ KeyIds: [k.id] }))).toBe("InvalidParameterValue.KeyPairNotSupported");
    expect(await refused("DeleteImages", cvm.DeleteImages({ ImageIds: [imageId] }))).toBe("InvalidImageId.InShared");
    await cvm.ModifyImageSharePermission({ ImageId: imageId, AccountIds: [otherUin], Permission: "CANCEL" });
    await cvm.DeleteImages({ ImageIds: [imageId] });
    await cvm.DeleteKeyPairs({ KeyIds: [k.id] });
  });
});

group("copies and shares", () => {
  it("a copy in another region has the public keys on its disk but carries none of the key pairs", async () => {
    const k = await key();
    const source = await imageWith([k], "to-copy");
    const { ImageSet } = await cvm.SyncImages({ ImageIds: [source], DestinationRegions: ["ap-shanghai"], ImageSetRequired: true });
    const copy = ImageSet![0].ImageId!;
    const shanghai = cvmClient(server, { region: "ap-shanghai" });
    await ready(shanghai, copy);
    const id = await running({ ImageId: copy, Placement: { Zone: "ap-shanghai-2" }, ...keep }, shanghai);
    expect(await keyIdsOf(shanghai, id)).toEqual([]);
    expect(backend.authorizedKeys(id)).toEqual([k.publicKey]);
    // Only the source image holds the key pair in its region.
    await cvm.DeleteImages({ ImageIds: [source] });
    await cvm.DeleteKeyPairs({ KeyIds: [k.id] });
    expect((await shanghai.DescribeImages({ ImageIds: [copy] })).TotalCount).toBe(1);
  });

  it("an account an image is shared with launches with the keys on the machine, but not the owner's key pairs", async () => {
    const k = await key();
    const imageId = await imageWith([k], "shared-launch");
    await cvm.ModifyImageSharePermission({ ImageId: imageId, AccountIds: [otherUin], Permission: "SHARE" });
    const id = await running({ ImageId: imageId, ...keep }, other);
    expect(await keyIdsOf(other, id)).toEqual([]);
    expect(backend.authorizedKeys(id)).toEqual([k.publicKey]);
    expect((await cvm.DescribeKeyPairs({ KeyIds: [k.id] })).KeyPairSet![0].AssociatedInstanceIds).toEqual([]);
  });
});

group("LoginSettings.KeepImageLogin refusals", () => {
  it.each([
    ["with a password", { KeepImageLogin: "TRUE", Password: "Passw0rd!2024" }, "InvalidParameter.ParameterConflict"],
    ["with key pairs", { KeepImageLogin: "true", KeyIds: ["skey-abcdefgh"] }, "InvalidParameter.ParameterConflict"],
    ["not a boolean", { KeepImageLogin: "yes" }, "InvalidParameterValue"],
  ])("refuses KeepImageLogin %s, in RunInstances and ResetInstance", async (_label, LoginSettings, code) => {
    const imageId = await imageWith([], `refusal-${n++}`);
    expect(await refused("RunInstances", launch(cvm, { ImageId: imageId, LoginSettings }))).toBe(code);
    const id = await running();
    expect(await refused("ResetInstance", cvm.ResetInstance({ InstanceId: id, ImageId: imageId, LoginSettings }))).toBe(code);
  });

  it("refuses KeepImageLogin for a public image, which has no login of its own", async () => {
    const err = await sdkError(launch(cvm, keep));
    expect(err.code).toBe("InvalidParameterValue");
    expect(err.message).toContain("LoginSettings.KeepImageLogin");
  });
});
