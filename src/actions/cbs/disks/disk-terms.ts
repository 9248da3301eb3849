// Monthly (PREPAID) disks of their own: the term a purchase names (DiskChargePrepaid), renewing it (RenewDisk),
// its renewal flag (ModifyDisksRenewFlag), and the prices quoted for buying and renewing (InquiryPriceCreateDisks,
// InquiryPriceRenewDisks). A monthly disk attached to a monthly instance came with it and is renewed with it.
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as cbs from "../../../api/generated/cbs-types.js";
import { billedDisk, chargeInstance, diskTermPrice } from "../../../billing/ledger.js";
import { addMonths, isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { diskCost, money } from "../../../domain/pricing.js";
import type { DiskRecord } from "../../../store/store.js";
import { documentedCode, invalid, unsupported } from "../../shared/refusals.js";
import { checkDataDiskSize, ownDisks, refuseBusy } from "./disk-inputs.js";

/** The months a monthly disk is bought or renewed for (DiskChargePrepaid.Period). */
export const DISK_PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36];
export const RENEW_FLAGS = ["NOTIFY_AND_AUTO_RENEW", "NOTIFY_AND_MANUAL_RENEW", "DISABLE_NOTIFY_AND_MANUAL_RENEW"];

/** A DiskChargePrepaid checked: its months and renewal flag (NOTIFY_AND_MANUAL_RENEW when not given). */
export function checkDiskPrepaid(p: cbs.DiskChargePrepaid | undefined, field: string): { period: number; renewFlag: string } {
  if (!p) throw fail("MissingParameter", `A monthly (PREPAID) disk needs \`${field}\` with its Period.`, `包年包月云硬盘需要指定 \`${field}\` 及其 Period。`);
  if (p.CurInstanceDeadline !== undefined) throw unsupported(`${field}.CurInstanceDeadline`);
  if (!DISK_PERIODS.includes(p.Period)) throw invalid("InvalidParameterValue", `${field}.Period`, p.Period, `use one of ${DISK_PERIODS.join(", ")} months`, `取值为 ${DISK_PERIODS.join("、")} 个月`);
  const renewFlag = p.RenewFlag ?? "NOTIFY_AND_MANUAL_RENEW";
  if (!RENEW_FLAGS.includes(renewFlag)) throw invalid("InvalidParameterValue", `${field}.RenewFlag`, renewFlag, `use ${RENEW_FLAGS.join(", ")}`, `取值为 ${RENEW_FLAGS.join("、")}`);
  return { period: p.Period, renewFlag };
}

/** Refuses a term given for a pay-as-you-go disk, rather than dropping it. */
export function refuseTerm(p: cbs.DiskChargePrepaid | undefined): undefined {
  if (p !== undefined) throw invalid("InvalidParameterValue", "DiskChargePrepaid", JSON.stringify(p), "a term is only for DiskChargeType PREPAID", "仅包年包月（PREPAID）云硬盘可指定");
  return undefined;
}

/** What `months` of these disks cost, summed; refuses a disk the region's price table does not price. */
export function termPrice(deps: Deps, ctx: RequestContext, disks: readonly Pick<DiskRecord, "diskType" | "diskSize">[], months: number): { original: number; discounted: number; discount: number } {
  let original = 0;
  let discounted = 0;
  for (const d of disks) {
    const price = diskTermPrice(deps.catalog, ctx.region!, d, months);
    if (!price) throw invalid("InvalidParameterValue", "DiskType", d.diskType, `${ctx.region} has no monthly price for it`, `${ctx.region} 没有该类型的包年包月价格`);
    original += price.original;
    discounted += price.discounted;
  }
  return { original: money(original), discounted: money(discounted), discount: deps.catalog.prepaidDiscount(months) };
}

/** Refuses what cannot be renewed on its own: a pay-as-you-go disk, or a monthly one that renews with its instance. */
function refuseNotRenewable(action: string, d: DiskRecord, field: string): void {
  const code = documentedCode(action, ["InvalidDisk.NotSupported", "ResourceUnavailable.NotSupported"]);
  if (d.chargeType !== "PREPAID") throw invalid(code, field, d.diskId, "only a monthly (PREPAID) disk is renewed", "仅包年包月云硬盘支持续费");
  if (d.instanceId !== null) throw invalid(code, field, d.diskId, `it is renewed with its monthly instance ${d.instanceId} (RenewInstances)`, `该云硬盘随实例 ${d.instanceId} 续费`);
  refuseBusy(action, d, field);
}

const noPrice = { ChargeUnit: null, DiscountPrice: null, DiscountPriceHigh: null, OriginalPrice: null, OriginalPriceHigh: null, UnitPrice: null, UnitPriceDiscount: null, UnitPriceDiscountHigh: null, UnitPriceHigh: null };

export const inquiryPriceCreateDisks = action<cbs.InquiryPriceCreateDisksRequest, cbs.InquiryPriceCreateDisksResponse>("cbs", "InquiryPriceCreateDisks", (ctx, p, deps) => {
  for (const name of ["ThroughputPerformance", "DiskBackupQuota"] as const) if (p[name] !== undefined) throw unsupported(name);
  checkDataDiskSize(ctx.action, deps.catalog, p.DiskType, p.DiskSize, "DiskSize");
  const count = p.DiskCount ?? 1;
  if (count < 1 || count > 50) throw invalid("InvalidParameterValue", "DiskCount", count, "1-50 disks", "每次 1-50 块");
  const disks = Array.from({ length: count }, () => ({ diskType: p.DiskType, diskSize: p.DiskSize }));
  if (p.DiskChargeType === "PREPAID") {
    const { period } = checkDiskPrepaid(p.DiskChargePrepaid, "DiskChargePrepaid");
    const price = termPrice(deps, ctx, disks, period);
    return { DiskPrice: { ...noPrice, OriginalPrice: price.original, DiscountPrice: price.discounted } };
  }
  if (p.DiskChargeType !== "POSTPAID_BY_HOUR") throw invalid("InvalidParameterValue", "DiskChargeType", p.DiskChargeType, "use POSTPAID_BY_HOUR or PREPAID", "取值应为 POSTPAID_BY_HOUR 或 PREPAID");
  refuseTerm(p.DiskChargePrepaid);
  const table = deps.catalog.prices(ctx.region!);
  if (!table || !Object.hasOwn(table.disks, p.DiskType)) throw invalid("InvalidParameterValue", "DiskType", p.DiskType, `${ctx.region} has no price for it`, `${ctx.region} 没有该类型的价格`);
  const hourly = money(diskCost(table, { DiskType: p.DiskType, DiskSize: p.DiskSize }, "hour") * count);
  return { DiskPrice: { ...noPrice, ChargeUnit: "HOUR", UnitPrice: hourly, UnitPriceDiscount: hourly } };
});

export const inquiryPriceRenewDisks = action<cbs.InquiryPriceRenewDisksRequest, cbs.InquiryPriceRenewDisksResponse>("cbs", "InquiryPriceRenewDisks", async (ctx, p, deps) => {
  if (p.NewDeadline !== undefined) throw unsupported("NewDeadline");
  const terms = p.DiskChargePrepaids ?? [];
  if (terms.length !== p.DiskIds.length) {
    throw invalid("InvalidParameterValue", "DiskChargePrepaids", terms.length, `give one per disk (${p.DiskIds.length})`, `应与 DiskIds 一一对应（${p.DiskIds.length} 个）`);
  }
  const disks = await ownDisks(deps.store, ctx, p.DiskIds, "DiskIds");
  let original = 0;
  let discounted = 0;
  for (const [i, d] of disks.entries()) {
    refuseNotRenewable(ctx.action, d, `DiskIds.${i}`);
    const price = termPrice(deps, ctx, [d], checkDiskPrepaid(terms[i], `DiskChargePrepaids.${i}`).period);
    original += price.original;
    discounted += price.discounted;
  }
  return { DiskPrice: { ...noPrice, OriginalPrice: money(original), DiscountPrice: money(discounted), DetailPrices: [] } };
});

export const renewDisk = action<cbs.RenewDiskRequest, cbs.RenewDiskResponse>("cbs", "RenewDisk", async (ctx, p, deps) => {
  const { period } = checkDiskPrepaid(p.DiskChargePrepaid, "DiskChargePrepaid");
  await deps.store.transaction(async (tx) => {
    const [d] = await ownDisks(tx, ctx, [p.DiskId], "DiskId");
    refuseNotRenewable(ctx.action, d, "DiskId");
    // The new term starts at the old end, as for instances; a disk in the recycle bin comes back unattached.
    const from = d.deadline ?? isoSeconds(ctx.now);
    const to = addMonths(from, period);
    const price = termPrice(deps, ctx, [d], period);
    await chargeInstance(tx, deps, ctx.now, { instance: billedDisk(d), actionType: "pre_renew", amount: price.discounted, months: period, from, to, businessCode: "p_cbs" });
    await tx.disks.update(d.diskId, { deadline: to, state: "UNATTACHED", recycledAt: undefined }, d.state);
  });
  return {};
});

export const modifyDisksRenewFlag = action<cbs.ModifyDisksRenewFlagRequest, cbs.ModifyDisksRenewFlagResponse>("cbs", "ModifyDisksRenewFlag", async (ctx, p, deps) => {
  if (!RENEW_FLAGS.includes(p.RenewFlag)) throw invalid("InvalidParameterValue", "RenewFlag", p.RenewFlag, `use ${RENEW_FLAGS.join(", ")}`, `取值为 ${RENEW_FLAGS.join("、")}`);
  if (p.AutoRenewPeriod !== undefined) throw unsupported("AutoRenewPeriod");
  await deps.store.transaction(async (tx) => {
    const disks = await ownDisks(tx, ctx, p.DiskIds, "DiskIds");
    for (const [i, d] of disks.entries()) refuseNotRenewable(ctx.action, d, `DiskIds.${i}`);
    for (const d of disks) await tx.disks.update(d.diskId, { renewFlag: p.RenewFlag });
  });
  return {};
});
