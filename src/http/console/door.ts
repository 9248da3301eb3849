// The web console's paths, under /console/ on the API's own port:
//   GET  /console/…               the built page and its files (static-files.ts)
//   POST /console/api/sign-in     {"SecretId","SecretKey"} or {"AppId","Password"}: sets the session cookie; refused
//                                 (429) past the sign-in limits per account and per address (sign-in-limit.ts)
//   GET  /console/api/session     who is signed in, and the CSRF token the page sends back
//   POST /console/api/sign-out
//   POST /console/api/call        {"Version","Action","Region","Params"}: one API action as the session's account,
//                                 through the same pipeline as a signed call, answered with the same envelope
//   GET  /console/api/events      the account's instance state changes, as server-sent events
//   GET  /console/api/serial/<InstanceId>   the tail of a real (qemu) machine's serial console, for its own account
// Its own refusals are worded in the language the page names in X-TC-Language (zh-CN or en-US).
// A state-changing call needs the session cookie (HttpOnly, SameSite=Strict), the session's CSRF token in
// X-CSRF-Token (which no form can send and no cross-site script can read) and, if the browser names one, an Origin
// or Sec-Fetch-Site of this very site.
import { randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { LANGUAGES, type Language } from "../../domain/errors.js";
import type { Account } from "../../store/store.js";
import type { CredentialCache } from "../credentials.js";
import { dispatch, enveloped, logRequest, type Core, type Seen } from "../dispatch.js";
import type { LiveStates } from "./live-states.js";
import { verifyPassword } from "./password-hash.js";
import type { Session, Sessions } from "./sessions.js";
import { countAttempt, countersOf, signedIn, type SignInCounters } from "./sign-in-limit.js";
import { consoleFile } from "./static-files.js";

export const CONSOLE_PREFIX = "/console";
const COOKIE = "opencvm_console";
/** Sign-in and call bodies are small JSON objects; a launch with every option is a few KB. */
const MAX_BODY = 256 * 1024;

export interface ConsoleDoor extends Core {
  credentials: CredentialCache;
  sessions: Sessions;
  live: LiveStates;
  dir: string;
  /** The machines of a backend that has real ones (qemu); the simulated backend has no serial console. */
  machines?: { view(instanceId: string): Promise<{ serialLog: string } | undefined> };
}

/** A refusal of the console's own paths, its message in both languages (the page asks in X-TC-Language). */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly zh: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export async function serveConsole(req: IncomingMessage, res: ServerResponse, c: ConsoleDoor): Promise<void> {
  const url = new URL(req.url ?? "/", "http://console");
  const path = url.pathname.slice(CONSOLE_PREFIX.length);
  const method = req.method ?? "GET";
  try {
    if (!path.startsWith("/api/")) return await serveFile(res, c, method, path);
    const [name, id] = path.slice("/api/".length).split("/");
    const route = `${method} ${name}${id === undefined ? "" : "/:id"}`;
    switch (route) {
      case "POST sign-in":
        return await signIn(req, res, c);
      case "GET session": {
        const s = await session(req, c);
        const account = await c.deps.store.accounts.byAppId(s.appId);
        return json(res, 200, { AppId: s.appId, Uin: account?.uin, Csrf: s.csrf, Expires: new Date(s.expires).toISOString() });
      }
      case "POST sign-out": {
        const s = await changing(req, c);
        await c.sessions.remove(s.id);
        return json(res, 200, { SignedOut: true }, cookie(req, "", 0));
      }
      case "POST call":
        return await call(req, res, c, await changing(req, c));
      case "GET events":
        return c.live.open(res, (await session(req, c)).appId);
      case "GET serial/:id":
        return json(res, 200, await serial(c, await session(req, c), id));
      default:
        throw new Refusal(404, "NotFound", `There is no console path ${method} ${url.pathname}.`, `控制台没有路径 ${method} ${url.pathname}。`);
    }
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    // The page always names its language; a client that names none (a script) is answered in English.
    json(res, e.status, { Error: { Code: e.code, Message: req.headers["x-tc-language"] === "zh-CN" ? e.zh : e.message } }, undefined, e.headers);
  }
}

async function serveFile(res: ServerResponse, c: ConsoleDoor, method: string, path: string): Promise<void> {
  if (method !== "GET" && method !== "HEAD") throw new Refusal(405, "MethodNotAllowed", "The console's files are read with GET.", "控制台的文件只能用 GET 读取。");
  if (path === "") {
    res.writeHead(308, { Location: `${CONSOLE_PREFIX}/` }).end();
    return;
  }
  const file = await consoleFile(c.dir, path === "/" ? "index.html" : path.slice(1));
  if (!file) {
    const built = path !== "/";
    throw new Refusal(404, "NotFound", `No console file ${path}.${built ? "" : ` The console is not built in ${c.dir}: run \`npm run build\`.`}`, `没有控制台文件 ${path}。${built ? "" : `${c.dir} 中没有构建好的控制台：请运行 \`npm run build\`。`}`);
  }
  res
    .writeHead(200, {
      "Content-Type": file.type,
      "Content-Length": file.bytes.length,
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
      // Scripts and connections to this origin only; inline style attributes are how the components size things.
      "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    })
    .end(method === "HEAD" ? undefined : file.bytes);
}

async function signIn(req: IncomingMessage, res: ServerResponse, c: ConsoleDoor): Promise<void> {
  sameSite(req);
  const body = await readJson(req);
  const counters = await signInCounters(req, c, body);
  const over = await countAttempt(c.deps.store.signInAttempts, counters, Date.now());
  if (over) {
    const seconds = Math.max(1, Math.ceil((over.until - Date.now()) / 1000));
    const at = new Date(over.until).toISOString();
    const [who, zh] = over.limit === "account" ? ["this account", "该账号"] : ["this address", "该地址"];
    throw new Refusal(429, "RequestLimitExceeded", `Too many sign-ins tried for ${who}: try again in ${seconds} s (at ${at}).`, `${zh}尝试登录的次数过多：请在 ${seconds} 秒后（${at}）重试。`, { "Retry-After": String(seconds) });
  }
  const account = await signedInAccount(c, body);
  if (!account) throw new Refusal(401, "AuthFailure", "The SecretId and SecretKey, or the AppId and console password, do not match an account.", "SecretId 与 SecretKey（或 AppId 与控制台密码）不匹配任何账号。");
  await signedIn(c.deps.store.signInAttempts, counters);
  const s = await c.sessions.create(account.appId);
  json(res, 200, { AppId: account.appId, Uin: account.uin, Csrf: s.csrf, Expires: new Date(s.expires).toISOString() }, cookie(req, s.id, s.expires - Date.now()));
}

/** What a sign-in counts against: the account it names (the SecretId's, or the AppId) and the client's address. */
async function signInCounters(req: IncomingMessage, c: ConsoleDoor, body: Record<string, unknown>): Promise<SignInCounters> {
  const address = req.socket.remoteAddress ?? "unknown";
  if (typeof body.SecretId === "string" && typeof body.SecretKey === "string") {
    const credential = await c.credentials.get(body.SecretId);
    return countersOf(credential ? { appId: credential.account.appId } : { secretId: body.SecretId }, address);
  }
  const appId = Number(body.AppId);
  if (!Number.isSafeInteger(appId) || typeof body.Password !== "string") throw new Refusal(400, "InvalidParameter", "Sign in with SecretId and SecretKey, or with AppId and Password.", "请用 SecretId 和 SecretKey，或 AppId 和 Password 登录。");
  return countersOf({ appId }, address);
}

/** The account whose secret the body gives (its shape was checked by signInCounters), if it matches. */
async function signedInAccount(c: ConsoleDoor, body: Record<string, unknown>): Promise<Account | undefined> {
  if (typeof body.SecretId === "string" && typeof body.SecretKey === "string") {
    const credential = await c.credentials.get(body.SecretId);
    if (!credential?.enabled || !same(credential.secretKey, body.SecretKey)) return undefined;
    return credential.account;
  }
  const appId = Number(body.AppId);
  const hash = await c.deps.store.accounts.consolePassword(appId);
  if (!hash || !(await verifyPassword(String(body.Password), hash))) return undefined;
  return c.deps.store.accounts.byAppId(appId);
}

async function call(req: IncomingMessage, res: ServerResponse, c: ConsoleDoor, s: Session): Promise<void> {
  const started = performance.now();
  const body = await readJson(req);
  const requestId = randomUUID();
  const language = LANGUAGES.includes(body.Language as Language) ? (body.Language as Language) : c.deps.config.language;
  const seen: Seen = { language, account: s.appId, action: String(body.Action ?? ""), region: typeof body.Region === "string" ? body.Region : undefined };
  const account = await c.deps.store.accounts.byAppId(s.appId);
  if (!account) throw new Refusal(401, "AuthFailure", "The session's account no longer exists.", "会话所属的账号已不存在。");
  const { body: answer, code } = await enveloped(c, requestId, seen, async () => {
    const params = body.Params && typeof body.Params === "object" ? (body.Params as Record<string, unknown>) : {};
    return dispatch(c, { requestId, account, version: String(body.Version ?? ""), action: seen.action!, region: seen.region, regionName: "Region", params }, seen);
  });
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(answer), "Cache-Control": "no-store" }).end(answer);
  logRequest(c, requestId, seen, code, started);
}

/** The serial console's tail of one of the session's instances, where the backend has machines that write one. */
async function serial(c: ConsoleDoor, s: Session, instanceId: string): Promise<object> {
  const found = await c.deps.store.instances.get(instanceId);
  // Another account's instance is answered as one that does not exist.
  if (!found || found.appId !== s.appId) throw new Refusal(404, "InvalidInstanceId.NotFound", `No instance ${instanceId}.`, `实例 ${instanceId} 不存在。`);
  const view = c.machines && (await c.machines.view(instanceId));
  if (!view) throw new Refusal(404, "UnsupportedOperation.NoSerialConsole", "This instance has no serial console here: only qemu machines write one.", "该实例在此没有串口输出：只有 qemu 虚拟机才有。");
  return { InstanceId: instanceId, SerialLog: view.serialLog };
}

/** The signed-in session, or 401. */
async function session(req: IncomingMessage, c: ConsoleDoor): Promise<Session> {
  const s = await c.sessions.get(cookies(req)[COOKIE]);
  if (!s) throw new Refusal(401, "AuthFailure.SessionExpired", "Not signed in, or the session expired: sign in again.", "未登录或会话已过期：请重新登录。");
  return s;
}

/** The session of a state-changing call: from this site, carrying the session's CSRF token. */
async function changing(req: IncomingMessage, c: ConsoleDoor): Promise<Session> {
  sameSite(req);
  const s = await session(req, c);
  const token = req.headers["x-csrf-token"];
  if (typeof token !== "string" || !same(token, s.csrf)) throw new Refusal(403, "AuthFailure.CsrfToken", "The call does not carry this session's CSRF token.", "该调用没有携带本会话的 CSRF 令牌。");
  return s;
}

/** Refuses a request a browser says came from another site (Sec-Fetch-Site, else Origin against Host). */
function sameSite(req: IncomingMessage): void {
  const site = req.headers["sec-fetch-site"];
  const origin = req.headers.origin;
  // "none" is a person's own navigation (a bookmark); an opaque origin ("null") is a sandboxed or file page.
  const foreign = (site !== undefined && site !== "same-origin" && site !== "none") || (origin !== undefined && (origin === "null" || hostOf(origin) !== req.headers.host));
  if (foreign) throw new Refusal(403, "AuthFailure.CrossSite", "The console takes state-changing calls only from its own pages.", "控制台只接受来自其自身页面的变更操作。");
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** Max-Age is rounded up: the session's own expiry, checked by the server, is what ends it. */
function cookie(req: IncomingMessage, value: string, maxAgeMs: number): string {
  const secure = (req.socket as TLSSocket).encrypted || req.headers["x-forwarded-proto"] === "https";
  return `${COOKIE}=${value}; Path=${CONSOLE_PREFIX}/; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, Math.ceil(maxAgeMs / 1000))}${secure ? "; Secure" : ""}`;
}

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(req.headers["content-type"] ?? "").startsWith("application/json")) throw new Refusal(415, "InvalidParameter", "The console's calls send JSON.", "控制台的调用须发送 JSON。");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Refusal(413, "RequestSizeLimitExceeded", `The call is larger than ${MAX_BODY} bytes.`, `调用超过 ${MAX_BODY} 字节。`);
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new Refusal(400, "InvalidParameter", "The body is not a JSON object.", "请求体不是 JSON 对象。");
}

function json(res: ServerResponse, status: number, body: object, setCookie?: string, extra: Record<string, string> = {}): void {
  const bytes = Buffer.from(JSON.stringify(body));
  const headers: Record<string, string | number> = { "Content-Type": "application/json", "Content-Length": bytes.length, "Cache-Control": "no-store", ...extra };
  if (setCookie !== undefined) headers["Set-Cookie"] = setCookie;
  res.writeHead(status, headers).end(bytes);
}
