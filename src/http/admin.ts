// The operator's paths, beside the Tencent API and not part of it: under /_opencvm/, answered to loopback callers
// only, or to any caller with `Authorization: Bearer <OPENCVM_ADMIN_TOKEN>` when a token is set. What each path
// does is in admin-routes.ts; here are the door, the bodies and the two paths that are not JSON routes:
//   GET /_opencvm/health    liveness and readiness, and how far billing lags, to anyone (a load balancer or an
//                           orchestrator asks it)
//   GET /_opencvm/metrics   Prometheus metrics, behind the same door as the rest
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AdminError, adminRoute, type AdminContext } from "./admin-routes.js";
import type { Metrics } from "./metrics.js";

export const ADMIN_PREFIX = "/_opencvm/";
const MAX_BODY = 4096;
/** A snapshot holds the whole store. */
const MAX_SNAPSHOT = 512 * 1024 * 1024;

export interface AdminPaths extends AdminContext {
  metrics: Metrics;
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
    allowed(req, a.deps.config.adminToken);
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
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(answer));
  if (method === "GET") a.deps.log.info("admin", { method, path: req.url, status });
  else a.deps.log.event("admin", `${method} ${url.pathname} answered ${status}`, { method, path: url.pathname, status });
}

function allowed(req: IncomingMessage, token: string | undefined): void {
  const remote = req.socket.remoteAddress ?? "";
  if (/^(127\.|::1$|::ffff:127\.)/.test(remote)) return;
  const given = Buffer.from(req.headers.authorization ?? "");
  const expected = Buffer.from(`Bearer ${token ?? ""}`);
  if (token && given.length === expected.length && timingSafeEqual(given, expected)) return;
  throw new AdminError(403, "The admin paths answer loopback callers, or callers with the admin token (OPENCVM_ADMIN_TOKEN).");
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
