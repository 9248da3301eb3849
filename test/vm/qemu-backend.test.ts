// The qemu compute backend through the official SDK: real QEMU processes booting a busybox guest (TCG here, KVM
// where it works). Boots are slow under software emulation on a loaded machine, so each test bounds its waits and
// two machines share the work: `tiny` follows the power actions, `stubborn` ignores ACPI.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import type { QemuBackend } from "../../src/compute/qemu/backend.js";
import { imageIdOf } from "../../src/compute/qemu/image-dir.js";
import { admin as adminPath, commonClient, cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";
import { describe, imageIn, waitFor, waitGone, ZONE } from "../helpers/instances.js";
import { cleanUp, qemuPids } from "../helpers/qemu-processes.js";
import { writeTinyImages } from "../helpers/tiny-guest.js";

const BOOT_MS = 120_000;
const work = mkdtempSync(join(tmpdir(), "opencvm-qemu-"));
const data = join(work, "data");
const images = join(work, "images");
const ENV = { OPENCVM_DATA: data, OPENCVM_COMPUTE: "qemu", OPENCVM_IMAGES: images, OPENCVM_QEMU_ACCEL: "auto", OPENCVM_SOFT_STOP_TIMEOUT: "5", OPENCVM_HOST_CPUS: "1", OPENCVM_CPU_OVERCOMMIT: "4" };
const TINY = imageIdOf("tiny");
const STUBBORN = imageIdOf("tiny-stubborn");

let server: TestServer;
const cvm = () => cvmClient(server, { language: "en-US" });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const vpc = (action: string, params: object): Promise<any> => commonClient(server, "2017-03-12", { language: "en-US" }).request(action, params);
const backend = () => server.backend as QemuBackend;

/** The first line a TCP port answers with, or the error that refused it. */
function banner(port: number, ms = 5000): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    let got = "";
    const timer = setTimeout(() => (s.destroy(), resolve(got || "timeout")), ms);
    s.on("data", (d) => {
      got += String(d);
      if (got.includes("\n")) (clearTimeout(timer), s.destroy(), resolve(got.trim()));
    });
    s.on("error", (e: NodeJS.ErrnoException) => (clearTimeout(timer), resolve(e.code ?? e.message)));
    s.on("close", () => (clearTimeout(timer), resolve(got.trim() || "closed")));
  });
}

/** The banner of the guest's port 22, once it answers one, through whatever host port forwards it now. */
async function sshBanner(id: string, ms = BOOT_MS): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const port = backend().forwardedPorts(id).find((p) => p.guestPort === 22);
    const got = port ? await banner(port.hostPort, 3000) : "no forward";
    if (got.startsWith("SSH-2.0")) return got;
    if (Date.now() > until) throw new Error(`port 22 of ${id} did not answer: ${got}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const pidOf = (id: string) => Number(readFileSync(join(data, "vms", id, "qemu.pid"), "utf8"));
const diskInfo = (path: string) => JSON.parse(execFileSync("qemu-img", ["info", "-U", "--output=json", path], { encoding: "utf8" }));
/** Whether the disk holds the pattern a test wrote at 1 MiB. */
const readsPattern = (path: string) => spawnSync("qemu-io", ["-r", "-U", "-c", "read -P 0xab 1M 64k", path]).status === 0;

let groupId: string;
let tiny: string;
let stubborn: string;

beforeAll(async () => {
  writeTinyImages(images, join(work, "build"));
  server = await startServer(ENV);
  groupId = (await vpc("CreateSecurityGroup", { GroupName: "ssh", GroupDescription: "ssh only" })).SecurityGroup.SecurityGroupId;
  await vpc("CreateSecurityGroupPolicies", { SecurityGroupId: groupId, SecurityGroupPolicySet: { Ingress: [{ Protocol: "TCP", Port: "22", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }] } });
}, 60_000);

afterAll(() => cleanUp(server, work));

group("the qemu backend", () => {
  it("lists the images directory's images as public images", async () => {
    const set = (await cvm().DescribeImages({ ImageIds: [TINY, STUBBORN] })).ImageSet!;
    expect(set.map((i) => [i.ImageId, i.ImageType, i.OsName])).toEqual([
      [TINY, "PUBLIC_IMAGE", "Tiny busybox guest"],
      [STUBBORN, "PUBLIC_IMAGE", "Tiny busybox guest ignoring ACPI"],
    ]);
  });

  it("launches real machines that boot and answer on their forwarded SSH port", async () => {
    const launch = (ImageId: string) =>
      cvm().RunInstances({ Placement: { Zone: ZONE }, ImageId, InstanceType: "S5.SMALL1", SecurityGroupIds: [groupId], SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskSize: 20 } });
    [tiny] = (await launch(TINY)).InstanceIdSet!;
    [stubborn] = (await launch(STUBBORN)).InstanceIdSet!;
    await waitFor(cvm(), [tiny, stubborn], "RUNNING", BOOT_MS);
    expect(await sshBanner(tiny)).toContain("nproc=1");
    expect(await sshBanner(stubborn)).toContain("nproc=1");
    const dir = join(data, "vms", tiny);
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(["machine.json", "qemu.pid", "qmp.sock", "serial.log", "system.qcow2"]));
    expect(readFileSync(join(dir, "serial.log"), "utf8")).toMatch(/tiny-guest up nproc=1 memkb=\d+ ip=172\.16\.\d+\.\d+\/20/);
    expect((await fetch(new URL(`/_opencvm/vms/${tiny}`, server.url))).status).toBe(401);
    const admin = await (await adminPath(server, `/_opencvm/vms/${tiny}`)).json();
    expect(admin).toMatchObject({ instanceId: tiny, power: "running", pid: pidOf(tiny), ports: [{ guestPort: 22, host: "127.0.0.1", hostPort: expect.any(Number) }] });
    expect(admin.serialLog).toContain("tiny-guest up");
    const info = JSON.parse(execFileSync("qemu-img", ["info", "-U", "--output=json", join(dir, "system.qcow2")], { encoding: "utf8" }));
    expect([info["virtual-size"], info["backing-filename"]]).toEqual([20 * 1024 ** 3, join(images, "tiny", "disk.qcow2")]);
  }, BOOT_MS + 60_000);

  it("gives an image with cloud-init its NoCloud seed: a CIDATA disk the guest mounts, with the instance's documents", async () => {
    const userData = "#cloud-config\nruncmd:\n  - echo hello\n";
    const [cloud] = (await cvm().RunInstances({
      Placement: { Zone: ZONE }, ImageId: imageIdOf("tiny-cloud"), InstanceType: "S5.SMALL1", HostName: "cloudy",
      LoginSettings: { Password: "Seed-Passw0rd" }, UserData: Buffer.from(userData).toString("base64"),
    })).InstanceIdSet!;
    await waitFor(cvm(), [cloud], "RUNNING", BOOT_MS);
    const dir = join(data, "vms", cloud);
    // The files as the host wrote them, then as the guest reads them from the disk labelled CIDATA.
    expect(readdirSync(join(dir, "seed")).sort()).toEqual(["meta-data", "network-config", "user-data", "vendor-data"]);
    const metaData = readFileSync(join(dir, "seed", "meta-data"), "utf8");
    expect(metaData).toBe(`instance-id: "${cloud}"\nlocal-hostname: "cloudy"\n`);
    expect(readFileSync(join(dir, "seed", "user-data"), "utf8")).toBe(userData);
    const vendor = readFileSync(join(dir, "seed", "vendor-data"), "utf8");
    expect(vendor).toMatch(/^#cloud-config\nssh_pwauth: true\ndisable_root: false\nchpasswd:[\s\S]*password: "\$6\$/);
    const until = Date.now() + BOOT_MS;
    while (!readFileSync(join(dir, "serial.log"), "utf8").includes("seed-end") && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
    // The console's terminal ends lines with CR LF.
    const seen = readFileSync(join(dir, "serial.log"), "utf8").replaceAll("\r\n", "\n");
    expect(seen).toContain(`seed-file meta-data:\n${metaData}`);
    expect(seen).toContain(`seed-file user-data:\n${userData}`);
    expect(seen).toContain(`seed-file vendor-data:\n${vendor}`);
    await cvm().TerminateInstances({ InstanceIds: [cloud] });
    await waitGone(cvm(), [cloud], 30_000);
  }, 2 * BOOT_MS);

  it("refuses a launch the host cannot hold, creating nothing", async () => {
    const before = (await cvm().DescribeInstances({})).TotalCount;
    const err = await sdkError(cvm().RunInstances({ Placement: { Zone: ZONE }, ImageId: TINY, InstanceType: "S5.MEDIUM2", InstanceCount: 2 }));
    expect(err.code).toBe("ResourceInsufficient.SpecifiedInstanceType");
    expect(err.message).toContain("2 of 4 vCPUs");
    expect((await cvm().DescribeInstances({})).TotalCount).toBe(before);
    expect(readdirSync(join(data, "vms")).sort()).toEqual([tiny, stubborn].sort());
  });

  it("closes and opens the SSH port as the security group's rules change", async () => {
    const rule = { Protocol: "TCP", Port: "22", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" };
    const hostPort = backend().forwardedPorts(tiny).find((p) => p.guestPort === 22)!.hostPort;
    await vpc("DeleteSecurityGroupPolicies", { SecurityGroupId: groupId, SecurityGroupPolicySet: { Ingress: [rule] } });
    await server.engine.syncAccess();
    expect(backend().forwardedPorts(tiny)).toEqual([]);
    expect(await banner(hostPort)).toMatch(/ECONNREFUSED|closed/);
    await vpc("CreateSecurityGroupPolicies", { SecurityGroupId: groupId, SecurityGroupPolicySet: { Ingress: [rule] } });
    await server.engine.syncAccess();
    expect(await sshBanner(tiny, 10_000)).toContain("SSH-2.0");
  }, 30_000);

  it("changes a running guest's type: fails when it ignores ACPI, cuts its power with ForceStop", async () => {
    const pid = pidOf(stubborn);
    await cvm().ResetInstancesType({ InstanceIds: [stubborn], InstanceType: "S5.MEDIUM2" });
    const [refused] = await waitFor(cvm(), [stubborn], "RUNNING", 30_000);
    expect([refused.LatestOperationState, refused.InstanceType, pidOf(stubborn)]).toEqual(["FAILED", "S5.SMALL1", pid]);
    expect(await sshBanner(stubborn, 10_000)).toContain("nproc=1");
    await cvm().ResetInstancesType({ InstanceIds: [stubborn], InstanceType: "S5.MEDIUM2", ForceStop: true });
    const [changed] = await waitFor(cvm(), [stubborn], "RUNNING", BOOT_MS);
    expect([changed.LatestOperationState, changed.InstanceType]).toEqual(["SUCCESS", "S5.MEDIUM2"]);
    expect(await sshBanner(stubborn)).toContain("nproc=2");
  }, BOOT_MS + 60_000);

  it("fails a SOFT stop of a guest that ignores ACPI, and SOFT_FIRST then powers it off", async () => {
    await cvm().StopInstances({ InstanceIds: [stubborn], StopType: "SOFT" });
    const [after] = await waitFor(cvm(), [stubborn], "RUNNING", 30_000);
    expect(after.LatestOperationState).toBe("FAILED");
    await cvm().StopInstances({ InstanceIds: [stubborn], StopType: "SOFT_FIRST" });
    await waitFor(cvm(), [stubborn], "STOPPED", 30_000);
    expect(existsSync(join(data, "vms", stubborn, "system.qcow2"))).toBe(true);
  }, 70_000);

  it("grows, captures, exports and reinstalls a machine's disks as files", async () => {
    const dir = join(data, "vms", stubborn);
    // Bytes of the instance's own, to find again in the captured image and in its export.
    execFileSync("qemu-io", ["-c", "write -P 0xab 1M 64k", join(dir, "system.qcow2")]);
    await cvm().ResizeInstanceDisks({ InstanceId: stubborn, SystemDisk: { DiskSize: 30 } });
    await waitFor(cvm(), [stubborn], "STOPPED", 30_000);
    expect(diskInfo(join(dir, "system.qcow2"))["virtual-size"]).toBe(30 * 1024 ** 3);

    const { ImageId } = await cvm().CreateImage({ InstanceId: stubborn, ImageName: "captured" });
    await imageIn(cvm(), ImageId!, "NORMAL", 60_000);
    const captured = join(images, ImageId!, "disk.qcow2");
    expect(diskInfo(captured)).toMatchObject({ "virtual-size": 30 * 1024 ** 3 });
    expect(diskInfo(captured)["backing-filename"]).toBeUndefined();
    expect(readsPattern(captured)).toBe(true);

    mkdirSync(join(data, "buckets", "exports"), { recursive: true });
    const { CosPaths } = await cvm().ExportImages({ BucketName: "exports", ImageIds: [ImageId!], ExportFormat: "QCOW2" });
    const exported = join(data, "buckets", "exports", CosPaths![0]);
    const until = Date.now() + 60_000;
    while (!existsSync(exported) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(readsPattern(exported)).toBe(true);

    await cvm().ResetInstance({ InstanceId: stubborn, ImageId: TINY });
    await waitFor(cvm(), [stubborn], "RUNNING", BOOT_MS);
    expect(diskInfo(join(dir, "system.qcow2"))["backing-filename"]).toBe(join(images, "tiny", "disk.qcow2"));
    expect(readsPattern(join(dir, "system.qcow2"))).toBe(false);
  }, BOOT_MS + 120_000);

  it("stops a guest softly, starts it, and gives it the new type's CPUs and memory", async () => {
    await cvm().StopInstances({ InstanceIds: [tiny], StopType: "SOFT" });
    await waitFor(cvm(), [tiny], "STOPPED", 30_000);
    expect(readFileSync(join(data, "vms", tiny, "serial.log"), "utf8")).toContain("tiny-guest powering off");
    await cvm().ResetInstancesType({ InstanceIds: [tiny], InstanceType: "S5.MEDIUM2" });
    await waitFor(cvm(), [tiny], "RUNNING", BOOT_MS);
    const seen = await sshBanner(tiny);
    expect(seen).toContain("nproc=2");
    // 2 GiB less what the kernel keeps for itself.
    expect(Number(/memkb=(\d+)/.exec(seen)![1])).toBeGreaterThan(1.5 * 1024 * 1024);
  }, BOOT_MS + 60_000);

  it("adopts running machines after a server restart instead of starting them again", async () => {
    const pid = pidOf(tiny);
    await server.close();
    server = await startServer(ENV);
    await server.engine.reconcile();
    const [i] = await describe(cvm(), [tiny]);
    expect(i.InstanceState).toBe("RUNNING");
    expect(pidOf(tiny)).toBe(pid);
    expect(await sshBanner(tiny, 10_000)).toContain("nproc=2");
  }, 60_000);

  it("shows a machine whose QEMU process died as STOPPED", async () => {
    process.kill(pidOf(tiny), "SIGKILL");
    await waitFor(cvm(), [tiny], "STOPPED", 15_000);
  }, 20_000);

  it("leaves no process and no file of a terminated machine", async () => {
    await cvm().TerminateInstances({ InstanceIds: [tiny, stubborn] });
    await waitGone(cvm(), [tiny, stubborn], 30_000);
    expect(existsSync(join(data, "vms", tiny))).toBe(false);
    expect(existsSync(join(data, "vms", stubborn))).toBe(false);
    expect(qemuPids(work)).toEqual([]);
  }, 40_000);
});
