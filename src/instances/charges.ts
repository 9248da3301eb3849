// What changing an instance costs, for a request or a system job, inside its own transaction: the same figures the
// InquiryPrice* actions quote, from domain/pricing.ts, charged or refunded through billing/ledger.ts. A charge the
// account cannot pay refuses the change with InvalidAccount.InsufficientBalance and writes nothing.
import { billedDisk, chargeInstance, refusal, spendable } from "../billing/ledger.js";
import { hourFrozen, pricedInstance } from "../billing/rating.js";
import type { Deps } from "../deps.js";
import type { PriceTable } from "../domain/catalog.js";
import { addMonths, isoSeconds } from "../domain/dates.js";
import { bandwidthChangeCost, bandwidthMonthlyCost, changePrice, diskRefund, forPeriod, instanceRefund, monthlyCost, terminationRefund, UnpricedError, type PricedInstance } from "../domain/pricing.js";
import type { DiskRecord, InstanceRecord, Store } from "../store/store.js";
import type { Actor, RequestActor } from "./actor.js";

/** The region's price table; a figure it cannot price is charged nothing (the purchase checks refused unpriced ones). */
function withPrices(deps: Deps, region: string, figure: (table: PriceTable) => number): number {
  const table = deps.catalog.prices(region);
  if (!table) return 0;
  try {
    return figure(table);
  } catch (e) {
    if (e instanceof UnpricedError) return 0;
    throw e;
  }
}

/** What renewing a monthly instance for `months` costs after the `discount` percent: compute, disks, monthly bandwidth. */
export function renewalCost(table: PriceTable, discount: number, r: Pick<InstanceRecord, "instanceType" | "chargeType" | "doc">, months: number): number {
  const i = pricedInstance(r);
  return forPeriod(monthlyCost(table, i), months, 1, discount).discounted + forPeriod(bandwidthMonthlyCost(table, i.internet), months, 1, discount).discounted;
}

/**
 * Pays for instances just written by RunInstances: a monthly one's term up front; for pay-as-you-go ones, the hour
 * the store froze for each must be covered by what the account can spend.
 */
export async function payForLaunch(tx: Store, deps: Deps, actor: RequestActor, records: readonly InstanceRecord[], months: number | null): Promise<void> {
  if (months === null) {
    // The store froze the hours as it wrote the instances: what is left must not be negative.
    const need = records.reduce((sum, r) => sum + withPrices(deps, r.region, (table) => hourFrozen(table, pricedInstance(r))), 0);
    const left = await spendable(tx, deps, actor.account.appId);
    if (left < 0) throw refusal(deps, left + need, need, { en: "an hour of the new instances' cost, frozen until they are terminated", zh: "新实例一小时的费用（冻结至实例销毁）" });
    return;
  }
  const pct = deps.catalog.prepaidDiscount(months);
  for (const r of records) {
    const amount = withPrices(deps, r.region, (table) => renewalCost(table, pct, r, months));
    await chargeInstance(tx, deps, actor.now, { instance: r, actionType: "pre_purchase", amount, months, from: r.createdAt, to: r.doc.ExpiredTime ?? r.createdAt });
  }
}

/** Charges a renewal of `months` from the current expiry (RenewInstances); returns the new expiry. */
export async function payForRenewal(tx: Store, deps: Deps, actor: Actor, r: InstanceRecord, months: number): Promise<string> {
  const from = r.doc.ExpiredTime ?? isoSeconds(actor.now);
  const to = addMonths(from, months);
  const amount = withPrices(deps, r.region, (table) => renewalCost(table, deps.catalog.prepaidDiscount(months), r, months));
  await chargeInstance(tx, deps, actor.now, { instance: r, actionType: "pre_renew", amount, months, from, to });
  return to;
}

/** Charges the first term of a pay-as-you-go instance switched to monthly (ModifyInstancesChargeType). */
export async function payForSwitch(tx: Store, deps: Deps, actor: Actor, r: InstanceRecord, months: number, expiredTime: string): Promise<void> {
  const amount = withPrices(deps, r.region, (table) => forPeriod(monthlyCost(table, pricedInstance({ ...r, chargeType: "PREPAID" })), months, 1, deps.catalog.prepaidDiscount(months)).discounted);
  await chargeInstance(tx, deps, actor.now, { instance: r, actionType: "pre_purchase", amount, months, from: isoSeconds(actor.now), to: expiredTime });
}

/** Charges (or refunds) a monthly instance's change for the rest of its term (type, disks); nothing for others. */
export async function payForChange(tx: Store, deps: Deps, actor: Actor, r: InstanceRecord, after: Partial<PricedInstance>): Promise<void> {
  if (r.chargeType !== "PREPAID") return;
  const amount = withPrices(deps, r.region, (table) => changePrice(table, pricedInstance(r), { ...pricedInstance(r), ...after }, actor.now, r.doc.ExpiredTime).DiscountPrice);
  await chargeInstance(tx, deps, actor.now, { instance: r, actionType: "pre_upgrade", amount, from: isoSeconds(actor.now), to: r.doc.ExpiredTime ?? isoSeconds(actor.now) });
}

/**
 * Refunds what is left of a monthly instance's term as it is returned (`pre_refund`: its own term, at
 * InquiryPriceTerminateInstances' figure; its data disks are refunded apart, if at all) or switched to pay-as-you-go
 * (`pre_to_post`: with its data disks); the term ends now.
 */
export async function refundTerm(tx: Store, deps: Deps, actor: Actor, r: InstanceRecord, actionType: "pre_refund" | "pre_to_post" = "pre_refund"): Promise<void> {
  const refund = actionType === "pre_refund" ? instanceRefund : terminationRefund;
  const amount = withPrices(deps, r.region, (table) => refund(table, pricedInstance(r), actor.now, r.doc.ExpiredTime));
  const now = isoSeconds(actor.now);
  await chargeInstance(tx, deps, actor.now, { instance: r, actionType, amount: -amount, from: now, to: r.doc.ExpiredTime ?? now });
  await tx.instances.update(r.instanceId, { doc: { ExpiredTime: now } });
}

/** Refunds what is left of each monthly data disk's term as it is released with its instance, on a line of its own. */
export async function refundDataDisks(tx: Store, deps: Deps, actor: Actor, disks: readonly DiskRecord[]): Promise<void> {
  const now = isoSeconds(actor.now);
  for (const d of disks) {
    const amount = withPrices(deps, d.region, (table) => diskRefund(table, { DiskType: d.diskType, DiskSize: d.diskSize }, actor.now, d.deadline));
    await chargeInstance(tx, deps, actor.now, { instance: billedDisk(d), actionType: "pre_refund", amount: -amount, from: now, to: d.deadline ?? now, businessCode: "p_cbs", detail: { Disk: `${d.diskType} ${d.diskSize} GiB` } });
  }
}

/** Charges (or refunds) a BANDWIDTH_PREPAID change for its window, at InquiryPriceResetInstancesInternetMaxBandwidth's figure. */
export async function payForBandwidth(tx: Store, deps: Deps, actor: Actor, r: InstanceRecord, bandwidth: number, window: { start: string; end: string }): Promise<void> {
  const amount = withPrices(deps, r.region, (table) => bandwidthChangeCost(table, r.doc.InternetAccessible, bandwidth, window));
  await chargeInstance(tx, deps, actor.now, { instance: r, actionType: "pre_upgrade", amount, from: window.start, to: window.end });
}
