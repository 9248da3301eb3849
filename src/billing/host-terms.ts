// What happens to a dedicated host at the end of its term, as Tencent documents for CDH: flagged
// NOTIFY_AND_AUTO_RENEW and paid for, it is renewed for a month from its old expiry. Otherwise it becomes EXPIRED and
// goes to the recycle bin with its instances, which are taken out of service (SHUTDOWN, IsolatedSource EXPIRE) and
// cost nothing. RenewHosts within 7 days brings the host back and its instances start again by themselves; after 7
// days the instances are destroyed and the host is released (docs/billing.md). Work on the instances goes through
// the operation engine under a RequestId of the billing job's own.
import type { Deps } from "../deps.js";
import { addMonths } from "../domain/dates.js";
import { TencentError } from "../domain/errors.js";
import { jobActor } from "../instances/actor.js";
import { isolatedWithHost, recoverWithHost } from "../instances/host-recovery.js";
import { begin } from "../instances/operations.js";
import { isolate } from "../instances/termination.js";
import type { HostRecord, InstanceRecord } from "../store/store.js";
import { billedHost, hostTermPrice, renewAutomatically } from "./ledger.js";

const TERMED = ["RUNNING"];
const EXPIRED = ["EXPIRED"];
/** How long an expired host and its instances wait in the recycle bin for a renewal. */
export const HOST_RETENTION_MS = 7 * 86_400_000;

/** When the next host's term or retention ends after `after` (ms), if any. */
export async function nextHostTermDue(deps: Deps, after: number): Promise<number | undefined> {
  const end = await deps.store.hosts.nextExpiry(TERMED, after);
  const expired = await deps.store.hosts.nextExpiry(EXPIRED, after - HOST_RETENTION_MS);
  const times = [end, expired === undefined ? undefined : expired + HOST_RETENTION_MS].filter((t): t is number => t !== undefined);
  return times.length ? Math.min(...times) : undefined;
}

/** Renews or expires every host whose term has ended by the clock's time, and follows the expired ones through. */
export async function applyHostTerms(deps: Deps): Promise<void> {
  const now = deps.clock.nowMs();
  for (const h of await deps.store.hosts.expiring(TERMED, now)) {
    if (h.renewFlag === "NOTIFY_AND_AUTO_RENEW" && (await autoRenew(deps, h))) continue;
    await deps.store.hosts.update(h.hostId, { state: "EXPIRED" });
    deps.log.event("billing", `dedicated host ${h.hostId} expired`, { host: h.hostId, appId: h.appId });
  }
  for (const h of await deps.store.hosts.expiring(EXPIRED, now)) {
    const records = await instancesOn(deps, h);
    const idle = records.filter((r) => r.latestOperationState !== "OPERATING");
    if (Date.parse(h.expiredTime) + HOST_RETENTION_MS > now) {
      // Out of service with the host; one busy at the expiry is taken at a later pass.
      const live = idle.filter((r) => r.state === "RUNNING" || r.state === "STOPPED");
      if (live.length) await attempt(deps, h, "isolate its instances", (actor) => isolate(deps, actor, live, "EXPIRE"));
    } else if (records.length) {
      if (idle.length) await attempt(deps, h, "destroy its instances", (actor) => begin(deps, actor, "TerminateInstances", idle));
    } else {
      await deps.store.hosts.remove(h.hostId);
      deps.log.event("billing", `dedicated host ${h.hostId} released at the end of its retention`, { host: h.hostId, appId: h.appId });
    }
  }
  await recoverRenewed(deps);
}

/** Instances isolated with a host that runs again (renewed while one was busy): brought back as RenewHosts does. */
async function recoverRenewed(deps: Deps): Promise<void> {
  const isolated = isolatedWithHost(await deps.store.instances.billed(["SHUTDOWN"], ["CDHPAID"]));
  for (const r of isolated) {
    const [host] = await deps.store.hosts.find(r.appId, r.region, [r.doc.HostId!]);
    if (host?.state === "RUNNING") await recoverWithHost(deps, jobActor("billing", deps.clock.now()), [r]);
  }
}

async function instancesOn(deps: Deps, h: HostRecord): Promise<InstanceRecord[]> {
  const usage = (await deps.store.hosts.usage([h.hostId])).get(h.hostId)!;
  return deps.store.instances.getMany(usage.instanceIds);
}

/** Starts work on a host's instances, or leaves it for the next pass when a request changed one meanwhile. */
async function attempt(deps: Deps, h: HostRecord, what: string, work: (actor: ReturnType<typeof jobActor>) => Promise<void>): Promise<void> {
  const actor = jobActor("billing", deps.clock.now());
  try {
    await work(actor);
    deps.log.event("billing", `dedicated host ${h.hostId}: ${what}`, { host: h.hostId, appId: h.appId, requestId: actor.requestId });
  } catch (e) {
    if (!(e instanceof TencentError)) throw e;
    deps.log.warn(`billing could not ${what} of dedicated host ${h.hostId} now; it tries again`, { host: h.hostId, code: e.code });
  }
}

async function autoRenew(deps: Deps, h: HostRecord): Promise<boolean> {
  const price = hostTermPrice(deps.catalog, h.hostType, 1);
  if (!price) return false;
  const to = addMonths(h.expiredTime, 1);
  const actor = jobActor("billing", deps.clock.now());
  if (!(await renewAutomatically(deps.store, deps, actor.now, billedHost(h), price.discounted, h.expiredTime, to, (tx) => tx.hosts.update(h.hostId, { expiredTime: to })))) return false;
  deps.log.event("billing", `dedicated host ${h.hostId} renewed automatically until ${to}`, { host: h.hostId, appId: h.appId, requestId: actor.requestId });
  return true;
}
