// Hourly settlement: each hour's share of every meter that ran in it, one bill line per resource and hour, paid
// from the account's cash (debt once the cash runs out). Usage counts by the second; an hour is settled once, in
// one transaction with the mark that says it was.
import { isoSeconds } from "../domain/dates.js";
import type { BillComponent, BillRecord, MeterRecord, Store } from "../store/store.js";
import { billId } from "./bill-lines.js";

export const HOUR_MS = 3_600_000;
const LOOKUP_SLICE = 500;
/** service_state key: the end of the last settled hour (ms). */
export const METERED_UNTIL = "metered_until";

/** Settles the hour starting at `start` (ms, on the hour); returns how many bill lines it wrote. */
export async function settleHour(store: Store, start: number): Promise<number> {
  const end = start + HOUR_MS;
  return store.transaction(async (tx) => {
    const meters = await tx.billing.metersDuring(start, end);
    const byResource = new Map<string, MeterRecord[]>();
    for (const m of meters) byResource.set(m.resourceId, [...(byResource.get(m.resourceId) ?? []), m]);
    const names = new Map<string, { instanceName: string; projectId: number }>();
    const ids = [...byResource.keys()];
    // In slices: a statement takes a bounded number of parameters, and an hour may have many resources.
    for (let i = 0; i < ids.length; i += LOOKUP_SLICE) {
      for (const r of await tx.instances.labels(ids.slice(i, i + LOOKUP_SLICE))) names.set(r.instanceId, r);
    }
    // Most spans are the whole hour: its two times are written once.
    const [startIso, endIso] = [isoSeconds(new Date(start)), isoSeconds(new Date(end))];
    const iso = (t: number) => (t === start ? startIso : t === end ? endIso : isoSeconds(new Date(t)));
    const lines: BillRecord[] = [];
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
        billId: billId(new Date(end)),
        appId: first.appId,
        month: startIso.slice(0, 7),
        resourceId,
        payMode: "postPay",
        actionType: "postpay_deduct_h",
        businessCode: first.component.startsWith("eip-") ? "p_eip" : "p_cvm",
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
    // One debit per account for the hour.
    const owed = new Map<number, number>();
    for (const l of lines) owed.set(l.appId, (owed.get(l.appId) ?? 0) + l.amount);
    for (const [appId, amount] of owed) await tx.billing.debit(appId, amount, endIso);
    await tx.billing.addBills(lines);
    await tx.billing.prune(end);
    await tx.billing.setState(METERED_UNTIL, String(end));
    return lines.length;
  });
}
