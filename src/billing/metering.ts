// Hourly settlement: each hour's share of every meter that ran in it, one bill line per resource and hour, paid
// from the account's cash (debt once the cash runs out). Usage counts by the second. An account's hour is settled
// in batches of resources, each in one transaction with the progress mark that says it was, so a batch is written
// once (on any number of nodes: the transaction holds the account's mark first) and a large account never holds
// the writer for long.
import { isoSeconds } from "../domain/dates.js";
import type { AccountSettlement, BillComponent, MeterRecord, NewBill, Store } from "../store/store.js";

export const HOUR_MS = 3_600_000;
const LOOKUP_SLICE = 500;
/** Resources settled per transaction. */
export const SETTLE_BATCH = 2_000;
/** service_state key: the end of the hour every account is settled up to (ms); where a new account starts. */
export const METERED_UNTIL = "metered_until";

/**
 * Settles the next batch of the account's resources in the hour after its mark; answers the new mark, which is
 * the next hour once the batch was the hour's last.
 */
export async function settleBatch(store: Store, progress: AccountSettlement, batch = SETTLE_BATCH): Promise<AccountSettlement> {
  const start = progress.settledUntil;
  const end = start + HOUR_MS;
  return store.transaction(async (tx) => {
    // Another node (a leader whose lead passed on mid-run) may have settled this batch already: then it is not
    // settled again, and the account goes on from where that node left it.
    const ahead = await tx.billing.holdSettlement(progress);
    if (ahead) return ahead;
    const meters = await tx.billing.accountMeters(progress.appId, start, end, progress.resumeAfter, batch);
    const byResource = new Map<string, MeterRecord[]>();
    for (const m of meters) byResource.set(m.resourceId, [...(byResource.get(m.resourceId) ?? []), m]);
    const names = new Map<string, { instanceName: string; projectId: number }>();
    const ids = [...byResource.keys()];
    // In slices: a statement takes a bounded number of parameters.
    for (let i = 0; i < ids.length; i += LOOKUP_SLICE) {
      for (const r of await tx.instances.labels(ids.slice(i, i + LOOKUP_SLICE))) names.set(r.instanceId, r);
    }
    // Most spans are the whole hour: its two times are written once.
    const [startIso, endIso] = [isoSeconds(new Date(start)), isoSeconds(new Date(end))];
    const iso = (t: number) => (t === start ? startIso : t === end ? endIso : isoSeconds(new Date(t)));
    const lines: NewBill[] = [];
    for (const [resourceId, ms] of byResource) {
      const spans = ms.map((m) => ({ m, from: Math.max(m.since, start), to: Math.min(m.until ?? end, end) }));
      const components: BillComponent[] = spans.map(({ m, from, to }) => ({
        component: m.component,
        price: m.rate,
        used: (to - from) / 1000,
        cost: Math.round((m.rate * (to - from)) / HOUR_MS),
        detail: m.detail,
      }));
      const amount = components.reduce((sum, c) => sum + c.cost, 0);
      if (amount <= 0) continue;
      const first = ms[0];
      const instance = names.get(resourceId);
      lines.push({
        appId: first.appId,
        month: startIso.slice(0, 7),
        resourceId,
        payMode: "postPay",
        actionType: "postpay_deduct_h",
        businessCode: businessCode(first.component),
        region: String(first.detail.Region ?? ""),
        amount,
        feeBegin: iso(Math.min(...spans.map((s) => s.from))),
        feeEnd: iso(Math.max(...spans.map((s) => s.to))),
        payTime: endIso,
        zone: String(first.detail.Zone ?? ""),
        resourceName: instance?.instanceName ?? resourceId,
        projectId: instance?.projectId ?? 0,
        instanceType: String(first.detail.InstanceType ?? ""),
        components,
      });
    }
    // One debit for the batch.
    const owed = lines.reduce((sum, l) => sum + l.amount, 0);
    if (owed > 0) await tx.billing.debit(progress.appId, owed, endIso);
    await tx.billing.addBills(lines);
    const done = byResource.size < batch;
    const next: AccountSettlement = done
      ? { appId: progress.appId, settledUntil: end, resumeAfter: "", failures: 0, lastError: null }
      : { appId: progress.appId, settledUntil: start, resumeAfter: ids.at(-1)!, failures: 0, lastError: null };
    await tx.billing.setSettlement(next);
    return next;
  }, progress.appId);
}

/** The product a meter's component bills for, by its prefix. */
function businessCode(component: string): string {
  if (component.startsWith("eip-")) return "p_eip";
  if (component.startsWith("cbs-")) return "p_cbs";
  return "p_cvm";
}
