// The qemu backend with OpenCVM's own image (scripts/build-guest-image.sh): a machine launched through the official
// SDK with a key pair from CreateKeyPair is logged into over SSH with that key, has run its user data, and reads
// its own id and zone from the metadata service, which knows nothing of another instance; that other one, launched
// with a password, is logged into with the password. Rebooted, the guest boots again (a new boot id); given a new
// type while running, it is shut down, changed and started, and sees its new CPUs and memory from inside.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import type { QemuBackend } from "../../src/compute/qemu/backend.js";
import { imageIdOf } from "../../src/compute/qemu/image-dir.js";
import { guestSsh, guestSshReady } from "../helpers/guest-ssh.js";
import { cvmClient, startServer, type TestServer } from "../helpers/server.js";
import { waitFor, waitGone, ZONE } from "../helpers/instances.js";
import { cleanUp, qemuPids } from "../helpers/qemu-processes.js";

const BOOT_MS = 150_000;
const work = mkdtempSync(join(tmpdir(), "opencvm-login-"));
// The image is built once per machine (the script does nothing when its build id matches) and kept between runs.
const images = join(tmpdir(), "opencvm-test-images");
const MINI = imageIdOf("opencvm-mini");

let server: TestServer;
const cvm = () => cvmClient(server, { language: "en-US" });
let keyFile: string;
let ids: string[] = [];
const PASSWORD = "Opencvm-Login-2024";

const ssh = (id: string, command: string, password?: string) => guestSsh(server, keyFile, id, command, password);
const sshReady = (id: string, password?: string) => guestSshReady(server, keyFile, id, BOOT_MS, password);

beforeAll(async () => {
  execFileSync("bash", ["scripts/build-guest-image.sh", "--images", images], { stdio: "ignore", timeout: 600_000 });
  server = await startServer({ OPENCVM_DATA: join(work, "data"), OPENCVM_COMPUTE: "qemu", OPENCVM_IMAGES: images, OPENCVM_SOFT_STOP_TIMEOUT: "30" });
}, 660_000);

afterAll(() => cleanUp(server, work));

group("logging into a qemu machine", () => {
  it("logs in with the key pair's private key, finds its user data run, and reads only its own metadata", async () => {
    const key = await cvm().CreateKeyPair({ KeyName: "login", ProjectId: 0 });
    keyFile = join(work, "id_rsa");
    writeFileSync(keyFile, key.KeyPair!.PrivateKey!);
    chmodSync(keyFile, 0o600);
    const userData = Buffer.from("#!/bin/sh\necho ran-from-user-data > /root/user-data-ran\n").toString("base64");
    const launch = (extra: object) =>
      cvm().RunInstances({ Placement: { Zone: ZONE }, ImageId: MINI, InstanceType: "S5.SMALL1", SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskSize: 20 }, LoginSettings: { KeyIds: [key.KeyPair!.KeyId!] }, ...extra });
    const [mine] = (await launch({ UserData: userData })).InstanceIdSet!;
    const [other] = (await launch({ LoginSettings: { Password: PASSWORD } })).InstanceIdSet!;
    ids = [mine, other];
    await waitFor(cvm(), ids, "RUNNING", BOOT_MS);
    await sshReady(mine);

    // User data runs in the background once SSH is up, as on the real cloud.
    const until = Date.now() + 60_000;
    while (!(await ssh(mine, "cat /root/user-data-ran")).ok && Date.now() < until) await new Promise((r) => setTimeout(r, 1000));
    expect(await ssh(mine, "cat /root/user-data-ran")).toEqual({ ok: true, out: "ran-from-user-data" });
    const md = async (path: string) => (await ssh(mine, `printf 'GET /latest/meta-data/${path} HTTP/1.0\\r\\n\\r\\n' | nc -w 3 169.254.0.23 80`)).out;
    expect(await md("instance-id")).toMatch(new RegExp(`^HTTP/1.1 200 OK[\\s\\S]*\\r\\n\\r\\n${mine}$`));
    expect(await md("placement/zone")).toMatch(new RegExp(`\\r\\n\\r\\n${ZONE}$`));
    // The service answers each machine about itself: asked about the other instance, it knows no such path.
    expect(await md(`${other}/instance-id`)).toMatch(/^HTTP\/1.1 404/);
    // Its SSH server shows the host key the backend made for it (and the operator's view shows), not one of its own.
    const view = await (server.backend as QemuBackend).view(mine);
    const port = (server.backend as QemuBackend).forwardedPorts(mine).find((p) => p.guestPort === 22)!.hostPort;
    const scanned = execFileSync("ssh-keyscan", ["-t", "ed25519", "-p", String(port), "127.0.0.1"], { encoding: "utf8", timeout: 20_000 });
    expect(view?.hostKey).toMatch(/^ssh-ed25519 /);
    expect(scanned).toContain(view!.hostKey!);
    expect((await (server.backend as QemuBackend).view(other))?.hostKey).not.toBe(view!.hostKey);
  }, BOOT_MS + 60_000);

  it("logs in with the password given at launch, and not with another", async () => {
    const [, other] = ids;
    await sshReady(other, PASSWORD);
    expect(await ssh(other, "hostname && id -u", PASSWORD)).toEqual({ ok: true, out: expect.stringMatching(/\n0$/) });
    expect((await ssh(other, "true", "Not-The-Password-1")).ok).toBe(false);
    // Bound to no key pair, the machine lets no key in.
    expect((await ssh(other, "true")).ok).toBe(false);
  }, BOOT_MS + 30_000);

  it("reboots the guest: it boots again and is reachable as before", async () => {
    const [mine] = ids;
    const bootId = (await ssh(mine, "cat /proc/sys/kernel/random/boot_id")).out;
    expect(bootId).toMatch(/^[0-9a-f-]{36}$/);
    await cvm().RebootInstances({ InstanceIds: [mine] });
    await waitFor(cvm(), [mine], "RUNNING", BOOT_MS);
    await sshReady(mine);
    const after = await ssh(mine, "cat /proc/sys/kernel/random/boot_id; cat /root/user-data-ran");
    expect(after.ok).toBe(true);
    const [again, userData] = after.out.split("\n");
    expect(again).toMatch(/^[0-9a-f-]{36}$/);
    expect(again).not.toBe(bootId);
    expect(userData).toBe("ran-from-user-data");
  }, 2 * BOOT_MS);

  it("changes the type of the running guest without ForceStop: it sees the new CPUs and memory", async () => {
    const [mine] = ids;
    const seen = async () => (await ssh(mine, "nproc; awk '/MemTotal/ {print $2}' /proc/meminfo")).out.split("\n").map(Number);
    const [cpus, memKb] = await seen();
    expect(cpus).toBe(1);
    expect(memKb).toBeLessThan(1024 * 1024);
    await cvm().ResetInstancesType({ InstanceIds: [mine], InstanceType: "S5.MEDIUM2" });
    const [changed] = await waitFor(cvm(), [mine], "RUNNING", BOOT_MS);
    expect([changed.InstanceType, changed.LatestOperationState]).toEqual(["S5.MEDIUM2", "SUCCESS"]);
    await sshReady(mine);
    const [cpusNow, memNow] = await seen();
    expect(cpusNow).toBe(2);
    // 2 GiB less what the kernel keeps for itself.
    expect(memNow).toBeGreaterThan(1.5 * 1024 * 1024);
  }, 2 * BOOT_MS);

  it("terminates the machines and leaves nothing behind", async () => {
    await cvm().TerminateInstances({ InstanceIds: ids });
    await waitGone(cvm(), ids, 60_000);
    expect(qemuPids(work)).toEqual([]);
    expect(readdirSync(join(work, "data", "vms"))).toEqual([]);
  }, 70_000);
});
