// OpenCVM's own image booted with QEMU directly and served by the real metadata service: SSH with a key made by
// ssh-keygen and, separately, with a password, to a server showing the host key the metadata gave; the hostname, the user data's effect and the instance's own metadata
// seen from inside; nothing else of the host reachable; the root file system grown to the disk; a clean power-off on
// the ACPI button; and at the next boot, keys and password as the metadata says now, the user data not run again.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GuestMetadata } from "../../src/compute/qemu/guest-metadata.js";
import { hashPassword } from "../../src/domain/password.js";
import { hostPublicKey, newHostKey } from "../../src/compute/qemu/host-key.js";
import { MetadataService } from "../../src/compute/qemu/metadata.js";
import { guestImage } from "../helpers/guest-image.js";
import { guestMetadata } from "../helpers/guest-metadata.js";
import { bootGuest, ssh, waitFor, type GuestVm } from "../helpers/guest-vm.js";

const BOOT_MS = 150_000;
const dir = mkdtempSync(join(tmpdir(), "opencvm-guest-"));
const keyFile = join(dir, "id_ed25519");

/** The host key the host made for the instance, which the guest's SSH server must show rather than one of its own. */
const HOST_KEY = newHostKey();

const USER_DATA = ["#!/bin/sh", "echo ran >> /root/user-data-runs", "echo made-by-user-data > /root/marker"].join("\n");

let metadata: MetadataService;
let current: GuestMetadata;
let hostService: Server;
let hostPort: number;
let vm: GuestVm | undefined;
let image: string;

function instance(id: string, over: Partial<GuestMetadata> = {}): GuestMetadata {
  return guestMetadata(id, {
    hostName: "guest-one",
    publicKeys: [{ keyId: "skey-test0001", openssh: readFileSync(`${keyFile}.pub`, "utf8").trim() }],
    passwordHash: hashPassword("First-Passw0rd"),
    userData: Buffer.from(USER_DATA).toString("base64"),
    hostKey: HOST_KEY,
    ...over,
  });
}

async function boot(reuseDisk: boolean): Promise<GuestVm> {
  const booted = await bootGuest({ image, dir, endpoint: { socket: join(dir, "md", "ins-guest001.sock") }, reuseDisk });
  vm = booted;
  await waitFor("the guest's SSH server", BOOT_MS, () => (booted.console().includes("opencvm: ssh ready") ? true : undefined), booted.console);
  return booted;
}

async function poweroff(guest: GuestVm): Promise<void> {
  await guest.powerdown();
  const code = await Promise.race([guest.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 60_000))]);
  expect(code, guest.console()).toBe(0);
  expect(guest.console()).toContain("reboot: Power down");
}

beforeAll(async () => {
  image = guestImage();
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "guest-test", "-f", keyFile]);
  // A service of the host's (as the API is) that the guest must not reach.
  hostService = createServer((_req, res) => res.end("host-only"));
  await new Promise<void>((r) => hostService.listen(0, "127.0.0.1", r));
  hostPort = (hostService.address() as { port: number }).port;
  metadata = new MetadataService(join(dir, "md"));
  current = instance("ins-guest001");
  await metadata.serve("ins-guest001", () => current);
  // Another VM's listener on the same host: its data must never reach this guest.
  await metadata.serve("ins-other002", () => instance("ins-other002", { zone: "ap-guangzhou-6", hostName: "other" }));
}, 660_000);

afterAll(async () => {
  vm?.kill();
  await metadata?.close();
  hostService?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("opencvm-mini under QEMU", () => {
  let guest: GuestVm;
  const key = () => ({ key: keyFile });

  it("boots to SSH and logs in with the key, under the hostname from the metadata", async () => {
    guest = await boot(false);
    const r = await waitFor("a key login", 60_000, async () => {
      const res = await ssh(guest.sshPort, key(), "hostname; id -u");
      return res.code === 0 ? res : undefined;
    });
    expect(r.stdout.split("\n").slice(0, 2)).toEqual(["guest-one", "0"]);
    expect(guest.console()).toContain("opencvm: instance ins-guest001, hostname guest-one, authorized keys: 1, password: set");
    const scanned = execFileSync("ssh-keyscan", ["-t", "ed25519", "-p", String(guest.sshPort), "127.0.0.1"], { encoding: "utf8", timeout: 20_000 });
    expect(scanned).toContain(hostPublicKey(HOST_KEY));
  }, BOOT_MS + 70_000);

  it("logs in with the password, and refuses a wrong one", async () => {
    const ok = await ssh(guest.sshPort, { password: "First-Passw0rd" }, "echo password-login");
    expect(ok.stdout.trim(), ok.stderr).toBe("password-login");
    const wrong = await ssh(guest.sshPort, { password: "Wrong-Passw0rd" }, "echo in");
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).not.toContain("in");
  }, 60_000);

  it("has run the user data once", async () => {
    const runs = await waitFor("the user data's effect", 30_000, async () => {
      const r = await ssh(guest.sshPort, key(), "cat /root/marker /root/user-data-runs 2>/dev/null");
      return r.stdout.includes("made-by-user-data") ? r.stdout : undefined;
    });
    expect(runs.trim().split("\n")).toEqual(["made-by-user-data", "ran"]);
  }, 60_000);

  it("reads its own id and zone from the metadata service, and the same from any path to it", async () => {
    const r = await ssh(
      guest.sshPort,
      key(),
      [
        ". /usr/lib/opencvm/metadata.sh",
        "metadata latest/meta-data/instance-id /tmp/id; echo; cat /tmp/id; echo",
        "metadata latest/meta-data/placement/zone /tmp/zone; cat /tmp/zone; echo",
        // By name, as Tencent's documentation writes it, and with a request naming the other instance.
        "printf 'GET /latest/meta-data/instance-id HTTP/1.0\\r\\nHost: metadata.tencentyun.com\\r\\n\\r\\n' | nc metadata.tencentyun.com 80 | tail -n 1; echo",
        "printf 'GET /ins-other002/latest/meta-data/instance-id HTTP/1.0\\r\\n\\r\\n' | nc 169.254.0.23 80 | head -n 1",
      ].join("\n"),
    );
    const lines = r.stdout.split("\n").filter(Boolean);
    expect(lines.slice(0, 3), r.stderr).toEqual(["ins-guest001", "ap-guangzhou-3", "ins-guest001"]);
    expect(lines[3]).toMatch(/ 404 /);
    expect(r.stdout).not.toContain("ins-other002");
    expect(r.stdout).not.toContain("ap-guangzhou-6");
  }, 60_000);

  it("reaches nothing of the host: not its loopback services through the gateway, nor other ports of 169.254.0.23", async () => {
    const probe = (address: string, port: number) => `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 5 nc -w 3 ${address} ${port} 2>&1; echo "rc=$?"`;
    const r = await ssh(guest.sshPort, key(), [probe("172.16.0.1", hostPort), probe("10.0.2.2", hostPort), probe("169.254.0.23", hostPort), probe("169.254.0.23", 22)].join("\n"));
    expect(r.stdout).not.toContain("host-only");
    expect(r.stdout).not.toContain("SSH-");
    expect(r.stdout.match(/rc=/g)).toHaveLength(4);
    expect(r.stdout).not.toContain("rc=0");
  }, 60_000);

  it("grows its root file system to the disk", async () => {
    const kib = await waitFor("the root file system to grow", 60_000, async () => {
      const r = await ssh(guest.sshPort, key(), "df -k / | tail -n 1");
      const size = Number(r.stdout.trim().split(/\s+/)[1]);
      return size > 1.5 * 1024 * 1024 ? size : undefined;
    });
    expect(kib).toBeLessThanOrEqual(2 * 1024 * 1024);
  }, 90_000);

  it("powers off cleanly on the ACPI power button", async () => {
    await poweroff(guest);
  }, 90_000);

  it("applies the metadata's keys and password again at the next boot, without running the user data again", async () => {
    current = { ...current, publicKeys: [], passwordHash: hashPassword("Second-Passw0rd"), hostName: "guest-renamed" };
    guest = await boot(true);
    const r = await waitFor("a password login", 60_000, async () => {
      const res = await ssh(guest.sshPort, { password: "Second-Passw0rd" }, "hostname; cat /root/user-data-runs");
      return res.code === 0 ? res : undefined;
    });
    expect(r.stdout.trim().split("\n")).toEqual(["guest-renamed", "ran"]);
    expect((await ssh(guest.sshPort, { password: "First-Passw0rd" }, "true")).code).not.toBe(0);
    expect((await ssh(guest.sshPort, key(), "true")).code).not.toBe(0);
    await poweroff(guest);
  }, BOOT_MS + 150_000);
});
