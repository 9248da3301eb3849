// SyncImages with one ImageName for two images made two images of the same name in the target region (fuzzer).
import { expect, it } from "vitest";
import { launch, waitFor } from "../helpers/instances.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
serverForFile((started) => (server = started), { OPENCVM_TIMING: "instant" });

it("refuses copies that would share a name in the target region", async () => {
  const cvm = cvmClient(server);
  const images: string[] = [];
  for (const name of ["one", "two"]) {
    const ids = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    const { ImageId } = await cvm.CreateImage({ InstanceId: ids[0], ImageName: name });
    images.push(ImageId!);
  }
  for (let until = Date.now() + 5000; (await cvm.DescribeImages({ ImageIds: images })).ImageSet!.some((i) => i.ImageState !== "NORMAL"); ) {
    if (Date.now() > until) throw new Error("images not ready");
  }
  const err = await sdkError(cvm.SyncImages({ ImageIds: images, DestinationRegions: ["ap-shanghai"], ImageName: "same" }));
  expect(err.code).toBe("InvalidImageName.Duplicate");
  expect((await cvmClient(server, { region: "ap-shanghai" }).DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }] })).TotalCount).toBe(0);
});
