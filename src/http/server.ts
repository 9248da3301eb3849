// The whole request pipeline, in the order it runs (shared/cvm-api/protocol.md §8):
//   method → read and parse → common parameters → timestamp → SecretId → signature → version and action →
//   region → rate limit → spec validation → handler → envelope.
// Every answer is HTTP 200 with a RequestId; one log line per request.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { REGIONLESS_SERVICES, type Deps } from "../api/action.js";
import type { RateLimiter } from "../api/rate-limit.js";
import type { Registry } from "../api/registry.js";
import { errors, LANGUAGES, TencentError, type Language } from "../domain/errors.js";
import { ADMIN_PREFIX, serveAdmin, type AdminPaths } from "./admin.js";
import type { CredentialCache } from "./credentials.js";
import { errorBody, successBody } from "./envelope.js";
import type { Metrics } from "./metrics.js";
import { receive, LIMITS } from "./receive.js";
import { serveVncPage, VNC_PAGE_PREFIX } from "./vnc-page.js";
import type { VncConsoles } from "./vnc-proxy.js";

/** How far a request's timestamp may be from the server's clock, in seconds. */
const MAX_SKEW_S = 300;

export interface Pipeline {
  deps: Deps;
  registry: Registry;
  limiter: RateLimiter;
  credentials: CredentialCache;
  admin: AdminPaths;
  metrics: Metrics;
  /** The machines' screens (a backend that has them): the /vnc websockets and the page under /vnc/. */
  consoles?: VncConsoles;
  /**
   * With instant transitions on a shared store: the engine, whose work a request started is waited for before it is
   * answered. One node on SQLite finishes such work before it reads for the next request (one connection runs
   * everything in order); a pool of connections and other nodes do not, and instant must mean done on every store.
   */
  instant?: { readonly kicks: number; finished(requestId: string): Promise<void> };
}

/** What the log line reports, filled in as the pipeline learns it. */
interface Seen {
  language: Language;
  account?: number;
  action?: string;
  region?: string;
  /** The action once the registry knows it: what the metrics count by (a made-up name would add a series). */
  known?: string;
}

export function createApiServer(p: Pipeline): Server {
  // Headers may carry a URL up to the documented 32 KB, which Node's default (16 KB) would refuse with a 431.
  // Clients (Node's own agent among them) drop an idle kept-alive connection after about 5 s, Node's server too: the
  // server closing at the same moment a client reuses the connection resets that request. Keeping idle connections
  // longer than the clients do leaves the closing to them, as load balancers do.
  const server = createServer({ maxHeaderSize: LIMITS.url * 2, keepAliveTimeout: 65_000, headersTimeout: 66_000 }, (req, res) => void handle(req, res, p));
  server.on("clientError", (e: NodeJS.ErrnoException, socket: Duplex) => clientError(e, socket, p));
  const consoles = p.consoles;
  if (consoles) {
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      void consoles.upgrade(req, socket, head).catch((e: unknown) => {
        p.deps.log.error("console connection failed", { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        socket.destroy();
      }),
    );
  }
  return server;
}

/**
 * A request Node's parser refuses before the pipeline sees it. Headers beyond maxHeaderSize (a URL far over the
 * 32 KB limit) get the envelope any oversized URL gets, RequestSizeLimitExceeded, not a bare 431; anything else
 * malformed gets the answers Node would give.
 */
function clientError(e: NodeJS.ErrnoException, socket: Duplex, p: Pipeline): void {
  if (e.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  if (e.code === "HPE_HEADER_OVERFLOW") {
    const requestId = randomUUID();
    const err = errors.requestSizeLimitExceeded("URL", LIMITS.url);
    const body = Buffer.from(errorBody(err.code, err.text(p.deps.config.language), requestId));
    const head = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    socket.end(Buffer.concat([Buffer.from(head), body]));
    p.deps.log.info("request", { id: requestId, code: err.code });
    return;
  }
  const status = e.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : "400 Bad Request";
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
}

async function handle(req: IncomingMessage, res: ServerResponse, p: Pipeline): Promise<void> {
  if (p.consoles && req.url?.startsWith(VNC_PAGE_PREFIX)) return serveVncPage(req, res);
  if (req.url?.startsWith(ADMIN_PREFIX)) {
    return serveAdmin(req, res, p.admin).catch((e: unknown) => {
      p.deps.log.error("admin request failed", { path: req.url, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify({ Error: "The admin request failed; the server log says why." }));
    });
  }
  const requestId = randomUUID();
  const started = performance.now();
  const seen: Seen = { language: p.deps.config.language };
  let body: string;
  let code = "OK";
  try {
    body = successBody(await serve(req, p, requestId, seen), requestId);
  } catch (e) {
    const err = e instanceof TencentError ? e : internal(e, requestId, p);
    code = err.code;
    body = errorBody(err.code, err.text(seen.language), requestId);
  }
  // Encoded once: its length is the header, and the socket takes the bytes as they are.
  const bytes = Buffer.from(body);
  const headers: OutgoingHttpHeaders = { "Content-Type": "application/json", "Content-Length": bytes.length };
  const trace = req.headers["x-tc-traceid"];
  if (typeof trace === "string") headers["X-TC-TraceId"] = trace;
  // A body left unread (refused as too large) must not be taken for the next request on this connection.
  if (!req.complete) headers.Connection = "close";
  res.writeHead(200, headers).end(bytes);
  const ms = performance.now() - started;
  p.metrics.request(seen.known, code, ms / 1000);
  p.deps.log.info("request", {
    id: requestId,
    account: seen.account,
    action: seen.action,
    region: seen.region,
    ms: ms.toFixed(2),
    code,
  });
}

async function serve(req: IncomingMessage, p: Pipeline, requestId: string, seen: Seen): Promise<object> {
  const method = req.method ?? "";
  if (method !== "GET" && method !== "POST") throw errors.unsupportedProtocol(method);

  const r = await receive(req);
  const { common, names } = r;
  if (common.language !== undefined) {
    if (!LANGUAGES.includes(common.language as Language)) {
      throw errors.invalidParameterValue(names.language, common.language, "use zh-CN or en-US", "取值应为 zh-CN 或 en-US");
    }
    seen.language = common.language as Language;
  }
  seen.action = common.action;
  seen.region = common.region;
  if (!common.action) throw errors.missingParameter(names.action);
  if (!common.version) throw errors.missingParameter(names.version);
  if (!common.timestamp) throw errors.missingParameter(names.timestamp);

  if (!/^\d{1,12}$/.test(common.timestamp)) {
    throw errors.invalidParameter(names.timestamp, "it must be a Unix time in seconds", "应为以秒为单位的 Unix 时间");
  }
  const now = Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(common.timestamp)) > MAX_SKEW_S) throw errors.signatureExpire(common.timestamp, now);

  const credential = await p.credentials.get(r.secretId);
  if (!credential || !credential.enabled) throw errors.secretIdNotFound(r.secretId);
  const check = r.verify(credential.secretKey);
  if (!check.ok) throw errors.signatureFailure(check.detail);
  seen.account = credential.account.appId;

  const ref = p.registry.resolve(common.version, common.action, r.named);
  seen.known = ref.name;
  const def = p.registry.definition(ref);
  const regionless = def ? def.regionless : REGIONLESS_SERVICES.has(ref.service.service);
  const takesRegion = def?.regionOptional ? common.region !== undefined : !regionless;
  if (takesRegion) {
    if (!common.region) throw errors.missingParameter(names.region);
    if (!p.deps.catalog.region(common.region)) throw errors.unsupportedRegion(common.region);
  }

  if (!(await p.limiter.take(credential.account.appId, ref.name))) throw errors.requestLimitExceeded(ref.name, p.limiter.rate(ref.name));

  const ctx = { requestId, action: ref.name, account: credential.account, region: takesRegion ? common.region : undefined, language: seen.language, now: p.deps.clock.now() };
  if (!p.instant) return p.registry.run(ref, ctx, r.params(), p.deps);
  const kicks = p.instant.kicks;
  const answer = await p.registry.run(ref, ctx, r.params(), p.deps);
  if (p.instant.kicks !== kicks) await p.instant.finished(requestId);
  return answer;
}

function internal(e: unknown, requestId: string, p: Pipeline): TencentError {
  // A full or failing disk is the service's condition, not a bug: the client is told to retry later.
  if (p.deps.store.isStorageFailure(e)) {
    p.deps.log.error("storage failure", { id: requestId, error: String(e) });
    return errors.serviceUnavailable(requestId);
  }
  p.deps.log.error("internal error", { id: requestId, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  return errors.internalError(requestId);
}
