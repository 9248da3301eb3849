// SSH into a qemu machine through its forwarded port 22, with a key file or a password, as the VM tests log in.
// Asynchronous: the metadata service the guest may call meanwhile answers from the test's own process.
import { execFile } from "node:child_process";
import type { QemuBackend } from "../../src/compute/qemu/backend.js";
import type { TestServer } from "./server.js";

/** Runs a command on the instance; the output, or the error it ended with. */
export function guestSsh(server: TestServer, keyFile: string, id: string, command: string, password?: string): Promise<{ ok: boolean; out: string }> {
  const port = (server.backend as QemuBackend).forwardedPorts(id).find((p) => p.guestPort === 22)?.hostPort;
  if (!port) return Promise.resolve({ ok: false, out: "port 22 not forwarded" });
  const how = password ? ["-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password"] : ["-i", keyFile, "-o", "BatchMode=yes"];
  const args = [...how, "-p", String(port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR", "root@127.0.0.1", command];
  // sshpass types the password at ssh's prompt, as a person would; it takes it from the environment (SSHPASS).
  const [program, argv] = password ? ["sshpass", ["-e", "ssh", ...args]] : ["ssh", args];
  return new Promise((resolve) => {
    execFile(program, argv, { encoding: "utf8", timeout: 20_000, env: { ...process.env, SSHPASS: password ?? "" } }, (err, stdout, stderr) => resolve({ ok: !err, out: (stdout + stderr).trim() }));
  });
}

/** Waits up to `ms` until a login succeeds. */
export async function guestSshReady(server: TestServer, keyFile: string, id: string, ms: number, password?: string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const r = await guestSsh(server, keyFile, id, "true", password);
    if (r.ok) return;
    if (Date.now() > until) throw new Error(`no SSH login to ${id}: ${r.out}`);
    await new Promise((res) => setTimeout(res, 1000));
  }
}
