// A real cloud image on the qemu backend: the Debian cloud image scripts/build-cloud-image.sh builds (its own boot
// loader, systemd, Debian's cloud-init, OpenSSH) is imported through the official SDK's ImportImage from the
// operator's import directory, launched with a key pair, a host name and #cloud-config user data, and configured
// by cloud-init from its NoCloud seed: the key logs in over SSH, the host name is set, the user data ran, and the
// metadata service answers at its documented address. Systemd and cloud-init's Python boot for minutes under
// software emulation on a loaded machine, hence a long test.
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import type { QemuBackend } from "../../src/compute/qemu/backend.js";
import { cvmClient, startServer, type TestServer } from "../helpers/server.js";
import { waitFor, waitGone, ZONE } from "../helpers/instances.js";
import { cleanUp, qemuPids } from "../helpers/qemu-processes.js";

const BOOT_MS = 540_000;
const work = mkdtempSync(join(tmpdir(), "opencvm-cloudimg-"));
// Built once per machine and kept between runs (the script does nothing when its build id matches).
const imports = join(tmpdir(), "opencvm-test-cloud-images");
const images = join(work, "images");

let server: TestServer;
const cvm = () => cvmClient(server, { language: "en-US" });
let keyFile: string;
let id: string;

function ssh(command: string): Promise<{ ok: boolean; out: string }> {
  const port = (server.backend as QemuBackend).forwardedPorts(id).find((p) => p.guestPort === 22)?.hostPort;
  if (!port) return Promise.resolve({ ok: false, out: "port 22 not forwarded" });
  const args = ["-i", keyFile, "-o", "BatchMode=yes", "-p", String(port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR", "root@127.0.0.1", command];
  return new Promise((resolve) => {
    execFile("ssh", args, { encoding: "utf8", timeout: 120_000 }, (err, stdout, stderr) => resolve({ ok: !err, out: (stdout + stderr).trim() }));
  });
}

async function until<T>(what: string, ms: number, probe: () => Promise<{ ok: boolean; out: T }>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const r = await probe();
    if (r.ok) return r.out;
    if (Date.now() > end) throw new Error(`${what}: ${String(r.out)}`);
    await new Promise((res) => setTimeout(res, 2000));
  }
}

beforeAll(async () => {
  execFileSync("bash", ["scripts/build-cloud-image.sh", "--out", imports], { stdio: "ignore", timeout: 1_200_000 });
  mkdirSync(images);
  server = await startServer({ OPENCVM_DATA: join(work, "data"), OPENCVM_COMPUTE: "qemu", OPENCVM_IMAGES: images, OPENCVM_IMPORT_DIR: imports, OPENCVM_SOFT_STOP_TIMEOUT: "60" });
}, 1_260_000);

afterAll(() => cleanUp(server, work));

group("a Debian cloud image with cloud-init", () => {
  let imageId: string;

  it("imports the disk into the images directory as an image that boots itself", async () => {
    await cvm().ImportImage({ ImageUrl: join(imports, "debian-cloud", "disk.qcow2"), ImageName: "debian-cloud", OsType: "Debian", OsVersion: "12", Architecture: "x86_64" });
    imageId = await until("the import did not finish", 300_000, async () => {
      const [image] = (await cvm().DescribeImages({ Filters: [{ Name: "image-name", Values: ["debian-cloud"] }] })).ImageSet ?? [];
      return { ok: image?.ImageState === "NORMAL", out: image?.ImageId ?? `state ${image?.ImageState}` };
    });
    expect(readdirSync(join(images, imageId)).sort()).toEqual(["disk.qcow2", "image.json"]);
    const info = JSON.parse(execFileSync("qemu-img", ["info", "--output=json", join(images, imageId, "disk.qcow2")], { encoding: "utf8" }));
    expect([info.format, info["backing-filename"]]).toEqual(["qcow2", undefined]);
  }, 310_000);

  it("boots it, and cloud-init installs the key, sets the host name and runs the user data", async () => {
    const key = await cvm().CreateKeyPair({ KeyName: "cloudimg", ProjectId: 0 });
    keyFile = join(work, "id_rsa");
    writeFileSync(keyFile, key.KeyPair!.PrivateKey!);
    chmodSync(keyFile, 0o600);
    const userData = [
      "#cloud-config",
      "write_files:",
      "  - path: /root/from-cloud-config",
      '    content: "written by cloud-init\\n"',
      "runcmd:",
      '  - [sh, -c, "echo ran-from-user-data > /root/user-data-ran"]',
      "",
    ].join("\n");
    const started = Date.now();
    [id] = (await cvm().RunInstances({
      Placement: { Zone: ZONE }, ImageId: imageId, InstanceType: "S5.SMALL2", HostName: "cloudy",
      SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskSize: 20 }, LoginSettings: { KeyIds: [key.KeyPair!.KeyId!] },
      UserData: Buffer.from(userData).toString("base64"),
    })).InstanceIdSet!;
    await waitFor(cvm(), [id], "RUNNING", 120_000);
    await until("no SSH login with the key pair", BOOT_MS, () => ssh("true"));
    console.log(`cloud image: SSH login ${((Date.now() - started) / 1000).toFixed(1)} s after RunInstances`);
    // runcmd runs in cloud-init's last stage, after SSH is up; that stage's end writes boot-finished, and
    // result.json lists what failed in any stage (read with cat: Python's start alone takes long under emulation).
    await until("cloud-init did not finish", BOOT_MS, () => ssh("test -f /var/lib/cloud/instance/boot-finished"));
    console.log(`cloud image: cloud-init done ${((Date.now() - started) / 1000).toFixed(1)} s after RunInstances`);
    const result = JSON.parse((await ssh("cat /run/cloud-init/result.json")).out) as { v1: { datasource: string; errors: string[] } };
    expect(result.v1.errors).toEqual([]);
    expect(result.v1.datasource).toMatch(/NoCloud/);
    expect((await ssh("hostname; cat /root/from-cloud-config /root/user-data-ran")).out.split("\n")).toEqual(["cloudy", "written by cloud-init", "ran-from-user-data"]);
    // cloud-init took the instance's id from the seed, and the address from its network-config.
    expect((await ssh("cat /var/lib/cloud/data/instance-id")).out).toBe(id);
    const [instance] = (await cvm().DescribeInstances({ InstanceIds: [id] })).InstanceSet!;
    expect((await ssh("ip -4 -o addr show dev eth0")).out).toContain(`inet ${instance.PrivateIpAddresses![0]}/`);
    // bash's own /dev/tcp: the image has no HTTP client but Python's, slow to start under emulation.
    const get = async (path: string) => (await ssh(`exec 3<>/dev/tcp/169.254.0.23/80; printf 'GET ${path} HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3`)).out;
    expect(await get("/latest/meta-data/instance-id")).toMatch(new RegExp(`^HTTP/1.1 200 OK[\\s\\S]*\\r\\n\\r\\n${id}$`));
    expect(await get("/latest/meta-data/placement/zone")).toMatch(new RegExp(`\\r\\n\\r\\n${ZONE}$`));
  }, 2 * BOOT_MS + 120_000);

  it("terminates the machine and leaves nothing behind", async () => {
    await cvm().TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm(), [id], 60_000);
    expect(qemuPids(work)).toEqual([]);
    expect(existsSync(join(work, "data", "vms", id))).toBe(false);
  }, 70_000);
});
