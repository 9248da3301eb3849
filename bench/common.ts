// What the benchmarks share: OpenCVM and the bare ceiling as child processes, TC3 requests signed as the official
// Node SDK signs them, and medians.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { connect, createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", ".."); // dist/bench → the project
export const SECRET_ID = "AKIDbench00000000000000000000000000ID";
export const SECRET_KEY = "benchSecretKey0000000000000000Key";

const children = new Set<ChildProcess>();
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

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

/** Runs `node <script>` with `env`; resolves once `ready` matches its standard output. */
export async function child(script: string, env: Record<string, string>, ready: RegExp): Promise<{ proc: ChildProcess; match: RegExpMatchArray }> {
  const proc = spawn(process.execPath, [join(ROOT, script), ...(script.endsWith("cli.js") ? ["serve"] : [])], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(proc);
  proc.once("exit", () => children.delete(proc));
  let out = "";
  return new Promise((resolve, reject) => {
    const look = (d: Buffer) => {
      if (out.length < 65536) out += d;
      const m = out.match(ready);
      if (m) {
        proc.stdout!.off("data", look);
        proc.stdout!.resume();
        resolve({ proc, match: m });
      }
    };
    proc.stdout!.on("data", look);
    proc.stderr!.on("data", (d) => (out += d));
    proc.once("exit", (code) => reject(new Error(`${script} exited (${code}): ${out}`)));
  });
}

/** The resident memory of a process, in MiB (Linux). */
export function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1];
  return Number(kb) / 1024;
}

/** CPU time a process has used so far, in ms (Linux /proc; NaN elsewhere). */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in ticks of 10 ms (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** Issue #16's target for a real machine: SSH-ready within 10 s of RunInstances, one machine, software emulation. */
export const SSH_READY_TARGET_S = 10;

/** The target beside a figure: "10 s: met" or "10 s: missed". */
export function sshTarget(seconds: number): string {
  return `${SSH_READY_TARGET_S} s: ${seconds <= SSH_READY_TARGET_S ? "met" : "missed"}`;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const hmac = (key: string | Buffer, msg: string) => createHmac("sha256", key).update(msg).digest();

/** Headers of a TC3 POST as the official Node SDK signs it: service from the endpoint, host without its port. */
export function signedHeaders(port: number, action: string, body: string, region = "ap-guangzhou"): Record<string, string> {
  const endpoint = `127.0.0.1:${port}`;
  const service = endpoint.split(".")[0];
  const timestamp = Math.floor(Date.now() / 1000);
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const canonical = `POST\n/\n\ncontent-type:application/json\nhost:127.0.0.1\n\ncontent-type;host\n${sha256(body)}`;
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonical)}`;
  const signature = createHmac("sha256", hmac(hmac(hmac(`TC3${SECRET_KEY}`, date), service), "tc3_request")).update(stringToSign).digest("hex");
  return {
    Host: endpoint,
    "Content-Type": "application/json",
    "X-TC-Action": action,
    "X-TC-Version": "2017-03-12",
    "X-TC-Region": region,
    "X-TC-Timestamp": String(timestamp),
    Authorization: `TC3-HMAC-SHA256 Credential=${SECRET_ID}/${date}/${service}/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`,
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One signed API call over a kept-alive connection; rejects on an API error so no benchmark measures errors. */
export function call(port: number, action: string, params: object, retried = false): Promise<{ ms: number; body: string; response: Record<string, unknown> }> {
  const body = JSON.stringify(params);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", headers: signedHeaders(port, action, body), agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const ms = performance.now() - started;
        const text = Buffer.concat(chunks).toString("utf8");
        const response = (JSON.parse(text) as { Response: Record<string, unknown> }).Response;
        if (response.Error) reject(new Error(`${action}: ${JSON.stringify(response.Error)}`));
        else resolve({ ms, body: text, response });
      });
    });
    // A connection left idle longer than the server keeps it (a long month) may be closed just as it is reused:
    // nothing was answered, so it is asked once more on a new one.
    req.on("error", (e: NodeJS.ErrnoException) => (req.reusedSocket && e.code === "ECONNRESET" && !retried ? resolve(call(port, action, params, true)) : reject(e)));
    req.end(body);
  });
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

export function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Whether a TCP port on loopback answers with an SSH banner within 3 s. */
export function sshBanner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.setTimeout(3000, () => done(false));
    s.on("data", (d) => done(String(d).startsWith("SSH-")));
    s.on("error", () => done(false));
    s.on("close", () => done(false));
  });
}
