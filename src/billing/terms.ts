// What happens to instances when money or time runs out, as the real cloud documents it (docs/billing.md):
// - A monthly instance at its ExpiredTime is renewed for a month when flagged NOTIFY_AND_AUTO_RENEW and the account
//   can pay; otherwise it goes to the recycle bin (SHUTDOWN, IsolatedSource EXPIRE).
// - An instance in the recycle bin is destroyed 7 days after it entered it.
// - Two hours after an account goes into debt, its pay-as-you-go instances are shut down and isolated (SHUTDOWN,
//   IsolatedSource ARREAR) and stop costing; paying the debt brings them back STOPPED; after 15 days they are
//   destroyed.
// Work on instances goes through the operation engine like any API call, under a RequestId of its own.
import type { Deps } from "../deps.js";
import { addMonths } from "../domain/dates.js";
import { UnpricedError } from "../domain/pricing.js";
import { TencentError } from "../domain/errors.js";
import { jobActor, type JobActor, type SystemJob } from "../instances/actor.js";
import { renewalCost } from "../instances/charges.js";
import { applyNow, begin } from "../instances/operations.js";
import { isolate as toRecycleBin } from "../instances/termination.js";
import type { InstanceRecord } from "../store/store.js";
import { chargeInstance, INSUFFICIENT_BALANCE } from "./ledger.js";
import { applyDiskTerms, nextDiskTermDue } from "./disk-terms.js";
import { applyHostTerms, nextHostTermDue } from "./host-terms.js";
import { applyAddressTerms, nextAddressTermDue } from "./address-terms.js";
import { applyPackTerms, nextPackTermDue } from "./pack-terms.js";

const DAY_MS = 86_400_000;
export const RECYCLE_BIN_MS = 7 * DAY_MS;
export const ARREARS_GRACE_MS = 2 * 3_600_000;
export const ARREARS_RETENTION_MS = 15 * DAY_MS;

const LIVE = ["RUNNING", "STOPPED"] as const;
const HOURLY = ["POSTPAID_BY_HOUR", "SPOTPAID"];

/** When the next of these rules falls due after `after` (ms), if any. */
export async function nextTermDue(deps: Deps, after: number): Promise<number | undefined> {
  const times: number[] = [];
  const expiry = await deps.store.instances.nextExpiry(LIVE, after);
  if (expiry !== undefined) times.push(expiry);
  for (const r of await inRecycleBin(deps)) times.push(destroyAt(r));
  for (const a of await deps.store.billing.inArrears()) {
    if (await deps.store.instances.anyBilled(LIVE, HOURLY, a.appId)) times.push(Date.parse(a.since) + ARREARS_GRACE_MS);
  }
  const host = await nextHostTermDue(deps, after);
  if (host !== undefined) times.push(host);
  const disk = await nextDiskTermDue(deps, after);
  if (disk !== undefined) times.push(disk);
  const address = await nextAddressTermDue(deps, after);
  if (address !== undefined) times.push(address);
  const pack = await nextPackTermDue(deps, after);
  if (pack !== undefined) times.push(pack);
  const ahead = times.filter((t) => t > after);
  return ahead.length ? Math.min(...ahead) : undefined;
}

/** Applies every rule due at the clock's time. */
export async function applyTerms(deps: Deps): Promise<void> {
  const now = deps.clock.nowMs();
  await expire(deps, await deps.store.instances.expiring(LIVE, now));
  await applyHostTerms(deps);
  await applyDiskTerms(deps);
  await applyAddressTerms(deps);
  await applyPackTerms(deps);
  const isolated = await inRecycleBin(deps);
  const debtors = new Map((await deps.store.billing.inArrears()).map((a) => [a.appId, Date.parse(a.since)]));
  // Paid up: isolated for debt, back to STOPPED.
  const recovered = isolated.filter((r) => r.doc.IsolatedSource === "ARREAR" && !debtors.has(r.appId));
  for (const r of recovered) {
    await deps.store.instances.update(r.instanceId, { state: "STOPPED", doc: { IsolatedSource: "NOTISOLATED", IsolatedAt: undefined, StopChargingMode: "KEEP_CHARGING" } }, { state: "SHUTDOWN" });
    deps.log.event("billing", `${r.instanceId} is back from isolation (the debt is paid): STOPPED`, { instance: r.instanceId, appId: r.appId, state: "STOPPED" });
  }
  const doomed = isolated.filter((r) => !recovered.includes(r) && destroyAt(r) <= now);
  for (const [actor, records] of byAccount(deps, "billing", doomed)) {
    if (await attempt(deps, "destroy", records, () => begin(deps, actor, "TerminateInstances", records))) billingEvent(deps, actor.requestId, records, "destroyed at the end of their retention");
  }
  for (const [appId, since] of debtors) {
    if (since + ARREARS_GRACE_MS > now) continue;
    await isolate(deps, await deps.store.instances.billed(LIVE, HOURLY, appId), "ARREAR");
  }
}

/** Instances settled in the recycle bin or isolated (one still being moved there has no IsolatedAt yet). */
async function inRecycleBin(deps: Deps): Promise<InstanceRecord[]> {
  return (await deps.store.instances.billed(["SHUTDOWN"], ["PREPAID", ...HOURLY])).filter((r) => r.latestOperationState !== "OPERATING");
}

function destroyAt(r: InstanceRecord): number {
  const at = Date.parse(r.doc.IsolatedAt ?? r.createdAt);
  return at + (r.doc.IsolatedSource === "ARREAR" ? ARREARS_RETENTION_MS : RECYCLE_BIN_MS);
}

/** Renews what is flagged and paid for; the rest goes to the recycle bin. */
async function expire(deps: Deps, due: readonly InstanceRecord[]): Promise<void> {
  const lapsed: InstanceRecord[] = [];
  for (const r of due) {
    if (r.doc.RenewFlag !== "NOTIFY_AND_AUTO_RENEW" || !(await autoRenew(deps, r))) lapsed.push(r);
  }
  await isolate(deps, lapsed, "EXPIRE");
}

/** Renews a month from the old expiry if the account can pay for it; false if it cannot (true also when put off). */
async function autoRenew(deps: Deps, r: InstanceRecord): Promise<boolean> {
  const table = deps.catalog.prices(r.region);
  let amount: number;
  try {
    if (!table) throw new UnpricedError(`region ${r.region} has no price table`);
    amount = renewalCost(table, deps.catalog.prepaidDiscount(1), r, 1);
  } catch (e) {
    if (e instanceof UnpricedError) return false;
    throw e;
  }
  const from = r.doc.ExpiredTime!;
  const to = addMonths(from, 1);
  const actor = jobActor("billing", deps.clock.now());
  try {
    await deps.store.transaction(async (tx) => {
      await chargeInstance(tx, deps, actor.now, { instance: r, actionType: "pre_renew", amount, months: 1, from, to });
      await applyNow(tx, actor, "RenewInstances", [r], { doc: { ExpiredTime: to } });
    });
    billingEvent(deps, actor.requestId, [r], `renewed automatically until ${to}`);
    return true;
  } catch (e) {
    if (!(e instanceof TencentError)) throw e;
    if (e.code === INSUFFICIENT_BALANCE) return false;
    // Changed by a request meanwhile: still due, so the next run decides again.
    deps.log.warn("billing could not renew now; it tries again", { instances: r.instanceId, code: e.code });
    return true;
  }
}

async function isolate(deps: Deps, records: readonly InstanceRecord[], source: "EXPIRE" | "ARREAR"): Promise<void> {
  for (const [actor, group] of byAccount(deps, "billing", records)) {
    const started = await attempt(deps, `isolate (${source})`, group, () => toRecycleBin(deps, actor, group, source));
    if (started) billingEvent(deps, actor.requestId, group, source === "ARREAR" ? "isolated: the account is in arrears" : "isolated: expired");
  }
}

/** One event per instance a billing rule started work on, with the RequestId its LatestOperationRequestId shows. */
function billingEvent(deps: Deps, requestId: string, records: readonly InstanceRecord[], what: string): void {
  for (const r of records) deps.log.event("billing", `${r.instanceId} ${what}`, { instance: r.instanceId, appId: r.appId, requestId });
}

/**
 * Starts work on instances, or leaves it for the next run when a request changed one of them meanwhile (the work is
 * still due then, and is found again).
 */
async function attempt(deps: Deps, what: string, records: readonly InstanceRecord[], work: () => Promise<void>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (e) {
    if (!(e instanceof TencentError)) throw e;
    deps.log.warn(`billing could not ${what} now; it tries again`, { instances: records.map((r) => r.instanceId).join(","), code: e.code });
    return false;
  }
}

/** The instances grouped by account and region, each group with a RequestId of its own for `job` to act under. */
function byAccount(deps: Deps, job: SystemJob, records: readonly InstanceRecord[]): [JobActor, InstanceRecord[]][] {
  const groups = new Map<string, InstanceRecord[]>();
  for (const r of records) groups.set(`${r.appId}/${r.region}`, [...(groups.get(`${r.appId}/${r.region}`) ?? []), r]);
  return [...groups.values()].map((group) => [jobActor(job, deps.clock.now()), group]);
}
