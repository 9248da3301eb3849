import { describe, expect, it } from "vitest";
import type { PriceTable } from "./catalog.js";
import {
  bandwidthHourlyCost,
  bandwidthMonthlyCost,
  bandwidthPrice,
  changePrice,
  daysBetween,
  forPeriod,
  hourlyCost,
  launchPrice,
  listPrice,
  money,
  monthlyCost,
  proRata,
  remainingDays,
  sumItems,
  terminationRefund,
  tiered,
  trafficPricePerGB,
  typeRate,
  UnpricedError,
  type PricedInstance,
} from "./pricing.js";

const TABLE: PriceTable = {
  instanceTypes: {
    "S5.MEDIUM4": { POSTPAID_BY_HOUR: 0.36, PREPAID: 171.07, SPOTPAID: 0.11 },
    "S5.LARGE8": { POSTPAID_BY_HOUR: 0.72, PREPAID: 342.14 },
  },
  disks: { CLOUD_PREMIUM: { perGiBHour: 0.0007, perGiBMonth: 0.35 }, CLOUD_SSD: { perGiBHour: 0.002, perGiBMonth: 1 } },
  bandwidth: {
    TRAFFIC_POSTPAID_BY_HOUR: { perGB: 0.8 },
    BANDWIDTH_POSTPAID_BY_HOUR: { perMbpsHour: [{ upTo: 5, price: 0.063 }, { upTo: null, price: 0.25 }] },
    BANDWIDTH_PREPAID: { perMbpsMonth: [{ upTo: 5, price: 23 }, { upTo: null, price: 80 }] },
  },
};
const discounts = (months: number) => ({ 12: 83, 36: 50, 60: 30 })[months] ?? 100;

const instance = (o: Partial<PricedInstance> = {}): PricedInstance => ({
  instanceType: "S5.MEDIUM4",
  chargeType: "POSTPAID_BY_HOUR",
  systemDisk: { DiskType: "CLOUD_PREMIUM", DiskSize: 50 },
  dataDisks: [],
  internet: { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 0 },
  ...o,
});

describe("money", () => {
  it.each([
    [0.395, 0.4],
    [0.145, 0.15],
    [1.005, 1.01],
    [2262.84 * 0.83, 1878.16],
    [-0.125, -0.13],
    [0.1 + 0.2, 0.3],
  ])("rounds %d to the cent, halves away from zero: %d", (x, want) => {
    expect(money(x)).toBe(want);
  });
});

describe("tiered", () => {
  const tiers = TABLE.bandwidth.BANDWIDTH_POSTPAID_BY_HOUR!.perMbpsHour;
  it.each([
    [0, 0],
    [1, 0.063],
    [5, 0.315],
    [6, 0.565],
    [10, 1.565],
  ])("prices %d Mbps progressively: %d", (mbps, want) => {
    expect(tiered(tiers, mbps)).toBeCloseTo(want, 10);
  });

  it("prices three tiers", () => {
    expect(tiered([{ upTo: 2, price: 1 }, { upTo: 4, price: 2 }, { upTo: null, price: 5 }], 7)).toBe(2 + 4 + 15);
  });
});

describe("what an instance costs", () => {
  it("by the hour: the type's price plus each GiB of disk", () => {
    expect(hourlyCost(TABLE, instance())).toBe(0.4); // 0.36 + 50 × 0.0007 = 0.395
    expect(hourlyCost(TABLE, instance({ dataDisks: [{ DiskType: "CLOUD_SSD", DiskSize: 100 }] }))).toBe(0.6); // + 0.2
    expect(hourlyCost(TABLE, instance({ chargeType: "SPOTPAID" }))).toBe(0.15); // 0.11 + 0.035
  });

  it("by the month: the type's monthly price plus each GiB of disk at monthly rates", () => {
    expect(monthlyCost(TABLE, instance({ chargeType: "PREPAID" }))).toBe(188.57); // 171.07 + 17.5
  });

  it("refuses what the table does not price", () => {
    expect(() => typeRate(TABLE, "S5.LARGE8", "SPOTPAID")).toThrow(UnpricedError);
    expect(() => hourlyCost(TABLE, instance({ instanceType: "M5.LARGE32" }))).toThrow(UnpricedError);
    expect(() => hourlyCost(TABLE, instance({ systemDisk: { DiskType: "CLOUD_TSSD", DiskSize: 50 } }))).toThrow(UnpricedError);
    expect(() => typeRate(TABLE, "toString", "PREPAID")).toThrow(UnpricedError);
  });

  it("bandwidth by its internet charge type, nothing without a public address", () => {
    expect(bandwidthHourlyCost(TABLE, { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 10 })).toBe(1.57);
    expect(bandwidthHourlyCost(TABLE, { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 10 })).toBe(0);
    expect(bandwidthMonthlyCost(TABLE, { InternetChargeType: "BANDWIDTH_PREPAID", InternetMaxBandwidthOut: 10 })).toBe(515);
    expect(bandwidthMonthlyCost(TABLE, { InternetChargeType: "BANDWIDTH_PREPAID", InternetMaxBandwidthOut: 0 })).toBe(0);
    expect(trafficPricePerGB(TABLE, { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 1 })).toBe(0.8);
    expect(trafficPricePerGB(TABLE, { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 0 })).toBe(0);
  });
});

describe("periods and days", () => {
  it("prices months with the period's discount", () => {
    expect(forPeriod(188.57, 12, 1, 83)).toEqual({ original: 2262.84, discounted: 1878.16 });
    expect(forPeriod(188.57, 1, 3, 100)).toEqual({ original: 565.71, discounted: 565.71 });
  });

  it("counts the days left of a term, a started day as a whole one", () => {
    const now = new Date("2026-03-01T12:00:00Z");
    expect(remainingDays(now, "2026-03-31T12:00:00Z")).toBe(30);
    expect(remainingDays(now, "2026-03-31T12:00:01Z")).toBe(31);
    expect(remainingDays(now, "2026-02-01T00:00:00Z")).toBe(0);
    expect(remainingDays(now, null)).toBe(0);
    expect(daysBetween("2026-03-01T00:00:00Z", "2026-03-11T00:00:00Z")).toBe(10);
  });

  it("pro-rates a monthly amount over 30-day months, refunds negative", () => {
    expect(proRata(300, 10)).toBe(100);
    expect(proRata(-171.07, 15)).toBe(-85.54);
  });
});

describe("quotes", () => {
  it("a pay-as-you-go launch: per hour for every instance, traffic per GB", () => {
    const price = launchPrice(TABLE, discounts, instance({ internet: { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 10 } }), 3);
    expect(price.InstancePrice).toEqual({ UnitPrice: 1.2, ChargeUnit: "HOUR", UnitPriceDiscount: 1.2, OriginalPrice: 0, DiscountPrice: 0, Discount: 100 });
    expect(price.BandwidthPrice).toMatchObject({ UnitPrice: 0.8, ChargeUnit: "GB" });
  });

  it("a monthly launch: paid up front, the period's discount on both instance and monthly bandwidth", () => {
    const price = launchPrice(TABLE, discounts, instance({ chargeType: "PREPAID", internet: { InternetChargeType: "BANDWIDTH_PREPAID", InternetMaxBandwidthOut: 10 } }), 2, 12);
    expect(price.InstancePrice).toEqual({ UnitPrice: 0, UnitPriceDiscount: 0, OriginalPrice: 4525.68, DiscountPrice: 3756.31, Discount: 83 });
    expect(price.BandwidthPrice).toEqual({ UnitPrice: 0, UnitPriceDiscount: 0, OriginalPrice: 12360, DiscountPrice: 10258.8, Discount: 83 });
  });

  it("bandwidth by the hour for every instance", () => {
    expect(bandwidthPrice(TABLE, discounts, { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 10 }, 2)).toMatchObject({ UnitPrice: 3.14, ChargeUnit: "HOUR" });
  });

  it("a change: the new hourly price, or the monthly difference for the days left", () => {
    const now = new Date("2026-03-01T00:00:00Z");
    expect(changePrice(TABLE, instance(), instance({ instanceType: "S5.LARGE8" }), now, null)).toMatchObject({ UnitPrice: 0.76, ChargeUnit: "HOUR" });
    const prepaid = instance({ chargeType: "PREPAID" });
    const up = changePrice(TABLE, prepaid, { ...prepaid, instanceType: "S5.LARGE8" }, now, "2026-03-16T00:00:00Z");
    expect(up).toMatchObject({ OriginalPrice: 85.54, DiscountPrice: 85.54, Discount: 100 }); // 171.07 × 15/30
    const down = changePrice(TABLE, { ...prepaid, instanceType: "S5.LARGE8" }, prepaid, now, "2026-03-16T00:00:00Z");
    expect(down.DiscountPrice).toBe(-85.54);
  });

  it("a termination refunds a monthly instance's days left, nothing for the others", () => {
    const now = new Date("2026-03-01T00:00:00Z");
    const prepaid = instance({ chargeType: "PREPAID", internet: { InternetChargeType: "BANDWIDTH_PREPAID", InternetMaxBandwidthOut: 1 } });
    expect(terminationRefund(TABLE, prepaid, now, "2026-03-11T00:00:00Z")).toBe(70.52); // (188.57 + 23) × 10/30
    expect(terminationRefund(TABLE, instance(), now, null)).toBe(0);
  });

  it("the list price of a type, monthly with the 1, 3 and 5 year figures", () => {
    expect(listPrice(TABLE, discounts, "S5.MEDIUM4", "POSTPAID_BY_HOUR")).toMatchObject({ UnitPrice: 0.36, ChargeUnit: "HOUR" });
    expect(listPrice(TABLE, discounts, "S5.MEDIUM4", "PREPAID")).toMatchObject({
      OriginalPrice: 171.07,
      DiscountPrice: 171.07,
      OriginalPriceOneYear: 2052.84,
      DiscountPriceOneYear: 1703.86,
      DiscountOneYear: 83,
      OriginalPriceThreeYear: 6158.52,
      DiscountPriceThreeYear: 3079.26,
      OriginalPriceFiveYear: 10264.2,
      DiscountPriceFiveYear: 3079.26,
    });
  });

  it("sums several instances' items to the cent", () => {
    const a = launchPrice(TABLE, discounts, instance(), 1).InstancePrice;
    expect(sumItems([a, a, a])).toMatchObject({ UnitPrice: 1.2, ChargeUnit: "HOUR", Discount: 100 });
  });
});
