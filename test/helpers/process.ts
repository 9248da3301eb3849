// OpenCVM as a separate process, for tests that must kill it the hard way.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { readAdminToken } from "../../src/admin-token.js";
import { loadConfig } from "../../src/config.js";
import { storeFor } from "./databases.js";
import { ADMIN_TOKEN, SECRET_ID, SECRET_KEY, type TestServer } from "./server.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  /** Enough of a TestServer for the SDK client helpers. */
  target: TestServer;
  output: () => string;
}

/**
 * A server on data directory `data` (in the `postgres` vitest project, on the database kept for it). `uid`: run
 * the server as that user (and its group of the same number), as root can.
 */
export async function spawnServer(data: string, port: number, env: Record<string, string> = {}, uid?: number): Promise<ServerProcess> {
  const location = await storeFor(data);
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "serve"], {
    cwd: ROOT,
    ...(uid === undefined ? {} : { uid, gid: uid }),
    env: { ...process.env, OPENCVM_DATA: data, ...(location !== data ? { OPENCVM_DATABASE_URL: location } : {}), OPENCVM_PORT: String(port), OPENCVM_SECRET_ID: SECRET_ID, OPENCVM_SECRET_KEY: SECRET_KEY, OPENCVM_RATE_LIMIT: "off", OPENCVM_ADMIN_TOKEN: ADMIN_TOKEN, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const until = Date.now() + 20000;
  while (!out.includes("OpenCVM listening")) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    if (Date.now() > until) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const adminToken = { token: readAdminToken(loadConfig({ OPENCVM_DATA: data, OPENCVM_ADMIN_TOKEN: env.OPENCVM_ADMIN_TOKEN ?? ADMIN_TOKEN }, [])) };
  const target = { endpoint: `127.0.0.1:${port}`, port, url: `http://127.0.0.1:${port}`, adminToken } as TestServer;
  return { child, target, output: () => out };
}

export function kill9(p: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    p.child.once("exit", () => resolve());
    p.child.kill("SIGKILL");
  });
}
