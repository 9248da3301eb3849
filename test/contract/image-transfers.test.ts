// Images copied to other regions and imported from disk image files, finished by the engine.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import { imageIn, launch, waitFor } from "../helpers/instances.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
let files: Server;
let filesUrl: string;
const dir = mkdtempSync(join(tmpdir(), "opencvm-images-"));

function disk(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
const qcow2 = () => Buffer.concat([Buffer.from("QFI\xfb", "latin1"), Buffer.alloc(1020)]);
const raw = () => {
  const b = Buffer.alloc(4096);
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
};

beforeAll(async () => {
  // Local files come from the import directory; the file server is on loopback, which only the allow-list opens.
  server = await startServer({ OPENCVM_TIMING: "instant", OPENCVM_IMPORT_DIR: dir, OPENCVM_IMPORT_ALLOW: "127.0.0.1/32" });
  cvm = cvmClient(server, { language: "en-US" });
  const body = qcow2();
  files = createServer((_req, res) => res.writeHead(200, { "Content-Length": body.length }).end(body));
  await new Promise<void>((r) => files.listen(0, "127.0.0.1", r));
  filesUrl = `http://127.0.0.1:${(files.address() as { port: number }).port}/disk.qcow2`;
});
afterAll(async () => {
  await server.close();
  files.close();
});

async function customImage(name: string): Promise<string> {
  const ids = (await launch(cvm)).InstanceIdSet!;
  await waitFor(cvm, ids, "RUNNING");
  const { ImageId } = await cvm.CreateImage({ InstanceId: ids[0], ImageName: name });
  await imageIn(cvm, ImageId!, "NORMAL");
  return ImageId!;
}

group("SyncImages", () => {
  it("copies an image to other regions under new ids, SYNCING then NORMAL", async () => {
    const source = await customImage("golden");
    const out = await cvm.SyncImages({ ImageIds: [source], DestinationRegions: ["ap-shanghai", "ap-beijing"], ImageSetRequired: true });
    expect(out.ImageSet!.map((i) => i.Region).sort()).toEqual(["ap-beijing", "ap-shanghai"]);
    const copy = out.ImageSet!.find((i) => i.Region === "ap-shanghai")!.ImageId!;
    expect(copy).not.toBe(source);
    const shanghai = cvmClient(server, { region: "ap-shanghai" });
    expect(await imageIn(shanghai, copy, "NORMAL")).toMatchObject({ ImageName: "golden", ImageSource: "SYNC_IMAGE", ImageType: "PRIVATE_IMAGE" });
    expect((await cvm.DescribeImages({ ImageIds: [copy] })).TotalCount).toBe(0);
    expect((await sdkError(cvm.SyncImages({ ImageIds: [source], DestinationRegions: ["ap-shanghai"] }))).code).toBe("InvalidImageName.Duplicate");
  });

  it("changes nothing on a DryRun", async () => {
    const source = await customImage("dry-sync");
    const out = await cvm.SyncImages({ ImageIds: [source], DestinationRegions: ["ap-chengdu"], DryRun: true });
    expect(out.ImageSet).toEqual([]);
    expect((await cvmClient(server, { region: "ap-chengdu" }).DescribeImages({ Filters: [{ Name: "image-type", Values: ["PRIVATE_IMAGE"] }] })).TotalCount).toBe(0);
  });

  it.each([
    [{ DestinationRegions: ["ap-guangzhou"] }, "InvalidParameterValue.InvalidRegion"],
    [{ DestinationRegions: ["xx-nowhere"] }, "InvalidRegion.NotFound"],
    [{ ImageIds: ["img-487zeit5"] }, "InvalidImageId.NotFound"],
    [{ ImageIds: ["golden"] }, "InvalidImageId.Malformed"],
  ])("refuses %j with %s", async (extra, code) => {
    const source = await customImage(`refused-${code}-${Math.random()}`.slice(0, 50));
    expect((await sdkError(cvm.SyncImages({ ImageIds: [source], DestinationRegions: ["ap-nanjing"], ...extra }))).code).toBe(code);
  });
});

group("ImportImage", () => {
  const base = { Architecture: "x86_64", OsType: "Ubuntu", OsVersion: "22.04" };

  it.each([
    ["a qcow2 file", () => disk("a.qcow2", qcow2())],
    ["a raw disk", () => disk("a.raw", raw())],
    ["a qcow2 over http", () => filesUrl],
  ])("imports %s, IMPORTING then NORMAL", async (label, source) => {
    const name = `imported-${label.replace(/\W+/g, "-")}`;
    await cvm.ImportImage({ ...base, ImageUrl: source(), ImageName: name });
    const [listed] = (await cvm.DescribeImages({ Filters: [{ Name: "image-name", Values: [name] }] })).ImageSet!;
    expect(await imageIn(cvm, listed.ImageId!, "NORMAL")).toMatchObject({ ImageSource: "IMPORT_IMAGE", Platform: "Ubuntu", Architecture: "x86_64" });
  });

  it("fails the import of a file that is no disk image, and refuses one that is not there", async () => {
    await cvm.ImportImage({ ...base, ImageUrl: disk("junk.bin", Buffer.from("hello, not a disk")), ImageName: "junk" });
    const [listed] = (await cvm.DescribeImages({ Filters: [{ Name: "image-name", Values: ["junk"] }] })).ImageSet!;
    await imageIn(cvm, listed.ImageId!, "IMPORTFAILED");
    const missing = await sdkError(cvm.ImportImage({ ...base, ImageUrl: join(dir, "missing.qcow2"), ImageName: "missing" }));
    expect(missing).toMatchObject({ code: "InvalidParameter.InvalidParameterUrlError", message: expect.stringContaining("ENOENT") });
  });

  /** Imports and waits for the verdict: the image as DescribeImages shows it then. */
  async function imported(name: string, params: object, state: string) {
    await cvm.ImportImage({ ...base, ImageName: name, ...params } as Parameters<typeof cvm.ImportImage>[0]);
    const [listed] = (await cvm.DescribeImages({ Filters: [{ Name: "image-name", Values: [name] }] })).ImageSet!;
    return imageIn(cvm, listed.ImageId!, state);
  }

  it("takes with Force what the check refuses: a file in no known format (as a raw disk) and an ISO", async () => {
    const iso = Buffer.alloc(0x8006 + 512);
    iso.write("CD001", 0x8001, "latin1");
    await imported("junk-forced", { ImageUrl: disk("junk2.bin", Buffer.from("not a disk either")), Force: true }, "NORMAL");
    await imported("iso-unforced", { ImageUrl: disk("cd.img", iso) }, "IMPORTFAILED");
    await imported("iso-forced", { ImageUrl: disk("cd.iso", iso), Force: true }, "NORMAL");
    // A URL that names an ISO is refused at once without Force.
    const refused = await sdkError(cvm.ImportImage({ ...base, ImageUrl: disk("cd2.iso", iso), ImageName: "iso-named" }));
    expect(refused).toMatchObject({ code: "InvalidParameterValue.ISOMustImportByForce", message: expect.stringContaining("ImageUrl") });
  });

  it("keeps the licence an image is imported with, and its boot mode", async () => {
    expect(await imported("byol", { ImageUrl: disk("b.qcow2", qcow2()), LicenseType: "BYOL", BootMode: "UEFI" }, "NORMAL")).toMatchObject({ LicenseType: "BYOL" });
    expect(await imported("licensed", { ImageUrl: disk("l.qcow2", qcow2()) }, "NORMAL")).toMatchObject({ LicenseType: "TencentCloud" });
  });

  it.each([
    [{ LicenseType: "GPL" }, "InvalidParameterValue.InvalidLicenseType"],
    [{ BootMode: "Coreboot" }, "InvalidParameterValue.InvalidBootMode"],
    [{ OsType: "Plan 9" }, "InvalidImageOsType.Unsupported"],
    [{ OsVersion: "4.10" }, "InvalidImageOsVersion.Unsupported"],
    [{ ImageUrl: "ftp://example/disk.img" }, "InvalidParameter.InvalidParameterUrlError"],
    [{ Architecture: "sparc" }, "InvalidParameterValue"],
  ])("refuses %j with %s", async (extra, code) => {
    expect((await sdkError(cvm.ImportImage({ ...base, ImageUrl: "/tmp/x.qcow2", ImageName: "nope", ...extra }))).code).toBe(code);
  });
});
