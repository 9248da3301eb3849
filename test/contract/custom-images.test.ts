// Custom images through the official SDK: captured from instances, renamed, shared with another account and
// withdrawn, deleted; every refusal with its documented code.
import { describe as group, expect, it } from "vitest";
import { generateKeyPair } from "../../src/keys.js";
import { describe, launch, waitFor } from "../helpers/instances.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
let other: ReturnType<typeof cvmClient>;
let otherUin: string;
serverForFile(async (started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
  const key = generateKeyPair();
  otherUin = (await server.store.accounts.create(key)).uin;
  other = cvmClient(server, { ...key, language: "en-US" });
}, { OPENCVM_TIMING: "instant" });

async function image(id: string) {
  return (await cvm.DescribeImages({ ImageIds: [id] })).ImageSet![0];
}

async function waitImage(id: string, state: string) {
  const until = Date.now() + 5000;
  for (let i = await image(id); ; i = await image(id)) {
    if (i?.ImageState === state) return i;
    if (Date.now() > until) throw new Error(`image ${id} did not reach ${state}: ${i?.ImageState}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function running(extra = {}) {
  const ids = (await launch(cvm, extra)).InstanceIdSet!;
  await waitFor(cvm, ids, "RUNNING");
  return ids[0];
}

group("CreateImage", () => {
  it("captures an instance as a private image, CREATING then NORMAL, through the engine", async () => {
    const instanceId = await running({ DataDisks: [{ DiskSize: 100 }] });
    const [disk] = (await describe(cvm, [instanceId]))[0].DataDisks!;
    const { ImageId, RequestId } = await cvm.CreateImage({ InstanceId: instanceId, ImageName: "web-base", ImageDescription: "the web tier", DataDiskIds: [disk.DiskId!] });
    expect(ImageId).toMatch(/^img-[a-z0-9]{8}$/);
    expect((await describe(cvm, [instanceId]))[0]).toMatchObject({ LatestOperation: "CreateImage", LatestOperationRequestId: RequestId });
    const ready = await waitImage(ImageId!, "NORMAL");
    expect(ready).toMatchObject({ ImageType: "PRIVATE_IMAGE", ImageName: "web-base", ImageDescription: "the web tier", OsName: "Ubuntu Server 22.04 LTS 64bit", Platform: "Ubuntu", ImageSource: "CREATE_IMAGE" });
    expect((await waitFor(cvm, [instanceId], "RUNNING"))[0].LatestOperationState).toBe("SUCCESS");
    const mine = await cvm.DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }] });
    expect(mine.ImageSet!.map((i) => i.ImageId)).toContain(ImageId);
  });

  it("stops a running instance for the capture with ForcePoweroff, and starts it again", async () => {
    const instanceId = await running();
    const { ImageId } = await cvm.CreateImage({ InstanceId: instanceId, ImageName: "forced", ForcePoweroff: "TRUE" });
    await waitImage(ImageId!, "NORMAL");
    expect((await waitFor(cvm, [instanceId], "RUNNING"))[0].LatestOperation).toBe("CreateImage");
  });

  it.each([
    [{ ImageName: "web-base" }, "InvalidImageName.Duplicate"],
    [{ ImageName: "x".repeat(61) }, "InvalidParameterValue.TooLarge"],
    [{ ImageName: "ok", ForcePoweroff: "maybe" }, "InvalidParameterValue"],
    [{ ImageName: "ok", DataDiskIds: ["disk-zzzzzzzz"] }, "InvalidParameter.DataDiskNotBelongSpecifiedInstance"],
    [{ ImageName: "ok", SnapshotIds: ["snap-abcdefgh"] }, "InvalidParameter.SnapshotNotFound"],
    [{ ImageName: "ok", ImageFamily: "-bad" }, "InvalidParameterValue.InvalidImageFamily"],
  ])("refuses %j with %s, creating nothing", async (extra, code) => {
    const instanceId = await running();
    const before = (await cvm.DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }] })).TotalCount;
    expect((await sdkError(cvm.CreateImage({ InstanceId: instanceId, ...extra } as never))).code).toBe(code);
    expect((await cvm.DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }] })).TotalCount).toBe(before);
  });

  it("checks everything on a DryRun and creates nothing", async () => {
    const instanceId = await running();
    const before = (await cvm.DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }] })).TotalCount;
    await cvm.CreateImage({ InstanceId: instanceId, ImageName: "dry", DryRun: true });
    expect((await cvm.DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }] })).TotalCount).toBe(before);
  });
});

group("ModifyImageAttribute and DeleteImages", () => {
  it("renames and describes an image, refusing a name in use", async () => {
    const { ImageId } = await cvm.CreateImage({ InstanceId: await running(), ImageName: "to-rename" });
    await waitImage(ImageId!, "NORMAL");
    await cvm.ModifyImageAttribute({ ImageId: ImageId!, ImageName: "renamed", ImageDescription: "new words", ImageFamily: "web" });
    expect(await image(ImageId!)).toMatchObject({ ImageName: "renamed", ImageDescription: "new words", ImageFamily: "web" });
    expect((await sdkError(cvm.ModifyImageAttribute({ ImageId: ImageId!, ImageName: "web-base" }))).code).toBe("InvalidImageName.Duplicate");
  });

  it("deletes an image; a public or unknown one is not the caller's", async () => {
    const { ImageId } = await cvm.CreateImage({ InstanceId: await running(), ImageName: "to-delete" });
    await waitImage(ImageId!, "NORMAL");
    await cvm.DeleteImages({ ImageIds: [ImageId!] });
    expect(await image(ImageId!)).toBeUndefined();
    expect((await sdkError(cvm.DeleteImages({ ImageIds: ["img-487zeit5"] }))).code).toBe("InvalidImageId.NotFound");
    expect((await sdkError(cvm.DeleteImages({ ImageIds: ["image-1"] }))).code).toBe("InvalidImageId.Malformed");
  });
});

group("sharing", () => {
  it("shows a shared image to the other account, keeps it the owner's, and withdraws it", async () => {
    const { ImageId } = await cvm.CreateImage({ InstanceId: await running(), ImageName: "to-share" });
    await waitImage(ImageId!, "NORMAL");
    expect((await other.DescribeImages({ ImageIds: [ImageId!] })).TotalCount).toBe(0);

    await cvm.ModifyImageSharePermission({ ImageId: ImageId!, AccountIds: [otherUin], Permission: "SHARE" });
    const seen = (await other.DescribeImages({ Filters: [{ Name: "image-type", Values: ["SHARED_IMAGE"] }] })).ImageSet!;
    expect(seen.map((i) => i.ImageId)).toEqual([ImageId]);
    expect((await cvm.DescribeImageSharePermission({ ImageId: ImageId! })).SharePermissionSet!.map((s) => s.AccountId)).toEqual([otherUin]);
    expect((await sdkError(other.ModifyImageAttribute({ ImageId: ImageId!, ImageName: "mine now" }))).code).toBe("UnsupportedOperation.SharedImageModifyUnsupported");
    expect((await sdkError(other.DeleteImages({ ImageIds: [ImageId!] }))).code).toBe("InvalidImageId.NotFound");
    expect((await sdkError(cvm.DeleteImages({ ImageIds: [ImageId!] }))).code).toBe("InvalidImageId.InShared");
    expect((await sdkError(cvm.ModifyImageSharePermission({ ImageId: ImageId!, AccountIds: [otherUin], Permission: "SHARE" }))).code).toBe("FailedOperation.AccountAlreadyExists");

    await cvm.ModifyImageSharePermission({ ImageId: ImageId!, AccountIds: [otherUin], Permission: "CANCEL" });
    expect((await other.DescribeImages({ ImageIds: [ImageId!] })).TotalCount).toBe(0);
    await cvm.DeleteImages({ ImageIds: [ImageId!] });
  });

  it.each([
    [["999999999999"], "InvalidAccountId.NotFound"],
    [["self"], "InvalidAccountIs.YourSelf"],
  ])("refuses sharing with %j: %s", async (accounts, code) => {
    const { ImageId } = await cvm.CreateImage({ InstanceId: await running(), ImageName: `share-${code}` });
    await waitImage(ImageId!, "NORMAL");
    const AccountIds = accounts[0] === "self" ? [server.defaultAccount.account.uin] : accounts;
    expect((await sdkError(cvm.ModifyImageSharePermission({ ImageId: ImageId!, AccountIds, Permission: "SHARE" }))).code).toBe(code);
  });

  it("never shows one account's private images to another", async () => {
    const theirs = await other.DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }] });
    expect(theirs.TotalCount).toBe(0);
  });
});

group("launching from custom images", () => {
  it("launches an instance from a captured image, with its system disk size and data disks", async () => {
    const source = (await launch(cvm, { SystemDisk: { DiskSize: 80 }, DataDisks: [{ DiskSize: 200 }] })).InstanceIdSet!;
    const [captured] = await waitFor(cvm, source, "RUNNING");
    const { ImageId } = await cvm.CreateImage({ InstanceId: source[0], ImageName: "with-data", DataDiskIds: [captured.DataDisks![0].DiskId!] });
    await waitImage(ImageId!, "NORMAL");
    const ids = (await launch(cvm, { ImageId, DataDisks: [{ DiskSize: 50 }] })).InstanceIdSet!;
    const [copy] = await waitFor(cvm, ids, "RUNNING");
    expect(copy).toMatchObject({ ImageId, OsName: "Ubuntu Server 22.04 LTS 64bit" });
    expect(copy.SystemDisk!.DiskSize).toBe(80);
    expect(copy.DataDisks!.map((d) => d.DiskSize)).toEqual([200, 50]);
    expect((await sdkError(launch(cvm, { ImageId, SystemDisk: { DiskSize: 60 } }))).code).toBe("InvalidParameterValue.Range");
  });

  it("lets the account an image is shared with launch from it, until the sharing ends", async () => {
    const { ImageId } = await cvm.CreateImage({ InstanceId: await running(), ImageName: "shared-launch" });
    await waitImage(ImageId!, "NORMAL");
    expect((await sdkError(launch(other, { ImageId }))).code).toBe("InvalidImageId.NotFound");
    await cvm.ModifyImageSharePermission({ ImageId: ImageId!, AccountIds: [otherUin], Permission: "SHARE" });
    const ids = (await launch(other, { ImageId })).InstanceIdSet!;
    expect((await waitFor(other, ids, "RUNNING"))[0].ImageId).toBe(ImageId);
    await cvm.ModifyImageSharePermission({ ImageId: ImageId!, AccountIds: [otherUin], Permission: "CANCEL" });
    expect((await sdkError(launch(other, { ImageId }))).code).toBe("InvalidImageId.NotFound");
  });

  it("refuses an image that is not ready, and an image of another architecture", async () => {
    const slow = await startServer({ OPENCVM_TIMING: "fast" });
    try {
      const c = cvmClient(slow);
      const ids = (await launch(c)).InstanceIdSet!;
      await waitFor(c, ids, "RUNNING", 15000);
      const { ImageId } = await c.CreateImage({ InstanceId: ids[0], ImageName: "not-yet" });
      expect((await sdkError(launch(c, { ImageId }))).code).toBe("InvalidParameterValue.InvalidImageState");
    } finally {
      await slow.close();
    }
    expect((await sdkError(launch(cvm, { ImageId: "img-3la7wgnt" }))).code).toBe("InvalidParameterValue.InvalidImageForGivenInstanceType");
  });

  it("reinstalls an instance from a custom image", async () => {
    const { ImageId } = await cvm.CreateImage({ InstanceId: await running(), ImageName: "reinstall-from" });
    await waitImage(ImageId!, "NORMAL");
    const target = await running({ ImageId: "img-9id7emv7" });
    await cvm.ResetInstance({ InstanceId: target, ImageId });
    expect((await waitFor(cvm, [target], "RUNNING"))[0]).toMatchObject({ ImageId, OsName: "Ubuntu Server 22.04 LTS 64bit" });
  });
});
