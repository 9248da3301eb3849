// Cloud disks on a real machine (the qemu backend, OpenCVM's own image): a disk made by CreateDisks is a file named
// by its id, hot-plugged into the running guest, written there, snapshotted with its bytes, unplugged; a disk made
// from the snapshot, attached, reads the same bytes back in the guest and grows there after a server restart;
// nothing is left once the disks, the snapshot and the instance are gone. One machine, to keep the load low.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import { imageIdOf } from "../../src/compute/qemu/image-dir.js";
import { guestSsh, guestSshReady } from "../helpers/guest-ssh.js";
import { waitFor, waitGone, ZONE } from "../helpers/instances.js";
import { cleanUp, qemuPids } from "../helpers/qemu-processes.js";
import { commonClient, cvmClient, startServer, type TestServer } from "../helpers/server.js";

const BOOT_MS = 150_000;
const GiB = 1024 ** 3;
const work = mkdtempSync(join(tmpdir(), "opencvm-disks-"));
const data = join(work, "data");
// Built once per machine and kept between runs (the script does nothing when its build id matches).
const images = join(tmpdir(), "opencvm-test-images");
const BYTES = "opencvm-cloud-disk-bytes";
const ENV = { OPENCVM_DATA: data, OPENCVM_COMPUTE: "qemu", OPENCVM_IMAGES: images, OPENCVM_SOFT_STOP_TIMEOUT: "30" };

let server: TestServer;
let keyFile: string;
let instance: string;
const cvm = () => cvmClient(server, { language: "en-US" });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const cbs = (action: string, params: object): Promise<any> => commonClient(server, "2017-03-12", { language: "en-US" }).request(action, params);
const ssh = async (command: string) => {
  const r = await guestSsh(server, keyFile, instance, command);
  if (!r.ok) throw new Error(`${command}: ${r.out}`);
  return r.out;
};

/** Polls `probe` until it returns something other than undefined, up to `ms`. */
async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function diskIn(diskId: string, state: string): Promise<{ DiskSize: number }> {
  return until(`${diskId} ${state}`, async () => {
    const [d] = (await cbs("DescribeDisks", { DiskIds: [diskId] })).DiskSet;
    return d.DiskState === state ? d : undefined;
  });
}

/** The guest's virtio disks: name → size in bytes (/sys/block counts 512-byte sectors). */
async function guestDisks(): Promise<Map<string, number>> {
  const out = await ssh("for d in /sys/block/vd*; do echo ${d##*/} $(cat $d/size); done");
  return new Map(out.split("\n").map((l) => l.split(" ")).map(([name, sectors]) => [name, Number(sectors) * 512]));
}

/** Waits until the guest shows exactly one disk beside `before`, and names it. */
const newDisk = (before: Map<string, number>) =>
  until("a new block device in the guest", async () => {
    const added = [...(await guestDisks()).keys()].filter((n) => !before.has(n));
    return added.length === 1 ? added[0] : undefined;
  });

const fileSize = (path: string) => JSON.parse(execFileSync("qemu-img", ["info", "-U", "--output=json", path], { encoding: "utf8" }))["virtual-size"] as number;

async function createDisk(params: object): Promise<string> {
  const [id] = (await cbs("CreateDisks", { Placement: { Zone: ZONE }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", ...params })).DiskIdSet;
  return id;
}

beforeAll(async () => {
  execFileSync("bash", ["scripts/build-guest-image.sh", "--images", images], { stdio: "ignore", timeout: 600_000 });
  server = await startServer(ENV);
  const key = await cvm().CreateKeyPair({ KeyName: "disks", ProjectId: 0 });
  keyFile = join(work, "id_rsa");
  writeFileSync(keyFile, key.KeyPair!.PrivateKey!);
  chmodSync(keyFile, 0o600);
  [instance] = (await cvm().RunInstances({
    Placement: { Zone: ZONE }, ImageId: imageIdOf("opencvm-mini"), InstanceType: "S5.SMALL1",
    SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskSize: 20 }, DataDisks: [{ DiskType: "CLOUD_PREMIUM", DiskSize: 40 }], LoginSettings: { KeyIds: [key.KeyPair!.KeyId!] },
  })).InstanceIdSet!;
  await waitFor(cvm(), [instance], "RUNNING", BOOT_MS);
  await guestSshReady(server, keyFile, instance, BOOT_MS);
}, 660_000 + BOOT_MS);

afterAll(() => cleanUp(server, work));

group("cloud disks on a qemu machine", () => {
  let launched: string;
  let first: string;
  let snapshot: string;
  let copy: string;

  it("launches with a data disk that is a file named by its id, and unplugs it from the running guest", async () => {
    launched = (await cvm().DescribeInstances({ InstanceIds: [instance] })).InstanceSet![0].DataDisks![0].DiskId!;
    expect(fileSize(join(data, "disks", `${launched}.qcow2`))).toBe(40 * GiB);
    const before = await guestDisks();
    expect([...before.values()].sort()).toEqual([20 * GiB, 40 * GiB]);
    await cbs("DetachDisks", { DiskIds: [launched] });
    await diskIn(launched, "UNATTACHED");
    expect([...(await guestDisks()).values()]).toEqual([20 * GiB]);
  }, 120_000);

  it("attaches a new disk to the running guest, which writes to it; a snapshot holds those bytes; detached, it is gone from the guest", async () => {
    first = await createDisk({ DiskSize: 10 });
    const file = join(data, "disks", `${first}.qcow2`);
    expect(await until("the disk's file", () => (existsSync(file) ? fileSize(file) : undefined))).toBe(10 * GiB);

    const before = await guestDisks();
    await cbs("AttachDisks", { InstanceId: instance, DiskIds: [first] });
    await diskIn(first, "ATTACHED");
    const dev = await newDisk(before);
    expect((await guestDisks()).get(dev)).toBe(10 * GiB);
    await ssh(`printf ${BYTES} | dd of=/dev/${dev} bs=512 seek=2048 conv=fsync 2>/dev/null`);

    snapshot = (await cbs("CreateSnapshot", { DiskId: first, SnapshotName: "bytes" })).SnapshotId;
    await until("the snapshot NORMAL", async () => ((await cbs("DescribeSnapshots", { SnapshotIds: [snapshot] })).SnapshotSet[0].SnapshotState === "NORMAL" ? true : undefined));
    expect(existsSync(join(data, "snapshots", `${snapshot}.qcow2`))).toBe(true);

    await cbs("DetachDisks", { DiskIds: [first] });
    await diskIn(first, "UNATTACHED");
    expect([...(await guestDisks()).keys()]).toEqual([...before.keys()]);
  }, 240_000);

  it("makes a disk from the snapshot whose bytes the guest reads back, and after a server restart grows it in the running guest", async () => {
    copy = await createDisk({ SnapshotId: snapshot, DiskSize: 20 });
    const before = await guestDisks();
    await cbs("AttachDisks", { InstanceId: instance, DiskIds: [copy], DeleteWithInstance: true });
    await diskIn(copy, "ATTACHED");
    const dev = await newDisk(before);
    expect((await guestDisks()).get(dev)).toBe(20 * GiB);
    expect(await ssh(`dd if=/dev/${dev} bs=512 skip=2048 count=1 2>/dev/null | head -c ${BYTES.length}`)).toBe(BYTES);

    // A restarted server adopts the running machine and knows its disks from its directory.
    await server.close();
    server = await startServer(ENV);
    await cbs("ResizeDisk", { DiskId: copy, DiskSize: 30 });
    expect((await diskIn(copy, "ATTACHED")).DiskSize).toBe(30);
    expect(await until("the guest to see 30 GiB", async () => ((await guestDisks()).get(dev) === 30 * GiB ? true : undefined))).toBe(true);
    expect(fileSize(join(data, "disks", `${copy}.qcow2`))).toBe(30 * GiB);
  }, 240_000);

  it("leaves no file once the disks, the snapshot and the instance are gone", async () => {
    await cbs("TerminateDisks", { DiskIds: [first, launched] });
    await cbs("DeleteSnapshots", { SnapshotIds: [snapshot] });
    await cvm().TerminateInstances({ InstanceIds: [instance] });
    await waitGone(cvm(), [instance], 60_000);
    // Files whose disks and snapshots are gone are swept with the engine's reconciliation (every 10 s).
    const left = () => [...readdirSync(join(data, "disks")), ...readdirSync(join(data, "snapshots")), ...readdirSync(join(data, "vms"))];
    expect(await until("no file left", () => (left().length === 0 ? true : undefined), 40_000)).toBe(true);
    expect(qemuPids(work)).toEqual([]);
  }, 120_000);
});
