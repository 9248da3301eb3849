// Running QEMU's programs and watching its processes: qemu-img, the daemonizing qemu-system-x86_64 (whose parent
// exits once the VM is set up, leaving the VM a child of init, not of this server), and liveness by pid.
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { BackendError } from "../backend.js";
import type { Accel } from "./command.js";

export const QEMU = "qemu-system-x86_64";

/** Runs a program to its end; a failure carries the last line it wrote. */
export function run(program: string, args: readonly string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const last = String(stderr || err.message).trim().split("\n").pop();
      reject(new BackendError(`${program} failed: ${last}`));
    });
  });
}

export const qemuImg = (...args: string[]) => run("qemu-img", args);

/**
 * Whether `pid` is a live QEMU process running from `dir` (a pid file outlives its process, and pids are reused).
 * A zombie counts as dead: it has stopped running and only waits for its parent to reap it.
 */
export async function isAlive(pid: number | undefined, dir: string): Promise<boolean> {
  if (!pid) return false;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    if (/^\d+ \(.*\) [ZX]/.test(stat)) return false;
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0");
    return cmdline.some((a) => a.includes(dir));
  } catch {
    return false;
  }
}

/** Waits until the process is gone, up to `timeoutMs`; true if it went. */
export async function waitGone(pid: number, dir: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (await isAlive(pid, dir)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/**
 * Whether KVM works here: /dev/kvm present, and a vCPU with the host's model runs for a moment without QEMU
 * aborting (on some hosts it aborts on an MSR, or the vCPU never makes progress).
 */
export async function probeKvm(): Promise<Accel> {
  if (!existsSync("/dev/kvm")) return "tcg";
  return new Promise((resolve) => {
    const child = spawn(QEMU, ["-accel", "kvm", "-cpu", "host", "-M", "pc", "-nodefaults", "-no-user-config", "-display", "none", "-m", "64"], { stdio: "ignore" });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve("kvm");
    }, 2000);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve("tcg");
    });
    child.on("error", () => {
      clearTimeout(timer);
      resolve("tcg");
    });
  });
}
