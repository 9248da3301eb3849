// Prices, from a region's price table: pure functions, the only place figures are computed. The inquiry actions answer
// with them, and billing is to charge with the same functions, so what an inquiry quotes is what is charged.
//
// Rules (docs/catalog.md):
// - Money is rounded to the cent (halves up) once per figure: per instance and hour, per instance and month, then
//   multiplied by the instance count and the months, and rounded again.
// - A pay-as-you-go or spot instance costs its type's hourly price plus each disk's GiB × hourly rate; a monthly one
//   its type's monthly price plus each disk's GiB × monthly rate. There are no step prices for long-running
//   instances: UnitPrice holds for every hour.
// - Public bandwidth: TRAFFIC_POSTPAID_BY_HOUR costs per GB sent (nothing without a public address);
//   BANDWIDTH_POSTPAID_BY_HOUR per hour and BANDWIDTH_PREPAID per month, both for the capped Mbps, progressively
//   by tier.
// - A monthly purchase of n months pays the catalog's discount for n (percent of the list price, 100 = none).
// - Changing a monthly instance (type, disks, bandwidth) costs the monthly difference for the days left of its term,
//   at list price: a started day counts, a month is 30 days; a negative figure is a refund. Terminating one refunds
//   what it costs per month for the days left.
import type { PriceTable, Tier } from "./catalog.js";

export interface DiskSpec {
  DiskType: string;
  DiskSize: number;
}

export interface InternetSpec {
  InternetChargeType: string;
  InternetMaxBandwidthOut: number;
}

/** What decides what an instance costs. */
export interface PricedInstance {
  instanceType: string;
  chargeType: string;
  systemDisk: DiskSpec;
  dataDisks: readonly DiskSpec[];
  internet: InternetSpec;
}

/** The API's ItemPrice, as OpenCVM fills it. */
export interface ItemPrice {
  UnitPrice: number;
  ChargeUnit?: "HOUR" | "GB";
  OriginalPrice: number;
  DiscountPrice: number;
  Discount: number;
  UnitPriceDiscount: number;
  OriginalPriceOneYear?: number;
  DiscountPriceOneYear?: number;
  DiscountOneYear?: number;
  OriginalPriceThreeYear?: number;
  DiscountPriceThreeYear?: number;
  DiscountThreeYear?: number;
  OriginalPriceFiveYear?: number;
  DiscountPriceFiveYear?: number;
  DiscountFiveYear?: number;
}

export interface Price {
  InstancePrice?: ItemPrice;
  BandwidthPrice?: ItemPrice;
}

/** Something the price table has no price for (a catalog changed under existing instances). */
export class UnpricedError extends Error {}

const DAY_MS = 86_400_000;
/** Days in the month pro-rated changes and refunds count. */
export const DAYS_PER_MONTH = 30;

/** An amount to the cent, halves rounded away from zero. */
export function money(x: number): number {
  if (x < 0) return -money(-x);
  return Math.round(x * 100 + 1e-7) / 100;
}

/** The price of one instance of `type` billed as `chargeType`: per hour, or per month for PREPAID. */
export function typeRate(table: PriceTable, type: string, chargeType: string): number {
  const rate = Object.hasOwn(table.instanceTypes, type) ? table.instanceTypes[type][chargeType as keyof PriceTable["instanceTypes"][string]] : undefined;
  if (rate === undefined) throw new UnpricedError(`${type} has no ${chargeType} price`);
  return rate;
}

function diskRate(table: PriceTable, diskType: string): PriceTable["disks"][string] {
  if (!Object.hasOwn(table.disks, diskType)) throw new UnpricedError(`disk type ${diskType} has no price`);
  return table.disks[diskType];
}

const disksOf = (i: PricedInstance): DiskSpec[] => [i.systemDisk, ...i.dataDisks];

/** The sum of `mbps` priced progressively by `tiers`. */
export function tiered(tiers: readonly Tier[], mbps: number): number {
  let total = 0;
  let below = 0;
  for (const t of tiers) {
    const top = t.upTo === null ? mbps : Math.min(mbps, t.upTo);
    if (top > below) total += (top - below) * t.price;
    if (t.upTo === null || mbps <= t.upTo) break;
    below = t.upTo;
  }
  return total;
}

/** Per hour: an instance's compute and disks at the hourly rates (what a POSTPAID_BY_HOUR or SPOTPAID one costs). */
export function hourlyCost(table: PriceTable, i: PricedInstance): number {
  return money(typeRate(table, i.instanceType, i.chargeType) + disksOf(i).reduce((sum, d) => sum + d.DiskSize * diskRate(table, d.DiskType).perGiBHour, 0));
}

/** Per hour: an instance's disks alone (what a pay-as-you-go instance stopped with STOP_CHARGING costs). */
export function disksHourlyCost(table: PriceTable, i: PricedInstance): number {
  return money(disksOf(i).reduce((sum, d) => sum + d.DiskSize * diskRate(table, d.DiskType).perGiBHour, 0));
}

/** One cloud disk on its own: per hour (pay-as-you-go) or per month (monthly). */
export function diskCost(table: PriceTable, d: DiskSpec, per: "hour" | "month"): number {
  const rate = diskRate(table, d.DiskType);
  return money(d.DiskSize * (per === "hour" ? rate.perGiBHour : rate.perGiBMonth));
}

/** Per month: an instance's compute and disks at the monthly rates (what a PREPAID one costs). */
export function monthlyCost(table: PriceTable, i: PricedInstance): number {
  return money(typeRate(table, i.instanceType, "PREPAID") + disksOf(i).reduce((sum, d) => sum + d.DiskSize * diskRate(table, d.DiskType).perGiBMonth, 0));
}

/** Per hour: bandwidth billed BANDWIDTH_POSTPAID_BY_HOUR (0 for any other internet charge type). */
export function bandwidthHourlyCost(table: PriceTable, internet: InternetSpec): number {
  if (internet.InternetChargeType !== "BANDWIDTH_POSTPAID_BY_HOUR" || internet.InternetMaxBandwidthOut === 0) return 0;
  const p = table.bandwidth.BANDWIDTH_POSTPAID_BY_HOUR;
  if (!p) throw new UnpricedError("BANDWIDTH_POSTPAID_BY_HOUR has no price");
  return money(tiered(p.perMbpsHour, internet.InternetMaxBandwidthOut));
}

/** Per month: bandwidth billed BANDWIDTH_PREPAID (0 for any other internet charge type). */
export function bandwidthMonthlyCost(table: PriceTable, internet: InternetSpec): number {
  if (internet.InternetChargeType !== "BANDWIDTH_PREPAID" || internet.InternetMaxBandwidthOut === 0) return 0;
  const p = table.bandwidth.BANDWIDTH_PREPAID;
  if (!p) throw new UnpricedError("BANDWIDTH_PREPAID has no price");
  return money(tiered(p.perMbpsMonth, internet.InternetMaxBandwidthOut));
}

/** What changing BANDWIDTH_PREPAID bandwidth to `mbps` costs for the window it applies in (a refund when negative). */
export function bandwidthChangeCost(table: PriceTable, internet: InternetSpec, mbps: number, window: { start: string; end: string }): number {
  const after = bandwidthMonthlyCost(table, { ...internet, InternetMaxBandwidthOut: mbps });
  return proRata(after - bandwidthMonthlyCost(table, internet), daysBetween(window.start, window.end));
}

/** Per GB sent: traffic billed TRAFFIC_POSTPAID_BY_HOUR (0 without a public address or for another charge type). */
export function trafficPricePerGB(table: PriceTable, internet: InternetSpec): number {
  if (internet.InternetChargeType !== "TRAFFIC_POSTPAID_BY_HOUR" || internet.InternetMaxBandwidthOut === 0) return 0;
  const p = table.bandwidth.TRAFFIC_POSTPAID_BY_HOUR;
  if (!p) throw new UnpricedError("TRAFFIC_POSTPAID_BY_HOUR has no price");
  return p.perGB;
}

/** `months` of a monthly amount for `count` instances: the list price and what is paid after `discount` percent. */
export function forPeriod(monthly: number, months: number, count: number, discount: number): { original: number; discounted: number } {
  const original = money(monthly * months * count);
  return { original, discounted: money((original * discount) / 100) };
}

/** Whole days from `now` until `expiredTime` (a started day counts; none once expired or without a term). */
export function remainingDays(now: Date, expiredTime: string | null): number {
  if (!expiredTime) return 0;
  return Math.max(0, Math.ceil((Date.parse(expiredTime) - now.getTime()) / DAY_MS));
}

/** Whole days from `start` to `end` (a started day counts). */
export function daysBetween(start: string, end: string): number {
  return Math.max(0, Math.ceil((Date.parse(end) - Date.parse(start)) / DAY_MS));
}

/** A monthly amount for `days` days, 30 to the month. */
export function proRata(monthly: number, days: number): number {
  return money((monthly * days) / DAYS_PER_MONTH);
}

/** An ItemPrice billed by the unit (pay-as-you-go): `unitPrice` per hour or per GB, no discount. */
export function unitItem(unitPrice: number, chargeUnit: "HOUR" | "GB"): ItemPrice {
  return { UnitPrice: unitPrice, ChargeUnit: chargeUnit, UnitPriceDiscount: unitPrice, OriginalPrice: 0, DiscountPrice: 0, Discount: 100 };
}

/** An ItemPrice paid up front: the list price and what is paid. */
export function upfrontItem(original: number, discounted: number, discount: number): ItemPrice {
  return { UnitPrice: 0, UnitPriceDiscount: 0, OriginalPrice: original, DiscountPrice: discounted, Discount: discount };
}

/** Percent of the list price paid for a purchase of `months` months. */
export type Discounts = (months: number) => number;

/** What launching `count` instances costs (InquiryPriceRunInstances); `months` for PREPAID ones. */
export function launchPrice(table: PriceTable, discounts: Discounts, i: PricedInstance, count: number, months?: number): Required<Price> {
  let instance: ItemPrice;
  // On a dedicated host (CDHPAID) the host pays for the instance's CPU, memory and disks: only bandwidth is its own.
  if (i.chargeType === "CDHPAID") {
    instance = unitItem(0, "HOUR");
  } else if (i.chargeType === "PREPAID") {
    const { original, discounted } = forPeriod(monthlyCost(table, i), months!, count, discounts(months!));
    instance = upfrontItem(original, discounted, discounts(months!));
  } else {
    instance = unitItem(money(hourlyCost(table, i) * count), "HOUR");
  }
  return { InstancePrice: instance, BandwidthPrice: bandwidthPrice(table, discounts, i.internet, count, months) };
}

/** What `count` instances' public bandwidth costs: per GB, per hour, or for `months` up front. */
export function bandwidthPrice(table: PriceTable, discounts: Discounts, internet: InternetSpec, count: number, months?: number): ItemPrice {
  switch (internet.InternetChargeType) {
    case "TRAFFIC_POSTPAID_BY_HOUR":
      return unitItem(trafficPricePerGB(table, internet), "GB");
    case "BANDWIDTH_POSTPAID_BY_HOUR":
      return unitItem(money(bandwidthHourlyCost(table, internet) * count), "HOUR");
    case "BANDWIDTH_PREPAID": {
      const m = months ?? 1;
      const { original, discounted } = forPeriod(bandwidthMonthlyCost(table, internet), m, count, discounts(m));
      return upfrontItem(original, discounted, discounts(m));
    }
  }
  throw new UnpricedError(`internet charge type ${internet.InternetChargeType} has no price`);
}

/**
 * The price of changing an instance from `before` to `after` (type, disks): for a pay-as-you-go or spot instance
 * its hourly price from then on; for a monthly one the difference for the days left of its term, at list price.
 */
export function changePrice(table: PriceTable, before: PricedInstance, after: PricedInstance, now: Date, expiredTime: string | null): ItemPrice {
  if (before.chargeType !== "PREPAID") return unitItem(hourlyCost(table, after), "HOUR");
  const amount = proRata(monthlyCost(table, after) - monthlyCost(table, before), remainingDays(now, expiredTime));
  return upfrontItem(amount, amount, 100);
}

/** What is refunded when a monthly instance is terminated: its monthly cost for the days left (0 for any other). */
export function terminationRefund(table: PriceTable, i: PricedInstance, now: Date, expiredTime: string | null): number {
  if (i.chargeType !== "PREPAID") return 0;
  return proRata(monthlyCost(table, i) + bandwidthMonthlyCost(table, i.internet), remainingDays(now, expiredTime));
}

/**
 * What TerminateInstances refunds of a monthly instance's own term, as InquiryPriceTerminateInstances quotes it: not
 * its data disks, which keep their term (or, with ReleasePrepaidDataDisks, are refunded each on its own).
 */
export function instanceRefund(table: PriceTable, i: PricedInstance, now: Date, expiredTime: string | null): number {
  return terminationRefund(table, { ...i, dataDisks: [] }, now, expiredTime);
}

/** What is left of a monthly disk's term, refunded when it is released with its instance. */
export function diskRefund(table: PriceTable, d: DiskSpec, now: Date, deadline: string | null): number {
  return proRata(diskCost(table, d, "month"), remainingDays(now, deadline));
}

/** The catalog's own prices for one type (DescribeZoneInstanceConfigInfos), monthly with the 1/3/5-year figures. */
export function listPrice(table: PriceTable, discounts: Discounts, type: string, chargeType: string): ItemPrice {
  const rate = typeRate(table, type, chargeType);
  if (chargeType !== "PREPAID") return unitItem(rate, "HOUR");
  const year = (months: number) => forPeriod(rate, months, 1, discounts(months));
  const [one, three, five] = [year(12), year(36), year(60)];
  return {
    ...upfrontItem(rate, forPeriod(rate, 1, 1, discounts(1)).discounted, discounts(1)),
    OriginalPriceOneYear: one.original,
    DiscountPriceOneYear: one.discounted,
    DiscountOneYear: discounts(12),
    OriginalPriceThreeYear: three.original,
    DiscountPriceThreeYear: three.discounted,
    DiscountThreeYear: discounts(36),
    OriginalPriceFiveYear: five.original,
    DiscountPriceFiveYear: five.discounted,
    DiscountFiveYear: discounts(60),
  };
}

/** Sums ItemPrices of one kind (several instances' figures), to the cent. */
export function sumItems(items: readonly ItemPrice[]): ItemPrice {
  const add = (k: "UnitPrice" | "OriginalPrice" | "DiscountPrice" | "UnitPriceDiscount") => money(items.reduce((s, x) => s + x[k], 0));
  const discount = items.length && items.every((x) => x.Discount === items[0].Discount) ? items[0].Discount : 100;
  const unit = items.find((x) => x.ChargeUnit)?.ChargeUnit;
  return {
    UnitPrice: add("UnitPrice"),
    ...(unit ? { ChargeUnit: unit } : {}),
    OriginalPrice: add("OriginalPrice"),
    DiscountPrice: add("DiscountPrice"),
    Discount: discount,
    UnitPriceDiscount: add("UnitPriceDiscount"),
  };
}
