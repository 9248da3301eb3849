// How bill lines read in the billing service's answers: amounts as decimal strings of the catalog's currency with
// 8 places (exact: they are kept in micro-units), times as yyyy-mm-dd hh:ii:ss in UTC, codes with their names in
// the request's language, and the catalog's names for regions, zones and instance families. Nothing is paid with
// vouchers, free credit or commissions, and no discount applies after the price: what a line costs is what it
// took from the cash account.
import type { RequestContext } from "../../api/action.js";
import { ACTION_TYPES, BUSINESSES, PAY_MODES } from "../../billing/bill-lines.js";
import { MICRO } from "../../billing/rating.js";
import type { Catalog, Localized } from "../../domain/catalog.js";
import type { Language } from "../../domain/errors.js";
import type { BillRecord } from "../../store/store.js";
import { vpcTime } from "../vpc/networks/vpc-inputs.js";

/** Times as the billing service writes them, yyyy-mm-dd hh:ii:ss, in UTC. */
export const billTime = vpcTime;

export const ZERO = "0.00000000";

/** Micro-units as the currency with 8 decimal places. */
export function money(micro: number): string {
  const abs = Math.abs(micro);
  return `${micro < 0 ? "-" : ""}${Math.floor(abs / MICRO)}.${String(abs % MICRO).padStart(6, "0")}00`;
}

/** Micro-units as cents (分), DescribeAccountBalance's unit. */
export const cents = (micro: number): number => micro / (MICRO / 100);

/** What an amount was paid with: all of it cash. */
export function paid(micro: number) {
  const amount = money(micro);
  return { TotalCost: amount, RealTotalCost: amount, CashPayAmount: amount, VoucherPayAmount: ZERO, IncentivePayAmount: ZERO, TransferPayAmount: ZERO };
}

/** `part` as a percentage of `whole` with 2 decimals; refunds (negative) count as 0%, as the real answers show. */
export function ratio(part: number, whole: number): string {
  return part > 0 && whole > 0 ? (Math.round((part * 10_000) / whole) / 100).toFixed(2) : "0.00";
}

/** A code's display name from one of bill-lines' tables; the code itself when the table has none. */
export function named(table: Readonly<Record<string, Localized>>, code: string, language: Language): string {
  return Object.hasOwn(table, code) ? table[code][language] : code;
}

/** The catalog has no numeric region ids: a region's position in it (from 1) stands for one; 0 for none. */
export function regionNumber(catalog: Catalog, region: string): number {
  return catalog.regions.findIndex((r) => r.region === region) + 1;
}

export function regionName(catalog: Catalog, region: string, language: Language): string {
  return catalog.region(region)?.name[language] ?? region;
}

/** The subproduct: an instance's family (sp_cvm_s5, 云服务器CVM-标准型S5), or the product itself (sp_eip). */
function product(catalog: Catalog, line: BillRecord, language: Language): { code: string; name: string } {
  const business = named(BUSINESSES, line.businessCode, language);
  if (line.businessCode !== "p_cvm") return { code: line.businessCode.replace(/^p_/, "sp_"), name: business };
  const type = catalog.instanceType(line.instanceType);
  const family = type?.family ?? line.instanceType.split(".")[0];
  return { code: `sp_cvm_${family.toLowerCase()}`, name: `${business}-${type?.familyName[language] ?? family}` };
}

/** A component's configuration (instance type, disks, bandwidth, address) as Name/Value pairs. */
export function configOf(detail: Record<string, string | number>): { Name: string; Value: string }[] {
  return Object.entries(detail)
    .filter(([name, value]) => name !== "Region" && name !== "Zone" && value !== "")
    .map(([name, value]) => ({ Name: name, Value: String(value) }));
}

/** An instance launched without a name is called 未命名 (RunInstances' default); in English bills, "Unnamed". */
function resourceName(name: string, language: Language): string {
  return language === "en-US" ? name.replace(/^未命名(?=\d*$)/, "Unnamed") : name;
}

/** What a bill detail and a resource summary say alike about a line: who, what, where, when and in which mode. */
export function lineFacts(ctx: RequestContext, catalog: Catalog, line: BillRecord) {
  const language = ctx.language;
  const sub = product(catalog, line, language);
  const uin = ctx.account.uin;
  return {
    BusinessCode: line.businessCode,
    BusinessCodeName: named(BUSINESSES, line.businessCode, language),
    ProductCode: sub.code,
    ProductCodeName: sub.name,
    PayModeName: named(PAY_MODES, line.payMode, language),
    // Projects have no names here: the default one is named as the console names it, others by their id.
    ProjectName: line.projectId === 0 ? (language === "zh-CN" ? "默认项目" : "Default Project") : String(line.projectId),
    RegionName: regionName(catalog, line.region, language),
    ZoneName: catalog.zone(line.region, line.zone)?.name[language] ?? line.zone,
    ResourceId: line.resourceId,
    ResourceName: resourceName(line.resourceName, language),
    ActionTypeName: named(ACTION_TYPES, line.actionType, language),
    // A monthly charge is an order of its own; hourly settlement has none.
    OrderId: line.payMode === "prePay" ? line.billId : "",
    PayTime: billTime(line.payTime),
    FeeBeginTime: billTime(line.feeBegin),
    FeeEndTime: billTime(line.feeEnd),
    PayerUin: uin,
    OwnerUin: uin,
    OperateUin: uin,
    // Cost allocation tags are not kept.
    Tags: [],
  };
}
