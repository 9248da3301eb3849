// The QEMU processes a qemu backend test started, found by their command lines (each test works in a directory of
// its own), so that its clean-up kills those and no others.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import type { TestServer } from "./server.js";

export function qemuPids(work: string): number[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, "utf8");
        return cmd.startsWith("qemu-system-x86_64") && cmd.includes(work) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${p}/stat`, "utf8"));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Stops the server, kills whatever machines a failed test left running, and removes the test's directory. */
export async function cleanUp(server: TestServer | undefined, work: string): Promise<void> {
  await server?.close();
  for (const pid of qemuPids(work)) process.kill(pid, "SIGKILL");
  rmSync(work, { recursive: true, force: true });
}
