// The opencvm command as a user runs it: a child process, its exit code, and what it printed.
import { execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ADMIN_TOKEN } from "./server.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `opencvm …args` from the sources, with `env` added to this process's (minus any OPENCVM_ setting of its own),
 * and the test servers' admin token unless `env` names another.
 */
export function opencvm(args: readonly string[], env: Record<string, string> = {}, input?: string): Promise<Ran> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OPENCVM_") && !k.startsWith("TENCENTCLOUD_")));
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { cwd: ROOT, env: { ...clean, OPENCVM_ADMIN_TOKEN: ADMIN_TOKEN, ...env }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Runs a shell line in the project directory (for pipes such as `opencvm catalog | head`). */
export function shell(line: string, env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-o", "pipefail", "-c", line], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** An error the command reported: one line on stderr, no stack frame. */
export function oneLineError(r: Ran): string {
  const lines = r.stderr.trim().split("\n");
  if (lines.length !== 1 || /^\s+at /m.test(r.stderr)) throw new Error(`expected one line on stderr, got:\n${r.stderr}`);
  return lines[0];
}
