// ExportImages through the official SDK: custom images written by the engine into a bucket (a directory under
// OPENCVM_BUCKETS) as disk image files that qemu-img reads as the format asked for, with the image's size, and that
// ImportImage takes back; every refusal with its documented code, naming its field, writing nothing.
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import type { ExportedDisk, ExportFormat } from "../../src/domain/disk-formats.js";
import { detectFormat, readEnds } from "../../src/compute/disk-format.js";
import { SimulatedBackend } from "../../src/compute/simulated.js";
import { generateKeyPair } from "../../src/keys.js";
import { imageIn, launch, UBUNTU, waitFor } from "../helpers/instances.js";
import { freePort, spawnServer } from "../helpers/process.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

const GiB = 1024 ** 3;
const BUCKET = "exports-1250000000";
const FORMATS = [
  ["RAW", "raw", "raw"],
  ["QCOW2", "qcow2", "qcow2"],
  ["VHD", "vhd", "vpc"],
  ["VMDK", "vmdk", "vmdk"],
] as const;

/** A backend whose exports can be held, to see what the API says about an export in progress. */
class HeldExports extends SimulatedBackend {
  private gate: Promise<void> = Promise.resolve();

  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise((r) => (release = r));
    return () => {
      this.gate = Promise.resolve();
      release();
    };
  }

  override async exportImage(imageId: string, format: ExportFormat, disks: readonly ExportedDisk[]): Promise<void> {
    await this.gate;
    return super.exportImage(imageId, format, disks);
  }
}

/** The user a server runs as to be refused what root would be allowed. */
const NOBODY = 65534;
const buckets = mkdtempSync(join(tmpdir(), "opencvm-buckets-"));
// Readable by that user too.
chmodSync(buckets, 0o755);
const bucket = join(buckets, BUCKET);
// The backend reads imports under the same rules as the handler: the buckets directory is the import directory.
const backend = new HeldExports("instant", {}, { allow: [], dir: buckets, maxBytes: 64 * 1024 ** 3, timeoutMs: 60_000 });
let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
let other: ReturnType<typeof cvmClient>;

beforeAll(async () => {
  // The files are checked with qemu-img: a missing one fails here rather than skipping the checks.
  const qemu = spawnSync("qemu-img", ["--version"]);
  if (qemu.error || qemu.status !== 0) throw new Error("qemu-img is missing: test/setup/system-packages.ts installs qemu-utils");
  mkdirSync(bucket);
  server = await startServer({ OPENCVM_TIMING: "instant", OPENCVM_BUCKETS: buckets, OPENCVM_IMPORT_DIR: buckets }, undefined, backend);
  cvm = cvmClient(server, { language: "en-US" });
  const key = generateKeyPair();
  await server.store.accounts.create(key);
  other = cvmClient(server, { ...key, language: "en-US" });
});
afterAll(() => server?.close());

let n = 0;
/** A custom image captured from a new instance, with all its data disks. */
async function captured(client = cvm, extra = {}): Promise<string> {
  const ids = (await launch(client, extra)).InstanceIdSet!;
  const [instance] = await waitFor(client, ids, "RUNNING");
  const DataDiskIds = (instance.DataDisks ?? []).map((d) => d.DiskId!);
  const { ImageId } = await client.CreateImage({ InstanceId: ids[0], ImageName: `export-${n++}`, DataDiskIds });
  await imageIn(client, ImageId!, "NORMAL");
  return ImageId!;
}

/** The file of a COS path, once the engine has written it. */
async function written(cosPath: string): Promise<string> {
  const path = join(bucket, cosPath);
  const until = Date.now() + 5000;
  while (!existsSync(path)) {
    if (Date.now() > until) throw new Error(`${cosPath} was not written`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return path;
}

function qemuImg(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync("qemu-img", args, { encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

function info(path: string): { format: string; "virtual-size": number } {
  const r = qemuImg("info", "--output=json", path);
  expect(r.status, r.out).toBe(0);
  return JSON.parse(r.out);
}

group("ExportImages", () => {
  it("writes a captured image in each format: files qemu-img reads as that format, of the image's size, with the same contents", async () => {
    const imageId = await captured(cvm, { SystemDisk: { DiskSize: 60 } });
    const files: Record<string, string> = {};
    for (const [ExportFormat, ext, qemuFormat] of FORMATS) {
      const out = await cvm.ExportImages({ BucketName: BUCKET, ImageIds: [imageId], ExportFormat });
      expect(out.TaskId).toBeGreaterThan(0);
      expect(out.CosPaths).toEqual([expect.stringMatching(new RegExp(`^/${imageId}_system_snap-[a-z0-9]{8}\\.${ext}$`))]);
      const path = await written(out.CosPaths![0]);
      expect(info(path)).toMatchObject({ format: qemuFormat, "virtual-size": 60 * GiB });
      const { head, tail } = await readEnds(path);
      expect(detectFormat(head, tail)).toBe(ext);
      files[qemuFormat] = path;
    }
    for (const format of ["qcow2", "vmdk"]) expect(qemuImg("check", "-f", format, files[format]).status).toBe(0);
    // The same blank disk, whatever the format: a partition table and zeros.
    for (const format of ["qcow2", "vpc", "vmdk"]) {
      const r = qemuImg("compare", "-f", "raw", "-F", format, files.raw, files[format]);
      expect(r.status, r.out).toBe(0);
    }
    expect(await imageIn(cvm, imageId, "NORMAL")).toBeTruthy();
    expect(readdirSync(bucket).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("writes RAW by default, one file per disk named with the prefix given, and the system disk alone with OnlyExportRootDisk", async () => {
    const imageId = await captured(cvm, { SystemDisk: { DiskSize: 20 }, DataDisks: [{ DiskSize: 30 }, { DiskSize: 40 }] });
    const all = await cvm.ExportImages({ BucketName: BUCKET, ImageIds: [imageId], FileNamePrefixList: ["nightly"] });
    const snap = "snap-[a-z0-9]{8}";
    expect(all.CosPaths).toEqual([
      expect.stringMatching(new RegExp(`^/nightly_${imageId}_system_${snap}\\.raw$`)),
      expect.stringMatching(new RegExp(`^/nightly_${imageId}_data_${snap}\\.raw$`)),
      expect.stringMatching(new RegExp(`^/nightly_${imageId}_data_${snap}\\.raw$`)),
    ]);
    const sizes = [];
    for (const p of all.CosPaths!) sizes.push(info(await written(p))["virtual-size"] / GiB);
    expect(sizes).toEqual([20, 30, 40]);
    const root = await cvm.ExportImages({ BucketName: BUCKET, ImageIds: [imageId], OnlyExportRootDisk: true, ExportFormat: "QCOW2" });
    expect(root.CosPaths).toEqual([expect.stringMatching(new RegExp(`^/${imageId}_system_${snap}\\.qcow2$`))]);
    expect(root.TaskId).not.toBe(all.TaskId);
  });

  it("exports several images in one task, each with its prefix", async () => {
    const images = [await captured(), await captured()];
    const out = await cvm.ExportImages({ BucketName: BUCKET, ImageIds: images, FileNamePrefixList: ["a", "b"], ExportFormat: "VMDK" });
    expect(out.CosPaths!.map((p) => p.split("_").slice(0, 2).join("_"))).toEqual([`/a_${images[0]}`, `/b_${images[1]}`]);
    for (const p of out.CosPaths!) expect(info(await written(p)).format).toBe("vmdk");
  });

  it.each(FORMATS)("writes %s files that ImportImage takes back", async (ExportFormat) => {
    const imageId = await captured();
    const [cosPath] = (await cvm.ExportImages({ BucketName: BUCKET, ImageIds: [imageId], ExportFormat })).CosPaths!;
    const name = `round-trip-${ExportFormat}`;
    await cvm.ImportImage({ Architecture: "x86_64", OsType: "Ubuntu", OsVersion: "22.04", ImageUrl: await written(cosPath), ImageName: name });
    const [imported] = (await cvm.DescribeImages({ Filters: [{ Name: "image-name", Values: [name] }] })).ImageSet!;
    expect(await imageIn(cvm, imported.ImageId!, "NORMAL")).toMatchObject({ ImageSource: "IMPORT_IMAGE" });
  });

  it("checks and writes nothing on a DryRun", async () => {
    const imageId = await captured();
    const before = readdirSync(bucket);
    expect(await cvm.ExportImages({ BucketName: BUCKET, ImageIds: [imageId], DryRun: true })).toMatchObject({ TaskId: 0, CosPaths: [] });
    expect((await sdkError(cvm.ExportImages({ BucketName: "nowhere", ImageIds: [imageId], DryRun: true }))).code).toBe("InvalidParameterValue.BucketNotFound");
    await server.engine.idle();
    expect(readdirSync(bucket)).toEqual(before);
  });

  it("refuses a second export of an image being exported, and more exports in progress than an account may have", async () => {
    const images: string[] = [];
    for (let i = 0; i < 11; i++) images.push(await captured());
    const release = backend.hold();
    try {
      const first = await cvm.ExportImages({ BucketName: BUCKET, ImageIds: [images[0]] });
      const again = await sdkError(cvm.ExportImages({ BucketName: BUCKET, ImageIds: [images[1], images[0]] }));
      expect(again).toMatchObject({ code: "InvalidParameterValue.InvalidImageState", message: expect.stringContaining(`ImageIds.1`) });
      expect(again.message).toContain(String(first.TaskId));
      expect((await imageIn(cvm, images[0], "NORMAL")).ImageState).toBe("NORMAL");
      for (const id of images.slice(1, 10)) await cvm.ExportImages({ BucketName: BUCKET, ImageIds: [id] });
      expect((await sdkError(cvm.ExportImages({ BucketName: BUCKET, ImageIds: [images[10]] }))).code).toBe("LimitExceeded.ExportImageTaskLimitExceeded");
    } finally {
      release();
    }
    await server.engine.idle();
    await cvm.ExportImages({ BucketName: BUCKET, ImageIds: [images[10]] });
    await cvm.ExportImages({ BucketName: BUCKET, ImageIds: [images[0]] });
  });

  group("refusals", () => {
    let mine: string;
    let windows: string;
    let failed: string;
    let shared: string;
    let others: string;
    let large: string;
    let manyDisks: string;
    beforeAll(async () => {
      mine = await captured();
      windows = await captured(cvm, { ImageId: "img-9qrfy1xt" });
      writeFileSync(join(buckets, "junk.qcow2"), "not a disk image");
      await cvm.ImportImage({ Architecture: "x86_64", OsType: "Ubuntu", OsVersion: "22.04", ImageUrl: join(buckets, "junk.qcow2"), ImageName: "never-imported" });
      failed = (await cvm.DescribeImages({ Filters: [{ Name: "image-name", Values: ["never-imported"] }] })).ImageSet![0].ImageId!;
      await imageIn(cvm, failed, "IMPORTFAILED");
      rmSync(join(buckets, "junk.qcow2"));
      others = await captured(other);
      shared = await captured(other);
      await other.ModifyImageSharePermission({ ImageId: shared, AccountIds: [server.defaultAccount.account.uin], Permission: "SHARE" });
      large = await captured(cvm, { SystemDisk: { DiskSize: 600 } });
      manyDisks = await captured(cvm, { DataDisks: Array.from({ length: 6 }, () => ({ DiskSize: 20 })) });
    }, 30_000);

    const cases: [string, () => Record<string, unknown>, string, string][] = [
      ["a public image", () => ({ ImageIds: [UBUNTU] }), "UnsupportedOperation.PublicImageExportUnsupported", "ImageIds.0"],
      ["an image shared with the caller", () => ({ ImageIds: [mine, shared] }), "UnsupportedOperation.SharedImageExportUnsupported", "ImageIds.1"],
      ["another account's image", () => ({ ImageIds: [others] }), "InvalidImageId.NotFound", "ImageIds.0"],
      ["an image that exists nowhere", () => ({ ImageIds: ["img-zzzzzzzz"] }), "InvalidImageId.NotFound", "ImageIds.0"],
      ["a malformed image id", () => ({ ImageIds: ["web-base"] }), "InvalidImageId.Malformed", "ImageIds.0"],
      ["a Windows image", () => ({ ImageIds: [windows] }), "UnsupportedOperation.WindowsImageExportUnsupported", "ImageIds.0"],
      ["an image that is not NORMAL", () => ({ ImageIds: [failed] }), "InvalidParameterValue.InvalidImageState", "ImageIds.0"],
      ["a disk over 500 GiB", () => ({ ImageIds: [large] }), "UnsupportedOperation.ImageTooLargeExportUnsupported", "ImageIds.0"],
      ["more than 5 data disks", () => ({ ImageIds: [manyDisks] }), "UnsupportedOperation.ImageTooLargeExportUnsupported", "ImageIds.0"],
      ["an image given twice", () => ({ ImageIds: [mine, mine] }), "InvalidParameterValue", "ImageIds.1"],
      ["no image", () => ({ ImageIds: [] }), "InvalidParameter.ImageIdsSnapshotIdsMustOne", "ImageIds"],
      ["more than 10 images", () => ({ ImageIds: Array.from({ length: 11 }, () => mine) }), "InvalidParameterValue.LimitExceeded", "ImageIds"],
      ["an unknown format", () => ({ ImageIds: [mine], ExportFormat: "ISO" }), "InvalidParameterValue", "ExportFormat"],
      ["fewer prefixes than images", () => ({ ImageIds: [mine], FileNamePrefixList: ["a", "b"] }), "InvalidParameterValue.InvalidFileNamePrefixList", "FileNamePrefixList"],
      ["a prefix naming a directory", () => ({ ImageIds: [mine], FileNamePrefixList: ["../escape"] }), "InvalidParameterValue.InvalidFileNamePrefixList", "FileNamePrefixList.0"],
      ["a prefix with a separator", () => ({ ImageIds: [mine], FileNamePrefixList: ["a/b"] }), "InvalidParameterValue.InvalidFileNamePrefixList", "FileNamePrefixList.0"],
      ["a bucket that does not exist", () => ({ ImageIds: [mine], BucketName: "nowhere-1250000000" }), "InvalidParameterValue.BucketNotFound", "BucketName"],
      ["a bucket name leaving the buckets directory", () => ({ ImageIds: [mine], BucketName: `../${BUCKET}` }), "InvalidParameterValue.BucketNotFound", "BucketName"],
      ["a bucket name of a path", () => ({ ImageIds: [mine], BucketName: `${BUCKET}/sub` }), "InvalidParameterValue.BucketNotFound", "BucketName"],
      ["the buckets directory itself", () => ({ ImageIds: [mine], BucketName: ".." }), "InvalidParameterValue.BucketNotFound", "BucketName"],
    ];
    it.each(cases)("refuses %s (%s), writing nothing", async (_label, request, code, field) => {
      const before = readdirSync(bucket);
      const err = await sdkError(cvm.ExportImages({ BucketName: BUCKET, ...request() }));
      expect(err).toMatchObject({ code, message: expect.stringContaining(`\`${field}\``) });
      await server.engine.idle();
      expect(readdirSync(bucket)).toEqual(before);
      expect(readdirSync(buckets).sort()).toEqual([BUCKET]);
    });

    it("exports the system disk alone of an image with more than 5 data disks", async () => {
      const out = await cvm.ExportImages({ BucketName: BUCKET, ImageIds: [manyDisks], OnlyExportRootDisk: true });
      expect(out.CosPaths).toHaveLength(1);
    });

    // Root writes anywhere, so as root the server runs as nobody (in a process of its own) to meet the refusal.
    it("refuses a bucket it cannot write to", async () => {
      const readOnly = join(buckets, "read-only");
      mkdirSync(readOnly, { mode: 0o500 });
      try {
        const asRoot = process.getuid?.() === 0;
        const nobody = asRoot ? await spawnServer(":memory:", await freePort(), { OPENCVM_TIMING: "instant", OPENCVM_BUCKETS: buckets }, NOBODY) : undefined;
        try {
          const client = nobody ? cvmClient(nobody.target, { language: "en-US" }) : cvm;
          const image = nobody ? await captured(client) : mine;
          const err = await sdkError(client.ExportImages({ BucketName: "read-only", ImageIds: [image] }));
          expect(err).toMatchObject({ code: "InvalidParameterValue.InvalidBucketPermissionForExport", message: expect.stringContaining("`BucketName`") });
          // The same server writes to a bucket it may write to: the refusal was about permission.
          if (nobody) {
            const writable = join(buckets, "nobodys");
            mkdirSync(writable);
            chownSync(writable, NOBODY, NOBODY);
            expect((await client.ExportImages({ BucketName: "nobodys", ImageIds: [image], OnlyExportRootDisk: true })).CosPaths).toHaveLength(1);
          }
        } finally {
          nobody?.child.kill("SIGKILL");
        }
      } finally {
        rmSync(readOnly, { recursive: true });
        rmSync(join(buckets, "nobodys"), { recursive: true, force: true });
      }
    }, 60_000);
  });
});

group("ExportImages without buckets", () => {
  it("says the server has no buckets when OPENCVM_BUCKETS is unset and the data is in memory", async () => {
    const bare = await startServer({ OPENCVM_TIMING: "instant" });
    try {
      const err = await sdkError(cvmClient(bare, { language: "en-US" }).ExportImages({ BucketName: BUCKET, ImageIds: ["img-zzzzzzzz"] }));
      expect(err.code).toBe("InvalidImageId.NotFound");
      const image = await captured(cvmClient(bare, { language: "en-US" }));
      const none = await sdkError(cvmClient(bare, { language: "en-US" }).ExportImages({ BucketName: BUCKET, ImageIds: [image] }));
      expect(none).toMatchObject({ code: "InvalidParameterValue.BucketNotFound", message: expect.stringContaining("OPENCVM_BUCKETS") });
    } finally {
      await bare.close();
    }
  });
});
