// ImportImage on the qemu backend keeps the disk it read: converted to qcow2 in the images directory, marked to boot
// from its own boot loader with a NoCloud seed, and the account's custom image, not a public one. A qcow2 naming a
// file of the host's as its backing file fails the import and leaves nothing. (Booting a real cloud image takes
// minutes under emulation: test/long/cloud-image.test.ts.)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cvmClient, startServer, type TestServer } from "../helpers/server.js";

const work = mkdtempSync(join(tmpdir(), "opencvm-qimport-"));
const images = join(work, "images");
const imports = join(work, "import");
let server: TestServer;
const cvm = () => cvmClient(server, { language: "en-US" });

beforeAll(async () => {
  mkdirSync(images);
  mkdirSync(imports);
  // A raw disk: an MBR with one partition, and a pattern to find again after the conversion.
  const raw = join(imports, "disk.raw");
  execFileSync("truncate", ["-s", "4M", raw]);
  execFileSync("sfdisk", ["-q", raw], { input: "label: dos\nstart=2048, type=83\n" });
  execFileSync("qemu-io", ["-f", "raw", "-c", "write -P 0xcd 1M 64k", raw]);
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", "-b", "/etc/hostname", "-F", "raw", join(imports, "backed.qcow2"), "1M"]);
  server = await startServer({ OPENCVM_DATA: join(work, "data"), OPENCVM_COMPUTE: "qemu", OPENCVM_QEMU_ACCEL: "tcg", OPENCVM_IMAGES: images, OPENCVM_IMPORT_DIR: imports });
}, 60_000);

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

async function importAndWait(file: string, name: string): Promise<{ ImageId?: string; ImageState?: string; ImageType?: string }> {
  await cvm().ImportImage({ ImageUrl: join(imports, file), ImageName: name, OsType: "Debian", OsVersion: "12", Architecture: "x86_64" });
  const until = Date.now() + 30_000;
  for (;;) {
    const [image] = (await cvm().DescribeImages({ Filters: [{ Name: "image-name", Values: [name] }] })).ImageSet ?? [];
    if (image && image.ImageState !== "IMPORTING") return image;
    if (Date.now() > until) throw new Error(`${name} still importing`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

it("converts an imported raw disk to qcow2 in the images directory, booting from its own loader", async () => {
  const image = await importAndWait("disk.raw", "raw-disk");
  expect([image.ImageState, image.ImageType]).toEqual(["NORMAL", "PRIVATE_IMAGE"]);
  const dir = join(images, image.ImageId!);
  expect(readdirSync(dir).sort()).toEqual(["disk.qcow2", "image.json"]);
  expect(JSON.parse(readFileSync(join(dir, "image.json"), "utf8"))).toMatchObject({
    imageId: image.ImageId, boot: "firmware", datasource: "nocloud", importedFrom: join(imports, "disk.raw"),
  });
  const info = JSON.parse(execFileSync("qemu-img", ["info", "--output=json", join(dir, "disk.qcow2")], { encoding: "utf8" }));
  expect([info.format, info["virtual-size"]]).toEqual(["qcow2", 4 * 1024 * 1024]);
  // The same bytes: qemu-img compares the two disks' contents.
  execFileSync("qemu-img", ["compare", "-q", "-f", "raw", "-F", "qcow2", join(imports, "disk.raw"), join(dir, "disk.qcow2")]);
  // Not among the public images.
  const publicIds = (await cvm().DescribeImages({ Filters: [{ Name: "image-type", Values: ["PUBLIC_IMAGE"] }], Limit: 100 })).ImageSet!.map((i) => i.ImageId);
  expect(publicIds).not.toContain(image.ImageId);
});

it("fails the import of a qcow2 whose backing file is one of the host's, keeping nothing", async () => {
  const image = await importAndWait("backed.qcow2", "backed");
  expect(image.ImageState).toBe("IMPORTFAILED");
  expect(existsSync(join(images, image.ImageId!))).toBe(false);
  expect(readdirSync(images).filter((n) => n.includes(image.ImageId!))).toEqual([]);
});
