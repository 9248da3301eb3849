// What every API call goes through once its caller is known, whether it came signed (server.ts) or from a console
// session (console/door.ts): routing, region, rate limit, validation, handler, the envelope and the log line.
import { REGIONLESS_SERVICES, type Deps } from "../api/action.js";
import type { RateLimiter } from "../api/rate-limit.js";
import type { Registry } from "../api/registry.js";
import { errors, TencentError, type Language } from "../domain/errors.js";
import type { Account } from "../store/store.js";
import { errorBody, successBody } from "./envelope.js";
import type { Metrics } from "./metrics.js";

/** The parts a call needs. */
export interface Core {
  deps: Deps;
  registry: Registry;
  limiter: RateLimiter;
  metrics: Metrics;
  /**
   * With instant transitions on a shared store: the engine, whose work a request started is waited for before it is
   * answered. One node on SQLite finishes such work before it reads for the next request (one connection runs
   * everything in order); a pool of connections and other nodes do not, and instant must mean done on every store.
   */
  instant?: { readonly kicks: number; finished(requestId: string): Promise<void> };
}

/** What the log line reports, filled in as the pipeline learns it. */
export interface Seen {
  language: Language;
  account?: number;
  action?: string;
  region?: string;
  /** The action once the registry knows it: what the metrics count by (a made-up name would add a series). */
  known?: string;
}

/** A call whose caller is known (signed, or a console session): routing, region, rate limit, validation, handler. */
export interface Call {
  requestId: string;
  account: Account;
  version: string;
  action: string;
  /** The service names the request gives (the TC3 scope's, the host's first label), which choose among services sharing an action name. */
  named?: readonly (string | undefined)[];
  region: string | undefined;
  /** How the caller's protocol names the region, for the refusal when it is missing. */
  regionName: string;
  params: Record<string, unknown>;
}

export async function dispatch(p: Core, call: Call, seen: Seen): Promise<object> {
  const ref = p.registry.resolve(call.version, call.action, call.named);
  seen.known = ref.name;
  const def = p.registry.definition(ref);
  const regionless = def ? def.regionless : REGIONLESS_SERVICES.has(ref.service.service);
  const takesRegion = def?.regionOptional ? call.region !== undefined : !regionless;
  if (takesRegion) {
    if (!call.region) throw errors.missingParameter(call.regionName);
    if (!p.deps.catalog.region(call.region)) throw errors.unsupportedRegion(call.region);
  }

  const service = ref.service.service;
  const taken = p.limiter.take(call.account.appId, service, ref.name);
  if (!(taken === true || (taken !== false && (await taken)))) throw errors.requestLimitExceeded(ref.name, p.limiter.rate(service, ref.name));

  const ctx = { requestId: call.requestId, action: ref.name, account: call.account, region: takesRegion ? call.region : undefined, language: seen.language, now: p.deps.clock.now() };
  if (!p.instant) return await p.registry.run(ref, ctx, call.params, p.deps);
  const kicks = p.instant.kicks;
  const answer = await p.registry.run(ref, ctx, call.params, p.deps);
  if (p.instant.kicks !== kicks) await p.instant.finished(call.requestId);
  return answer;
}

/**
 * The answer's envelope around `work`, a refusal or an unexpected fault alike. It stays a string: the socket encodes
 * it once, behind the headers, where a Buffer would be one more copy.
 */
export async function enveloped(p: Core, requestId: string, seen: Seen, work: () => Promise<object>): Promise<{ body: string; code: string }> {
  try {
    return { body: successBody(await work(), requestId), code: "OK" };
  } catch (e) {
    const err = e instanceof TencentError ? e : internal(e, requestId, p);
    return { body: errorBody(err.code, err.text(seen.language), requestId), code: err.code };
  }
}

/** One log line and the metrics for an answered request. */
export function logRequest(p: Core, requestId: string, seen: Seen, code: string, started: number): void {
  const ms = performance.now() - started;
  p.metrics.request(seen.known, code, ms / 1000);
  p.deps.log.access({ id: requestId, account: seen.account, action: seen.action, region: seen.region, ms, code });
}

function internal(e: unknown, requestId: string, p: Core): TencentError {
  // A full or failing disk is the service's condition, not a bug: the client is told to retry later.
  if (p.deps.store.isStorageFailure(e)) {
    p.deps.log.error("storage failure", { id: requestId, error: String(e) });
    return errors.serviceUnavailable(requestId);
  }
  p.deps.log.error("internal error", { id: requestId, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  return errors.internalError(requestId);
}
