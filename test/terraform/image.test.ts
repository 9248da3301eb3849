// Replays what Terraform's tencentcloud_image (services/cvm/resource_tc_image.go) sends: CreateImage from an
// instance with a data disk, the wait in CvmService.DescribeImageById (NORMAL, CREATEFAILED an error, an empty set
// retried), which counts the image as existing only when its SnapshotSet is not empty, Read's snapshot ids, an Update
// by ModifyImageAttribute, and Delete by DeleteImages followed by the same lookup until the image is gone. The
// snapshots the image was made of are real cbs snapshots. Tags through the tag service: TagSpecification and
// ModifyResourceTags after Create, DescribeResourceTagsByResourceIds on Read. Each service at `<service>.<domain>`.
import { describe, expect, it } from "vitest";
import type { Image } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_models.js";
import { launch, waitFor } from "../helpers/instances.js";
import { modifyTags, readTags, replayFile, tagResourceName } from "./provider.js";

const replay = replayFile();

/**
 * CvmService.DescribeImageById: DescribeImages by id until the image is NORMAL (CREATEFAILED fails it; an empty set
 * is retried unless deleting); it exists only with a SnapshotSet.
 */
async function describeImageById(id: string, isDelete: boolean): Promise<{ image?: Image; has: boolean }> {
  const until = Date.now() + 10_000;
  for (;;) {
    const { ImageSet } = await replay.tf.cvm.DescribeImages({ ImageIds: [id] });
    const image = ImageSet![0];
    if (image?.ImageState === "CREATEFAILED") throw new Error("Create Image is failed");
    const settled = image ? image.ImageState === "NORMAL" : isDelete;
    if (settled) return image && image.SnapshotSet!.length !== 0 ? { image, has: true } : { has: false };
    if (Date.now() > until) throw new Error(`image ${id} is still processing`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function instanceWithDataDisk(): Promise<{ instanceId: string; systemDisk: string; dataDisk: string }> {
  const [instanceId] = (await launch(replay.tf.cvm, { DataDisks: [{ DiskType: "CLOUD_PREMIUM", DiskSize: 50 }] })).InstanceIdSet!;
  const [instance] = await waitFor(replay.tf.cvm, [instanceId], "RUNNING");
  return { instanceId, systemDisk: instance.SystemDisk!.DiskId!, dataDisk: instance.DataDisks![0].DiskId! };
}

describe("tencentcloud_image", () => {
  it("is created from an instance with a data disk, exists by its snapshots, is renamed and deleted as the provider does it", async () => {
    const { instanceId, systemDisk, dataDisk } = await instanceWithDataDisk();
    const { ImageId } = await replay.tf.cvm.CreateImage({ ImageName: "tf-image", ForcePoweroff: "TRUE", ImageDescription: "made by terraform", Sysprep: "FALSE", DataDiskIds: [dataDisk], InstanceId: instanceId, TagSpecification: [{ ResourceType: "image", Tags: [{ Key: "team", Value: "infra" }] }] });
    await modifyTags(replay.tf.tag, tagResourceName("cvm", "image", ImageId!), { team: "infra" });
    const created = await describeImageById(ImageId!, false);
    expect(created.has).toBe(true);
    expect(await readTags(replay.tf.tag, "cvm", "image", ImageId!)).toEqual({ team: "infra" });

    // Read: the snapshot ids, one of each disk captured, real snapshots of the cbs service bound to the image.
    const { image } = await describeImageById(ImageId!, false);
    const snapshotIds = image!.SnapshotSet!.map((s) => s.SnapshotId!);
    expect(image!.SnapshotSet!.map((s) => s.DiskUsage).sort()).toEqual(["DATA_DISK", "SYSTEM_DISK"]);
    const { SnapshotSet } = await replay.tf.cbs.request("DescribeSnapshots", { SnapshotIds: snapshotIds });
    expect(SnapshotSet.map((s: { DiskId: string }) => s.DiskId).sort()).toEqual([systemDisk, dataDisk].sort());
    for (const s of SnapshotSet) expect(s).toMatchObject({ SnapshotState: "NORMAL", ImageCount: 1, Images: [{ ImageId, ImageName: "tf-image" }] });

    // Update.
    await replay.tf.cvm.ModifyImageAttribute({ ImageId: ImageId!, ImageName: "tf-image-2", ImageDescription: "renamed" });
    expect((await describeImageById(ImageId!, false)).image).toMatchObject({ ImageName: "tf-image-2", ImageDescription: "renamed" });

    // A snapshot an image is made of is deleted only with it.
    expect((await replay.tf.cbs.request("DeleteSnapshots", { SnapshotIds: [snapshotIds[0]] }).catch((e: { code: string }) => e)).code).toBe("UnsupportedOperation.SnapshotHasBindedImage");

    // Delete: DeleteImages, then the lookup until the image no longer exists. Its snapshots stay, unbound.
    await replay.tf.cvm.DeleteImages({ ImageIds: [ImageId!] });
    expect((await describeImageById(ImageId!, true)).has).toBe(false);
    const left = (await replay.tf.cbs.request("DescribeSnapshots", { SnapshotIds: snapshotIds })).SnapshotSet;
    expect(left.map((s: { ImageCount: number }) => s.ImageCount)).toEqual([0, 0]);
    await replay.tf.cbs.request("DeleteSnapshots", { SnapshotIds: snapshotIds });
    expect((await replay.tf.cbs.request("DescribeSnapshots", { SnapshotIds: snapshotIds })).TotalCount).toBe(0);
  });

  it("deletes the image's snapshots with it when DeleteImages says DeleteBindedSnap", async () => {
    const { instanceId } = await instanceWithDataDisk();
    const { ImageId } = await replay.tf.cvm.CreateImage({ ImageName: "tf-image-snap", ForcePoweroff: "TRUE", InstanceId: instanceId });
    const { image } = await describeImageById(ImageId!, false);
    const snapshotIds = image!.SnapshotSet!.map((s) => s.SnapshotId!);
    expect(snapshotIds).toHaveLength(1);
    await replay.tf.cvm.DeleteImages({ ImageIds: [ImageId!], DeleteBindedSnap: true });
    expect((await describeImageById(ImageId!, true)).has).toBe(false);
    expect((await replay.tf.cbs.request("DescribeSnapshots", { SnapshotIds: snapshotIds })).TotalCount).toBe(0);
  });
});
