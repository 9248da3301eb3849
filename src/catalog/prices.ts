// The default price table, per region, in CNY. Illustrative: of the order of magnitude the real cloud publishes for
// its China site (S5.MEDIUM4 about 0.36 CNY an hour pay-as-you-go; a month about 0.66 of 720 hours; spot about 30%
// of pay-as-you-go; premium cloud disk 0.35 CNY per GiB and month; traffic 0.8 CNY per GB; bandwidth 0.063 CNY per
// Mbps and hour up to 5 Mbps, then 0.25; monthly bandwidth 23 CNY per Mbps up to 5, then 80; an idle EIP 0.2 CNY an
// hour), with other regions priced relative to Guangzhou. They are not Tencent's prices.
import type { CatalogFile, PriceTableFile } from "../domain/catalog-file.js";
import { money } from "../domain/pricing.js";
import { FAMILY_ROWS } from "./instance-types.js";
import { REGION_ROWS } from "./regions.js";

/** Each region's prices relative to ap-guangzhou. */
const REGION_FACTOR: Record<string, number> = {
  "ap-guangzhou": 1,
  "ap-shanghai": 1,
  "ap-beijing": 1,
  "ap-nanjing": 0.95,
  "ap-chengdu": 0.95,
  "ap-chongqing": 0.95,
  "ap-hongkong": 1.2,
  "ap-shenzhen-fsi": 1.3,
  "ap-shanghai-fsi": 1.3,
  "ap-singapore": 1.15,
  "ap-bangkok": 1.15,
  "ap-jakarta": 1.2,
  "ap-seoul": 1.25,
  "ap-tokyo": 1.25,
  "ap-mumbai": 1.1,
  "na-siliconvalley": 1.2,
  "na-ashburn": 1.15,
  "eu-frankfurt": 1.25,
  "sa-saopaulo": 1.45,
};

/** A month of a monthly instance costs this share of 720 pay-as-you-go hours. */
const MONTHLY_SHARE = 0.66;
/** A spot hour costs this share of a pay-as-you-go hour. */
const SPOT_SHARE = 0.3;

/** ap-guangzhou's disk prices per GiB. */
const DISKS: Record<string, { perGiBHour: number; perGiBMonth: number }> = {
  CLOUD_BASIC: { perGiBHour: 0.0006, perGiBMonth: 0.3 },
  CLOUD_PREMIUM: { perGiBHour: 0.0007, perGiBMonth: 0.35 },
  CLOUD_BSSD: { perGiBHour: 0.001, perGiBMonth: 0.5 },
  CLOUD_SSD: { perGiBHour: 0.002, perGiBMonth: 1 },
  CLOUD_HSSD: { perGiBHour: 0.0022, perGiBMonth: 1.1 },
  CLOUD_TSSD: { perGiBHour: 0.003, perGiBMonth: 1.5 },
};

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

function table(factor: number): PriceTableFile {
  const instanceTypes: PriceTableFile["instanceTypes"] = {};
  for (const f of FAMILY_ROWS) {
    for (const [suffix, cpu, memory, gpus] of f.sizes) {
      // Thousandths of a CNY, so the base figure is exact before it is scaled and rounded to the cent.
      const base = (cpu * f.rate.cpu + memory * f.rate.memory + (gpus ?? 0) * (f.rate.gpu ?? 0)) / 1000;
      const hourly = money(base * factor);
      instanceTypes[`${f.family}.${suffix}`] = {
        POSTPAID_BY_HOUR: hourly,
        PREPAID: money(hourly * 720 * MONTHLY_SHARE),
        ...(f.spot ? { SPOTPAID: Math.max(0.01, money(hourly * SPOT_SHARE)) } : {}),
      };
    }
  }
  const disks = Object.fromEntries(
    Object.entries(DISKS).map(([type, p]) => [type, { perGiBHour: round(p.perGiBHour * factor, 6), perGiBMonth: round(p.perGiBMonth * factor, 4) }]),
  );
  return {
    instanceTypes,
    disks,
    bandwidth: {
      TRAFFIC_POSTPAID_BY_HOUR: { perGB: money(0.8 * factor) },
      BANDWIDTH_POSTPAID_BY_HOUR: { perMbpsHour: [{ upTo: 5, price: round(0.063 * factor, 4) }, { price: money(0.25 * factor) }] },
      BANDWIDTH_PREPAID: { perMbpsMonth: [{ upTo: 5, price: money(23 * factor) }, { price: money(80 * factor) }] },
    },
    eipIdlePerHour: money(0.2 * factor),
  };
}

export const DEFAULT_PRICES: CatalogFile["prices"] = Object.fromEntries(REGION_ROWS.map((r) => [r.region, table(REGION_FACTOR[r.region] ?? 1)]));

/** Percent of the list price paid for a purchase of so many months: a year at 83%, longer terms for less. */
export const DEFAULT_PREPAID_DISCOUNTS: Record<string, number> = { "12": 83, "24": 70, "36": 50, "48": 40, "60": 30 };
