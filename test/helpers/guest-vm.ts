// A guest booted with QEMU directly (no OpenCVM backend): the image's kernel and initramfs, a copy-on-write disk
// over its system disk, the restricted user network with the metadata guestfwd and SSH forwarded to a loopback
// port, an entropy source, the serial console in a file and QMP on a unix socket. Every wait is bounded.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { guestNetworkParams, userNetdev } from "../../src/compute/qemu/user-network.js";
import type { Endpoint } from "../../src/compute/qemu/metadata.js";
import { freePort } from "./process.js";

export interface GuestVm {
  sshPort: number;
  serialLog: string;
  /** The serial console so far. */
  console(): string;
  /** Settles with QEMU's exit code when the process ends. */
  exited: Promise<number | null>;
  /** ACPI power button, as the backend's soft stop presses it. */
  powerdown(): Promise<void>;
  kill(): void;
}

export interface GuestVmOptions {
  image: string;
  /** Where the VM's disk, console log and QMP socket go. */
  dir: string;
  endpoint: Endpoint;
  address?: string;
  gateway?: string;
  /** GiB of the system disk, larger than the image's to show the root file system growing. */
  diskGiB?: number;
  /** An existing disk to boot again instead of a new one. */
  reuseDisk?: boolean;
}

export async function bootGuest(o: GuestVmOptions): Promise<GuestVm> {
  const disk = join(o.dir, "system.qcow2");
  const serialLog = join(o.dir, `serial-${Date.now()}.log`);
  const qmp = join(o.dir, "qmp.sock");
  if (!o.reuseDisk || !existsSync(disk)) {
    execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", join(o.image, "disk.qcow2"), disk, `${o.diskGiB ?? 2}G`]);
  }
  const meta = JSON.parse(readFileSync(join(o.image, "image.json"), "utf8")) as { machine: string; append: string };
  const net = { id: "net0", endpoint: o.endpoint, address: o.address ?? "172.16.0.5/20", gateway: o.gateway ?? "172.16.0.1" };
  const sshPort = await freePort();
  const args = [
    "-M", meta.machine, "-accel", "tcg", "-m", "256M", "-smp", "1", "-nodefaults", "-no-user-config",
    "-kernel", join(o.image, "vmlinuz"), "-initrd", join(o.image, "initrd.img"),
    "-append", `console=ttyS0 panic=-1 ${guestNetworkParams(net)} ${meta.append}`,
    "-drive", `file=${disk},if=none,id=disk0,format=qcow2,cache=unsafe`, "-device", "virtio-blk-pci,drive=disk0",
    "-netdev", userNetdev({ ...net, hostForwards: [{ protocol: "tcp", hostAddress: "127.0.0.1", hostPort: sshPort, guestPort: 22 }] }),
    "-device", "virtio-net-pci,netdev=net0,romfile=",
    "-object", "rng-random,id=rng0,filename=/dev/urandom", "-device", "virtio-rng-pci,rng=rng0",
    "-chardev", `file,id=serial0,path=${serialLog}`, "-serial", "chardev:serial0",
    "-display", "none", "-no-reboot",
    "-qmp", `unix:${qmp},server=on,wait=off`,
  ];
  const child: ChildProcess = spawn("qemu-system-x86_64", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const console = () => (existsSync(serialLog) ? readFileSync(serialLog, "utf8") : "") + stderr;
  return {
    sshPort,
    serialLog,
    console,
    exited,
    powerdown: () => qmpCommand(qmp, "system_powerdown"),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** Polls until `check` gives a value (not undefined), or fails naming what was awaited. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined, describe?: () => string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe ? `\n${describe()}` : ""}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function qmpCommand(socket: string, command: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const c = createConnection(socket);
    let seen = "";
    const timer = setTimeout(() => c.destroy(new Error(`QMP ${command}: no answer`)), 10_000);
    c.setEncoding("utf8");
    c.on("connect", () => c.write(`{"execute":"qmp_capabilities"}\n{"execute":"${command}"}\n`));
    c.on("data", (d: string) => {
      seen += d;
      // The greeting, then one answer per command.
      if ((seen.match(/"return"/g) ?? []).length >= 2) {
        clearTimeout(timer);
        c.end();
        resolve();
      }
    });
    c.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

export interface SshResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const SSH_OPTIONS = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=15"];

/** Runs a command over SSH as root, logging in with the private key file or, with `password`, by password only. */
export function ssh(port: number, login: { key: string } | { password: string }, command: string, timeoutMs = 30_000): Promise<SshResult> {
  const target = ["-p", String(port), "root@127.0.0.1", command];
  const [file, args] =
    "key" in login
      ? ["ssh", [...SSH_OPTIONS, "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "PasswordAuthentication=no", "-i", login.key, ...target]]
      : ["sshpass", ["-p", login.password, "ssh", ...SSH_OPTIONS, "-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password", ...target]];
  return new Promise((resolve) => {
    execFile(file, args as string[], { timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
