// Money moving now, inside the transaction of the action that causes it: a monthly purchase, renewal, change or
// refund is paid (or refunded) and written as a bill line in one step, and a purchase the account cannot pay for is
// refused before anything is written. Hourly usage is settled by billing/metering.ts.
import type { Config } from "../config.js";
import type { Catalog } from "../domain/catalog.js";
import { isoSeconds } from "../domain/dates.js";
import { fail, TencentError } from "../domain/errors.js";
import { bandwidthMonthlyCost, diskCost, forPeriod, typeRate, UnpricedError } from "../domain/pricing.js";
import type { AddressRecord, DiskRecord, HostRecord, InstanceRecord, NewBill, PoolPackRecord, Store } from "../store/store.js";
import type { ActionType, BusinessCode } from "./bill-lines.js";
import { MICRO, toMicro } from "./rating.js";

/** What a bill line says about the instance it is for. */
export type BilledInstance = Pick<InstanceRecord, "instanceId" | "appId" | "region" | "zone" | "instanceName" | "projectId" | "instanceType">;

export interface InstanceCharge {
  instance: BilledInstance;
  actionType: ActionType;
  /** In the currency; negative for a refund. */
  amount: number;
  /** Months bought (purchases and renewals), for the line's time span. */
  months?: number;
  /** The term the charge covers. */
  from: string;
  to: string;
  /** The product the line is for: p_cvm unless said (p_cbs for a cloud disk of its own, p_eip for a monthly EIP). */
  businessCode?: BusinessCode;
  /** What the line's component says of the resource; the instance type unless said. */
  detail?: Record<string, string | number>;
  /** The code an unaffordable charge is refused with, where the action documents another than INSUFFICIENT_BALANCE. */
  refusedWith?: string;
}

/** What the ledger reads: the opening balance and the currency. */
export interface Books {
  config: Config;
  catalog: Catalog;
}

const shown = (micro: number) => (micro / MICRO).toFixed(2);

/** What the account can spend now: cash less debt and the amounts frozen for its pay-as-you-go resources. */
export async function spendable(tx: Store, books: Books, appId: number): Promise<number> {
  const b = await tx.billing.balance(appId, toMicro(books.config.balance));
  return b.cash - b.owed - b.frozen;
}

/** The code a charge the account cannot pay is refused with: every action that charges documents it. */
export const INSUFFICIENT_BALANCE = "InvalidAccount.InsufficientBalance";

/** Refuses unless the account can spend `micro` now. */
async function requireFunds(tx: Store, books: Books, appId: number, micro: number, what: { en: string; zh: string }, code?: string): Promise<void> {
  const have = await spendable(tx, books, appId);
  if (have < micro) throw refusal(books, have, micro, what, code);
}

/** The refusal of a charge of `need` when the account can spend `have` (micro-units). */
export function refusal(books: Books, have: number, need: number, what: { en: string; zh: string }, code = INSUFFICIENT_BALANCE): Error {
  const currency = books.catalog.currency;
  // The balance as DescribeAccountBalance reports it: Balance, whole cents, rounded down.
  const balance = Math.floor(have / (MICRO / 100));
  return fail(
    code,
    `The account's balance cannot cover ${what.en}: it costs ${shown(need)} ${currency}, and DescribeAccountBalance reports a Balance of ${balance} cents (${shown(balance * (MICRO / 100))} ${currency}).`,
    `账户余额不足以支付${what.zh}：费用为 ${shown(need)} ${currency}，DescribeAccountBalance 显示的可用余额 Balance 为 ${balance} 分（${shown(balance * (MICRO / 100))} ${currency}）。`,
  );
}

/** Pays (or refunds) a one-off amount for an instance and writes its bill line; refused if unaffordable. */
export async function chargeInstance(tx: Store, books: Books, at: Date, c: InstanceCharge): Promise<void> {
  const amount = toMicro(c.amount);
  if (amount === 0) return;
  const appId = c.instance.appId;
  if (amount > 0) {
    // Not named by instance: a purchase's instances do not exist when it is refused.
    await requireFunds(tx, books, appId, amount, { en: "the charge of this request", zh: "本次请求的费用" }, c.refusedWith);
    await tx.billing.debit(appId, amount, isoSeconds(at));
  } else {
    await tx.billing.credit(appId, -amount);
  }
  await tx.billing.addBills([instanceLine(c, amount, at)]);
}

/**
 * Renews a term automatically: charges `amount` for a month from `from` to `to` (`pre_renew`) and writes the new term
 * with `extend`, in one transaction; false, and nothing written, when the account cannot pay.
 */
export async function renewAutomatically(store: Store, books: Books, at: Date, instance: BilledInstance, amount: number, from: string, to: string, extend: (tx: Store) => Promise<void>): Promise<boolean> {
  try {
    await store.transaction(async (tx) => {
      await chargeInstance(tx, books, at, { instance, actionType: "pre_renew", amount, months: 1, from, to });
      await extend(tx);
    }, instance.appId);
    return true;
  } catch (e) {
    if (e instanceof TencentError && e.code === INSUFFICIENT_BALANCE) return false;
    throw e;
  }
}

/** A cloud disk as its bill lines name it: its id, name and type where an instance's would be. */
export function billedDisk(d: DiskRecord): BilledInstance {
  return { instanceId: d.diskId, appId: d.appId, region: d.region, zone: d.zone, instanceName: d.diskName, projectId: d.projectId, instanceType: d.diskType };
}

/**
 * What `months` of a monthly disk of this type and size cost, list and after the prepaid discount (per disk); null
 * when the region's table does not price it.
 */
export function diskTermPrice(catalog: Catalog, region: string, d: Pick<DiskRecord, "diskType" | "diskSize">, months: number): { original: number; discounted: number; discount: number } | null {
  const table = catalog.prices(region);
  if (!table) return null;
  const discount = catalog.prepaidDiscount(months);
  try {
    return { ...forPeriod(diskCost(table, { DiskType: d.diskType, DiskSize: d.diskSize }, "month"), months, 1, discount), discount };
  } catch (e) {
    if (e instanceof UnpricedError) return null;
    throw e;
  }
}

/** A dedicated host as its bill lines name it: its id, name and type where an instance's would be. */
export function billedHost(h: HostRecord): BilledInstance {
  return { instanceId: h.hostId, appId: h.appId, region: h.region, zone: h.zone, instanceName: h.hostName, projectId: h.projectId, instanceType: h.hostType };
}

/** What `months` of a host of `hostType` cost, list and after the prepaid discount; null when the catalog has no such type. */
export function hostTermPrice(catalog: Catalog, hostType: string, months: number): { original: number; discounted: number; discount: number } | null {
  const type = catalog.hostType(hostType);
  if (!type) return null;
  const discount = catalog.prepaidDiscount(months);
  return { ...forPeriod(type.monthlyPrice, months, 1, discount), discount };
}

/** What `count` resource pool packs of `type` cost for `months`, list and after the prepaid discount; null when unpriced. */
export function packTermPrice(catalog: Catalog, region: string, type: string, months: number, count = 1): { original: number; discounted: number; discount: number } | null {
  const table = catalog.prices(region);
  if (!table) return null;
  try {
    const discount = catalog.prepaidDiscount(months);
    return { ...forPeriod(typeRate(table, type, "PREPAID"), months, count, discount), discount };
  } catch (e) {
    if (e instanceof UnpricedError) return null;
    throw e;
  }
}

/** A pack as its bill lines name it: its id, name and type where an instance's would be. */
export function billedPack(p: PoolPackRecord): BilledInstance {
  return { instanceId: p.packId, appId: p.appId, region: p.region, zone: p.zone, instanceName: p.packName, projectId: 0, instanceType: p.instanceType };
}

/** A month of `mbps` prepaid bandwidth at the region's list price; 0 where the catalog has no price for it. */
export function monthlyBandwidth(catalog: Catalog, region: string, mbps: number): number {
  const table = catalog.prices(region);
  if (!table) return 0;
  try {
    return bandwidthMonthlyCost(table, { InternetChargeType: "BANDWIDTH_PREPAID", InternetMaxBandwidthOut: mbps });
  } catch (e) {
    if (e instanceof UnpricedError) return 0;
    throw e;
  }
}

/** `months` of `mbps` bandwidth after the prepaid discount, as InquiryPriceRunInstances quotes BANDWIDTH_PREPAID. */
export function addressTermCost(catalog: Catalog, region: string, mbps: number, months: number): number {
  return forPeriod(monthlyBandwidth(catalog, region, mbps), months, 1, catalog.prepaidDiscount(months)).discounted;
}

export interface AddressCharge {
  actionType: ActionType;
  /** In the currency; negative for a refund. */
  amount: number;
  from: string;
  to: string;
  months?: number;
  /** The code an unaffordable charge is refused with (INSUFFICIENT_BALANCE unless said). */
  refusedWith?: string;
}

/** Pays (or refunds) for an EIP and writes its bill line. */
export function chargeAddress(tx: Store, books: Books, now: Date, a: AddressRecord, c: AddressCharge): Promise<void> {
  const instance = { instanceId: a.addressId, appId: a.appId, region: a.region, zone: "", instanceName: a.name, projectId: 0, instanceType: "EIP" };
  return chargeInstance(tx, books, now, { instance, ...c, businessCode: "p_eip", detail: { AddressIp: a.ip, Bandwidth: a.bandwidth } });
}

function instanceLine(c: InstanceCharge, amount: number, at: Date): NewBill {
  const i = c.instance;
  const payTime = isoSeconds(at);
  return {
    appId: i.appId,
    month: payTime.slice(0, 7),
    resourceId: i.instanceId,
    payMode: "prePay",
    actionType: c.actionType,
    businessCode: c.businessCode ?? "p_cvm",
    region: i.region,
    amount,
    feeBegin: c.from,
    feeEnd: c.to,
    payTime,
    zone: i.zone,
    resourceName: i.instanceName,
    projectId: i.projectId,
    instanceType: i.instanceType,
    components: [{ component: "subscription", price: amount, used: c.months ?? 1, cost: amount, detail: c.detail ?? { InstanceType: i.instanceType } }],
  };
}
