// The operator's paths, beside the Tencent API and not part of it, under /_opencvm/. What each path does is in
// admin-routes.ts; here are the door, the bodies and the two paths that are not JSON routes:
//   GET /_opencvm/health    liveness and readiness, and how far billing lags, to anyone (a load balancer or an
//                           orchestrator asks it)
//   GET /_opencvm/metrics   Prometheus metrics, behind the same door as the rest
// They move money and time, so a web page in the operator's browser must not reach them: every call carries the
// admin token in `Authorization: Bearer` (which no form can send, and no cross-origin script without a preflight,
// refused here with no CORS headers), names this server in its Host (a DNS-rebinding page names its own), and sends
// its body as JSON (a form cannot). Being local proves nothing: a proxy on this host makes every caller local.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { networkInterfaces } from "node:os";
import type { Deps } from "../deps.js";
import { AdminError, adminRoute, type AdminContext } from "./admin-routes.js";
import type { Metrics } from "./metrics.js";

export const ADMIN_PREFIX = "/_opencvm/";
const MAX_BODY = 4096;
/** A snapshot holds the whole store. */
const MAX_SNAPSHOT = 512 * 1024 * 1024;

export interface AdminPaths extends AdminContext {
  metrics: Metrics;
  /** The admin token (configured, or generated into the data directory). */
  token: string;
  /** False once the server stops taking work (a graceful shutdown), and until the store answers. */
  ready(): Promise<boolean>;
}

export async function serveAdmin(req: IncomingMessage, res: ServerResponse, a: AdminPaths): Promise<void> {
  const url = new URL(req.url ?? "/", "http://admin");
  const path = url.pathname.slice(ADMIN_PREFIX.length);
  const method = req.method ?? "GET";
  if (method === "GET" && path === "health") {
    const ready = await a.ready();
    // Billing falling behind does not make the server unready: it still answers. Which accounts fail is for operators.
    const billing = a.timekeeper && (await a.timekeeper.status().catch(() => undefined));
    const answer = { Live: true, Ready: ready, ...(billing ? { Billing: { LagSeconds: billing.lagSeconds, Failures: billing.failures } } : {}) };
    res.writeHead(ready ? 200 : 503, { "Content-Type": "application/json" }).end(JSON.stringify(answer));
    return;
  }
  let status = 200;
  let answer: object;
  try {
    guard(req, a);
    if (method === "GET" && path === "metrics") {
      const text = await a.metrics.registry.metrics();
      res.writeHead(200, { "Content-Type": a.metrics.registry.contentType }).end(text);
      return;
    }
    answer = await adminRoute(a, method, path, url.searchParams, () => readJson(req, path === "state" ? MAX_SNAPSHOT : MAX_BODY));
  } catch (e) {
    if (!(e instanceof AdminError)) throw e;
    status = e.status;
    answer = { Error: e.message };
  }
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (status === 401) headers["WWW-Authenticate"] = 'Bearer realm="opencvm-admin"';
  if (status === 405) headers.Allow = "GET, POST";
  res.writeHead(status, headers).end(JSON.stringify(answer));
  // Who asked, and what was done or refused.
  const remote = req.socket.remoteAddress;
  if (status >= 400 && status !== 404) a.deps.log.warn("admin refused", { method, path: req.url, status, remote, reason: (answer as { Error: string }).Error });
  else if (method === "GET") a.deps.log.info("admin", { method, path: req.url, status, remote });
  else a.deps.log.event("admin", `${method} ${url.pathname} answered ${status}`, { method, path: url.pathname, status, remote });
}

/** Everything a call must show before it is routed; each refusal says which rule it broke. */
function guard(req: IncomingMessage, a: AdminPaths): void {
  if (req.method !== "GET" && req.method !== "POST" && req.method !== "PUT" && req.method !== "DELETE") throw new AdminError(405, "The admin paths refuse this method (no CORS: they are not for web pages).");
  const hosts = ownHosts(a.deps.config, req.socket.localPort);
  if (!hosts.has(hostOf(req.headers.host))) throw new AdminError(403, `The Host header must name this server (localhost, 127.0.0.1, [::1], its listen address, or OPENCVM_ADMIN_HOSTS), not "${req.headers.host ?? ""}".`);
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.has(hostOf(URL.canParse(origin) ? new URL(origin).host : ""))) throw new AdminError(403, `Requests from other origins (${origin}) are refused.`);
  const given = Buffer.from(req.headers.authorization ?? "");
  const expected = Buffer.from(`Bearer ${a.token}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AdminError(401, "The admin paths need `Authorization: Bearer <token>`: OPENCVM_ADMIN_TOKEN, or the admin-token file in the data directory.");
  }
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  const length = req.headers["content-length"];
  const hasBody = (length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined;
  if (hasBody && type !== "application/json") throw new AdminError(415, `A body sent to an admin path is JSON (Content-Type: application/json), not "${type}".`);
}

/** The names a Host header may give for this server: its own addresses, loopback names, the operator's names. */
function ownHosts(config: Deps["config"], port: number | undefined): Set<string> {
  const names = ["localhost", "127.0.0.1", "[::1]", config.host.includes(":") ? `[${config.host}]` : config.host, ...config.adminHosts];
  if (config.host === "0.0.0.0" || config.host === "::") for (const i of Object.values(networkInterfaces()).flat()) if (i) names.push(i.family === "IPv6" ? `[${i.address}]` : i.address);
  // With its port when the Host names one; a port of another server is another origin.
  return new Set(names.flatMap((n) => [n.toLowerCase(), `${n.toLowerCase()}:${port}`]));
}

function hostOf(host: string | undefined): string {
  return (host ?? "").trim().toLowerCase();
}

async function readJson(req: IncomingMessage, max: number): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new AdminError(413, `The body is over ${max} bytes.`);
    chunks.push(chunk);
  }
  try {
    const v: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new AdminError(400, "The body must be a JSON object.");
}
