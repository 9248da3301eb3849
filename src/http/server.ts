// The whole request pipeline, in the order it runs (shared/cvm-api/protocol.md §8):
//   method → read and parse → common parameters → timestamp → SecretId → signature → version and action →
//   region → rate limit → spec validation → handler → envelope.
// Every answer is HTTP 200 with a RequestId; one log line per request.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { errors, LANGUAGES, type Language } from "../domain/errors.js";
import { ADMIN_PREFIX, serveAdmin, type AdminPaths } from "./admin.js";
import { CONSOLE_PREFIX, serveConsole, type ConsoleDoor } from "./console/door.js";
import type { CredentialCache } from "./credentials.js";
import { dispatch, enveloped, logRequest, type Core, type Seen } from "./dispatch.js";
import { errorBody } from "./envelope.js";
import { receive, LIMITS } from "./receive.js";
import { serveVncPage, VNC_PAGE_PREFIX } from "./vnc-page.js";
import type { VncConsoles } from "./vnc-proxy.js";

/** How far a request's timestamp may be from the server's clock, in seconds. */
const MAX_SKEW_S = 300;

export interface Pipeline extends Core {
  credentials: CredentialCache;
  admin: AdminPaths;
  /** The machines' screens (a backend that has them): the /vnc websockets and the page under /vnc/. */
  consoles?: VncConsoles;
  console: ConsoleDoor;
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

const QUESTION_MARK = 63;

async function handle(req: IncomingMessage, res: ServerResponse, p: Pipeline): Promise<void> {
  const url = req.url ?? "/";
  // The API's own path (`/`, `/?…`) is none of the other doors': nearly every request is one and skips their checks.
  if (url.length > 1 && url.charCodeAt(1) !== QUESTION_MARK) {
    if (p.consoles && url.startsWith(VNC_PAGE_PREFIX)) return serveVncPage(req, res);
    if (url.startsWith(ADMIN_PREFIX)) {
      return serveAdmin(req, res, p.admin).catch((e: unknown) => {
        p.deps.log.error("admin request failed", { path: req.url, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify({ Error: "The admin request failed; the server log says why." }));
      });
    }
    if (url === CONSOLE_PREFIX || url.startsWith(`${CONSOLE_PREFIX}/`)) {
      return serveConsole(req, res, p.console).catch((e: unknown) => {
        p.deps.log.error("console request failed", { path: req.url, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify({ Error: { Code: "InternalError", Message: "The console request failed; the server log says why." } }));
      });
    }
  }
  const requestId = randomUUID();
  const started = performance.now();
  const seen: Seen = { language: p.deps.config.language };
  const { body, code } = await enveloped(p, requestId, seen, () => serve(req, p, requestId, seen));
  const headers: OutgoingHttpHeaders = { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) };
  const trace = req.headers["x-tc-traceid"];
  if (typeof trace === "string") headers["X-TC-TraceId"] = trace;
  // A body left unread (refused as too large) must not be taken for the next request on this connection.
  if (!req.complete) headers.Connection = "close";
  res.writeHead(200, headers).end(body);
  logRequest(p, requestId, seen, code, started);
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

  const credential = p.credentials.cached(r.secretId) ?? (await p.credentials.get(r.secretId));
  if (!credential || !credential.enabled) throw errors.secretIdNotFound(r.secretId);
  const check = r.verify(credential.secretKey);
  if (!check.ok) throw errors.signatureFailure(check.detail);
  seen.account = credential.account.appId;

  return await dispatch(p, { requestId, account: credential.account, version: common.version, action: common.action, named: r.named, region: common.region, regionName: names.region, params: r.params() }, seen);
}
