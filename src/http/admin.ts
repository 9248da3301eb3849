// The operator's paths, beside the Tencent API and not part of it: under /_opencvm/, answered to loopback callers
// only, or to any caller with `Authorization: Bearer <OPENCVM_ADMIN_TOKEN>` when a token is set.
//   GET  /_opencvm/clock                      the service clock, and how far billing has settled (Billing)
//   POST /_opencvm/clock   {"Advance":"90m"}  moves it forward (s, m, h, d; or a number of seconds), billing and
//                                             expiring everything on the way, and answers when that is done
//   GET  /_opencvm/balance?AppId=…            an account's money
//   POST /_opencvm/balance {"AppId":…,"Amount":"100.50"}  sets an account's cash (its debt is paid from it first)
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Deps } from "../api/action.js";
import { MICRO, toMicro } from "../billing/rating.js";
import type { Timekeeper } from "../billing/timekeeper.js";
import { durationSeconds } from "../domain/duration.js";

export const ADMIN_PREFIX = "/_opencvm/";
const MAX_BODY = 4096;
/** The furthest one call may move the clock: ten years. */
const MAX_ADVANCE_S = 10 * 366 * 86_400;

export interface AdminPaths {
  deps: Deps;
  timekeeper: Timekeeper;
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function serveAdmin(req: IncomingMessage, res: ServerResponse, a: AdminPaths): Promise<void> {
  let status = 200;
  let answer: object;
  try {
    allowed(req, a.deps.config.adminToken);
    answer = await route(req, a);
  } catch (e) {
    if (!(e instanceof AdminError)) throw e;
    status = e.status;
    answer = { Error: e.message };
  }
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(answer));
  a.deps.log.info("admin", { method: req.method, path: req.url, status });
}

function allowed(req: IncomingMessage, token: string | undefined): void {
  const remote = req.socket.remoteAddress ?? "";
  if (/^(127\.|::1$|::ffff:127\.)/.test(remote)) return;
  const given = Buffer.from(req.headers.authorization ?? "");
  const expected = Buffer.from(`Bearer ${token ?? ""}`);
  if (token && given.length === expected.length && timingSafeEqual(given, expected)) return;
  throw new AdminError(403, "The admin paths answer loopback callers, or callers with the admin token (OPENCVM_ADMIN_TOKEN).");
}

async function route(req: IncomingMessage, a: AdminPaths): Promise<object> {
  const url = new URL(req.url ?? "/", "http://admin");
  const { clock, store, config, catalog } = a.deps;
  const path = `${req.method} ${url.pathname}`;
  if (path === "GET /_opencvm/clock") return { Now: clock.now().toISOString(), OffsetSeconds: Math.round(clock.offset / 1000), Billing: await billing(a) };
  if (path === "POST /_opencvm/clock") {
    const body = await readJson(req);
    const done = await a.timekeeper.advance(seconds(body.Advance) * 1000);
    return { Now: done.now, OffsetSeconds: done.offsetSeconds, HoursSettled: done.hoursSettled, Billing: await billing(a) };
  }
  if (path === "GET /_opencvm/balance" || path === "POST /_opencvm/balance") {
    const body = req.method === "POST" ? await readJson(req) : { AppId: url.searchParams.get("AppId") };
    const appId = Number(body.AppId);
    if (!Number.isSafeInteger(appId) || !(await store.accounts.byAppId(appId))) throw new AdminError(404, `No account with AppId ${String(body.AppId)}.`);
    if (req.method === "POST") {
      const amount = String(body.Amount ?? "");
      if (!/^\d+(\.\d{1,2})?$/.test(amount)) throw new AdminError(400, `Amount must be an amount like 100 or 99.50, not "${amount}".`);
      await store.billing.setCash(appId, toMicro(Number(amount)), toMicro(config.balance));
      await a.timekeeper.runDue();
    }
    const b = await store.billing.balance(appId, toMicro(config.balance));
    const shown = (micro: number) => (micro / MICRO).toFixed(2);
    return { AppId: appId, Currency: catalog.currency, Cash: shown(b.cash), Owed: shown(b.owed), Frozen: shown(b.frozen), Available: shown(b.cash - b.owed - b.frozen), ArrearsSince: b.arrearsSince };
  }
  throw new AdminError(404, `No admin path ${path}.`);
}

/** How far settlement has got, for an operator: read-only, in the admin answers' casing. */
async function billing(a: AdminPaths): Promise<object> {
  const s = await a.timekeeper.status();
  return {
    SettledUntil: s.settledUntil,
    LagSeconds: s.lagSeconds,
    Failures: s.failures,
    FailingAccounts: s.failing.map((f) => ({ AppId: f.appId, Hour: f.hour, Failures: f.failures, Error: f.error })),
  };
}

/** "90m", "2h", "30d", "45s" or a number of seconds. */
function seconds(v: unknown): number {
  const s = durationSeconds(v);
  if (s === undefined || s > MAX_ADVANCE_S) throw new AdminError(400, `Advance must be a positive duration such as "90m", "2h", "30d" or a number of seconds (at most ten years), not ${JSON.stringify(v)}.`);
  return s;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new AdminError(413, `The body is over ${MAX_BODY} bytes.`);
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
