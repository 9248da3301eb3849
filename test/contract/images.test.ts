// Public images through the official SDK: listing, filters, paging, families and what can be imported.
import { describe, expect, it } from "vitest";
import { DEFAULT_IMAGES } from "../../src/catalog/images.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
});

describe("DescribeImages", () => {
  it("lists every public image with the fields the spec declares, paged", async () => {
    const all = await cvm.DescribeImages({ Limit: 100 });
    expect(all.TotalCount).toBe(DEFAULT_IMAGES.length);
    expect(all.ImageSet!.find((i) => i.ImageId === "img-487zeit5")).toMatchObject({
      OsName: "Ubuntu Server 22.04 LTS 64bit",
      ImageType: "PUBLIC_IMAGE",
      ImageState: "NORMAL",
      Platform: "Ubuntu",
      Architecture: "x86_64",
      ImageSource: "OFFICIAL",
      IsSupportCloudinit: true,
    });
    const first = await cvm.DescribeImages({});
    expect(first.ImageSet).toHaveLength(Math.min(20, DEFAULT_IMAGES.length));
    const second = await cvm.DescribeImages({ Offset: 5, Limit: 5 });
    expect(second.ImageSet!.map((i) => i.ImageId)).toEqual(all.ImageSet!.slice(5, 10).map((i) => i.ImageId));
    expect((await sdkError(cvm.DescribeImages({ Limit: 101 }))).code).toBe("InvalidParameterValue.LimitExceeded");
  });

  it.each([
    [[{ Name: "platform", Values: ["ubuntu"] }], ["img-487zeit5", "img-mmytdhbn", "img-22trbn9x"]],
    [[{ Name: "image-name", Values: ["Windows"] }], ["img-9qrfy1xt", "img-ne5o4ydo"]],
    [[{ Name: "image-id", Values: ["img-9id7emv7", "img-l8og963d"] }], ["img-9id7emv7", "img-l8og963d"]],
    [[{ Name: "image-family", Values: ["debian-12"] }], ["img-9id7emv7"]],
    [[{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }], []],
    [[{ Name: "tag:env", Values: ["prod"] }], []],
    [[{ Name: "platform", Values: ["TencentOS"] }, { Name: "image-name", Values: ["ARM64"] }], ["img-3la7wgnt"]],
  ])("filters %j", async (Filters, ids) => {
    const out = await cvm.DescribeImages({ Filters, Limit: 100 });
    expect(out.ImageSet!.map((i) => i.ImageId).sort()).toEqual([...ids].sort());
    expect(out.TotalCount).toBe(ids.length);
  });

  it("keeps to the images an instance type can boot", async () => {
    const out = await cvm.DescribeImages({ InstanceType: "S5.MEDIUM4", Limit: 100 });
    expect(out.ImageSet!.every((i) => i.Architecture === "x86_64")).toBe(true);
    expect(out.TotalCount).toBe(DEFAULT_IMAGES.filter((i) => i.architecture === "x86_64").length);
  });

  it.each([
    [{ ImageIds: ["img-487zeit5"], Filters: [{ Name: "platform", Values: ["Ubuntu"] }] }, "InvalidParameter.InvalidParameterCoexistImageIdsFilters"],
    [{ ImageIds: ["ubuntu"] }, "InvalidImageId.Malformed"],
    [{ Filters: [{ Name: "colour", Values: ["blue"] }] }, "InvalidFilter"],
    [{ Filters: [{ Name: "platform", Values: ["a", "b", "c", "d", "e", "f"] }] }, "InvalidFilterValue.LimitExceeded"],
    [{ Filters: [{ Name: "image-type", Values: ["MINE"] }] }, "InvalidParameterValue"],
    [{ InstanceType: "S5.NOPE" }, "InvalidParameterValue.InstanceTypeNotFound"],
    [{ InstanceType: "huge" }, "InvalidInstanceType.Malformed"],
  ])("refuses %j with %s", async (params, code) => {
    expect((await sdkError(cvm.DescribeImages(params))).code).toBe(code);
  });
});

describe("families, imports and quota", () => {
  it("answers the newest image of a family, and null for an unknown one", async () => {
    expect((await cvm.DescribeImageFromFamily({ ImageFamily: "ubuntu-22-04" })).Image).toMatchObject({ ImageId: "img-487zeit5", ImageFamily: "ubuntu-22-04" });
    expect((await cvm.DescribeImageFromFamily({ ImageFamily: "plan9" })).Image).toBeNull();
    expect((await sdkError(cvm.DescribeImageFromFamily({}))).code).toBe("MissingParameter");
  });

  it("lists the operating systems ImportImage takes", async () => {
    const out = await cvm.DescribeImportImageOs();
    expect(out.ImportImageOsListSupported!.Linux).toContain("Ubuntu");
    expect(out.ImportImageOsListSupported!.Windows).toContain("Windows Server 2022");
    expect(out.ImportImageOsVersionSet!.find((o) => o.OsName === "Debian")!.OsVersions).toContain("12");
  });

  it("reports the custom image quota", async () => {
    expect((await cvm.DescribeImageQuota()).ImageNumQuota).toBe(500);
  });
});
