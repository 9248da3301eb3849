// The InquiryPrice* actions: what a purchase or a change would cost, from the region's price table through
// domain/pricing.ts, the functions billing charges with. Nothing is written. Each checks what decides the price the
// way the action it prices does (the same catalog checks, codes the inquiry documents); checks that do not change the
// price (names, passwords, networks, tags) are left to the action itself.
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { PriceTable } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";
import {
  bandwidthChangeCost,
  bandwidthHourlyCost,
  bandwidthMonthlyCost,
  changePrice,
  forPeriod,
  hourlyCost,
  launchPrice,
  monthlyCost,
  remainingDays,
  instanceRefund,
  trafficPricePerGB,
  unitItem,
  upfrontItem,
  UnpricedError,
  money,
  type ItemPrice,
  type PricedInstance,
} from "../../../domain/pricing.js";
import type { InstanceRecord } from "../../../store/store.js";
import { checkArchitecture, checkInstanceType, checkPrepaid, findImage } from "./instance-inputs.js";
import { reinstalledSystemDisk, resizedDisks } from "./disk-changes.js";
import { checkBandwidthChange } from "./instance-network.js";
import { checkIds, findInstances, namedInstances } from "./instance-operations.js";
import { checkPurchase, checkTypeChange } from "./purchase-inputs.js";
import { documentedCode, invalid, unsupported } from "../../shared/refusals.js";
import { withLaunchTemplate } from "../launch-templates/launch-template-merge.js";
import { hostsForLaunch } from "../hosts/host-placement.js";
import { checkHpcFamily, placeInCluster } from "../hpc-clusters/hpc-placement.js";

/** InquiryPriceModifyInstancesChargeType takes at most 20 instances (limits.md §2). */
const MAX_CHARGE_TYPE_IDS = 20;



/** What decides an existing instance's price, with changes applied. */
export function pricedOf(r: InstanceRecord, change: Partial<PricedInstance> = {}): PricedInstance {
  return {
    instanceType: r.instanceType,
    chargeType: r.chargeType,
    systemDisk: r.doc.SystemDisk,
    dataDisks: r.doc.DataDisks,
    internet: r.doc.InternetAccessible,
    ...change,
  };
}

/** Runs a computation over the region's price table; a missing price is the inquiry failing, said plainly. */
function priced<T>(action: string, deps: Deps, region: string, compute: (table: PriceTable) => T): T {
  const table = deps.catalog.prices(region);
  try {
    if (!table) throw new UnpricedError(`region ${region} has no price table`);
    return compute(table);
  } catch (e) {
    if (!(e instanceof UnpricedError)) throw e;
    throw fail(
      documentedCode(action, ["FailedOperation.InquiryPriceFailed", "FailedOperation.InquiryRefundPriceFailed"], "FailedOperation"),
      `The catalog has no price for this: ${e.message}.`,
      `价格表中没有该配置的价格：${e.message}。`,
    );
  }
}

const discounts = (deps: Deps) => (months: number) => deps.catalog.prepaidDiscount(months);

const INQUIRY_UNSUPPORTED = ["Metadata", "CpuTopology", "NetworkInterfaces"] as const;

export const inquiryPriceRunInstances = action<cvm.InquiryPriceRunInstancesRequest, cvm.InquiryPriceRunInstancesResponse>("cvm", "InquiryPriceRunInstances", async (ctx, asked, deps) => {
  const { request: p } = await withLaunchTemplate(deps.store, ctx, asked);
  for (const name of INQUIRY_UNSUPPORTED) if (p[name] !== undefined) throw unsupported(name);
  if (p.ClientToken !== undefined && Buffer.byteLength(p.ClientToken) > 64) throw invalid("InvalidClientToken.TooLong", "ClientToken", p.ClientToken, "it must be at most 64 bytes", "长度不能超过 64 字节");
  const b = await checkPurchase(ctx.action, ctx, p, deps);
  // Where the instances would go is checked as RunInstances checks it: dedicated hosts of the caller's that run the
  // type (CDHPAID, priced at no compute of its own), an HPC cluster of the caller's for an HPC type (its type's price).
  checkHpcFamily(b.type, p.HpcClusterId);
  if (p.HpcClusterId !== undefined) await placeInCluster(deps.store, ctx, p.HpcClusterId, b.zone, b.count);
  if (p.Placement?.HostIds?.length) await hostsForLaunch(deps.store, deps.catalog, ctx, { ...b, hostIds: p.Placement.HostIds });
  const instance: PricedInstance = { instanceType: b.type.instanceType, chargeType: b.chargeType, systemDisk: b.systemDisk, dataDisks: b.dataDisks, internet: b.internet };
  return { Price: priced(ctx.action, deps, ctx.region!, (table) => launchPrice(table, discounts(deps), instance, b.count, b.period ?? undefined)) };
});

export const inquiryPriceResetInstancesType = action<cvm.InquiryPriceResetInstancesTypeRequest, cvm.InquiryPriceResetInstancesTypeResponse>(
  "cvm",
  "InquiryPriceResetInstancesType",
  async (ctx, p, deps) => {
    checkIds(ctx.action, p.InstanceIds, "InstanceIds");
    if (p.InstanceIds.length !== 1) {
      throw invalid("InvalidParameterValue.LimitExceeded", "InstanceIds", p.InstanceIds.length, "the instance type is changed one instance at a time", "每次只能调整一个实例的机型");
    }
    const type = checkInstanceType(deps.catalog, p.InstanceType, "InstanceType", ctx.action);
    const [r] = await findInstances(deps.store, ctx, p.InstanceIds);
    if (r.instanceType === type.instanceType) {
      throw invalid("InvalidParameterValue", "InstanceType", type.instanceType, `instance ${r.instanceId} already has this type`, `实例 ${r.instanceId} 已是该机型`);
    }
    checkTypeChange(deps.catalog, ctx.action, r, type);
    const price = priced(ctx.action, deps, r.region, (table) => changePrice(table, pricedOf(r), pricedOf(r, { instanceType: type.instanceType }), ctx.now, r.doc.ExpiredTime));
    return { Price: { InstancePrice: price } };
  },
);

export const inquiryPriceResizeInstanceDisks = action<cvm.InquiryPriceResizeInstanceDisksRequest, cvm.InquiryPriceResizeInstanceDisksResponse>(
  "cvm",
  "InquiryPriceResizeInstanceDisks",
  async (ctx, p, deps) => {
    checkIds(ctx.action, [p.InstanceId], "InstanceId");
    if ((p.DataDisks?.length ?? 0) > 1) throw invalid("InvalidParameterValue", "DataDisks", p.DataDisks!.length, "one data disk is priced at a time", "每次只能对一块数据盘询价");
    const [r] = await findInstances(deps.store, ctx, [p.InstanceId]);
    const { SystemDisk: systemDisk, DataDisks: dataDisks } = resizedDisks(deps, ctx.action, r, p);
    const price = priced(ctx.action, deps, r.region, (table) => changePrice(table, pricedOf(r), pricedOf(r, { systemDisk, dataDisks }), ctx.now, r.doc.ExpiredTime));
    return { Price: { InstancePrice: price } };
  },
);

export const inquiryPriceResetInstance = action<cvm.InquiryPriceResetInstanceRequest, cvm.InquiryPriceResetInstanceResponse>("cvm", "InquiryPriceResetInstance", async (ctx, p, deps) => {
  const [r] = await namedInstances(ctx, deps.store, [p.InstanceId], "InstanceId");
  const image = await findImage(deps, ctx, p.ImageId ?? r.imageId, "ImageId", ctx.action);
  const type = deps.catalog.instanceType(r.instanceType);
  if (type) checkArchitecture(image, type, "ImageId", ctx.action);
  const after = pricedOf(r, { systemDisk: reinstalledSystemDisk(deps, r, image, p.SystemDisk) });
  return { Price: { InstancePrice: priced(ctx.action, deps, r.region, (table) => changePrice(table, pricedOf(r), after, ctx.now, r.doc.ExpiredTime)) } };
});

export const inquiryPriceModifyInstancesChargeType = action<cvm.InquiryPriceModifyInstancesChargeTypeRequest, cvm.InquiryPriceModifyInstancesChargeTypeResponse>(
  "cvm",
  "InquiryPriceModifyInstancesChargeType",
  async (ctx, p, deps) => {
    checkIds(ctx.action, p.InstanceIds, "InstanceIds", MAX_CHARGE_TYPE_IDS);
    const target = p.InstanceChargeType;
    let months = 0;
    if (target === "PREPAID") {
      months = checkPrepaid(p.InstanceChargePrepaid, "switching to PREPAID needs the subscription period", "切换为包年包月需指定购买时长").Period;
    } else if (target === "POSTPAID_BY_HOUR") {
      if (p.InstanceChargePrepaid !== undefined) throw fail("InvalidParameter", "`InstanceChargePrepaid` applies to InstanceChargeType=PREPAID only.", "`InstanceChargePrepaid` 仅适用于 InstanceChargeType=PREPAID。");
    } else {
      throw invalid("InvalidParameterValue", "InstanceChargeType", target, "use PREPAID or POSTPAID_BY_HOUR", "取值应为 PREPAID 或 POSTPAID_BY_HOUR");
    }
    const records = await findInstances(deps.store, ctx, p.InstanceIds);
    checkChargeTypeSwitch(deps, ctx.action, records, target);
    const instances = records.map((r) => pricedOf(r, { chargeType: target }));
    const price = priced(ctx.action, deps, ctx.region!, (table): ItemPrice => {
      if (target === "POSTPAID_BY_HOUR") return unitItem(money(instances.reduce((sum, i) => sum + hourlyCost(table, i), 0)), "HOUR");
      const pct = deps.catalog.prepaidDiscount(months);
      const each = instances.map((i) => forPeriod(monthlyCost(table, i), months, 1, pct));
      return upfrontItem(money(each.reduce((s, x) => s + x.original, 0)), money(each.reduce((s, x) => s + x.discounted, 0)), pct);
    });
    return { Price: { InstancePrice: price } };
  },
);

/**
 * Whether instances may switch to `target` billing (ModifyInstancesChargeType and its inquiry): each is billed the
 * other way (not spot), was not stopped with STOP_CHARGING, and its type is sold billed `target` in the region.
 */
export function checkChargeTypeSwitch(deps: Deps, action: string, records: readonly InstanceRecord[], target: string): void {
  const from = target === "PREPAID" ? "POSTPAID_BY_HOUR" : "PREPAID";
  const other = records.find((r) => r.chargeType !== from);
  if (other) {
    throw fail(
      documentedCode(action, ["UnsupportedOperation.InstanceChargeType", "InvalidInstance.NotSupported"], "UnsupportedOperation"),
      `Instance ${other.instanceId} is billed ${other.chargeType}; switching to ${target} applies to ${from} instances only.`,
      `实例 ${other.instanceId} 的计费模式为 ${other.chargeType}，切换为 ${target} 仅适用于 ${from} 实例。`,
    );
  }
  // "关机不收费的实例 … 不支持该操作": an instance stopped with STOP_CHARGING cannot switch.
  const stopCharging = records.find((r) => r.doc.StopChargingMode === "STOP_CHARGING");
  if (stopCharging) {
    throw fail(
      "UnsupportedOperation",
      `Instance ${stopCharging.instanceId} was stopped with StoppedMode=STOP_CHARGING; start it (or stop it with KEEP_CHARGING) before switching its billing.`,
      `实例 ${stopCharging.instanceId} 处于关机不收费状态，请先开机（或以 KEEP_CHARGING 方式关机）再切换计费模式。`,
    );
  }
  const unsold = records.find((r) => !deps.catalog.chargeTypes(r.region, r.instanceType).includes(target as "PREPAID"));
  if (unsold) {
    throw fail(
      documentedCode(action, ["InvalidInstance.NotSupported"], "UnsupportedOperation"),
      `${unsold.instanceType} (instance ${unsold.instanceId}) is not sold ${target} in ${unsold.region}.`,
      `${unsold.instanceType}（实例 ${unsold.instanceId}）在 ${unsold.region} 不支持 ${target} 计费。`,
    );
  }
}

export const inquiryPriceRenewInstances = action<cvm.InquiryPriceRenewInstancesRequest, cvm.InquiryPriceRenewInstancesResponse>("cvm", "InquiryPriceRenewInstances", async (ctx, p, deps) => {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  const months = checkPrepaid(p.InstanceChargePrepaid, "a renewal is for `InstanceChargePrepaid.Period` months", "续费需指定 `InstanceChargePrepaid.Period`（月）").Period;
  const records = await findInstances(deps.store, ctx, p.InstanceIds);
  const other = records.find((r) => r.chargeType !== "PREPAID");
  if (other) {
    const code = records.some((r) => r.chargeType === "PREPAID") ? "InvalidParameterValue.InstanceNotSupportedMixPricingModel" : "InvalidInstance.NotSupported";
    throw fail(code, `Instance ${other.instanceId} is billed ${other.chargeType}; only PREPAID instances are renewed.`, `实例 ${other.instanceId} 的计费模式为 ${other.chargeType}，仅包年包月实例可续费。`);
  }
  const pending = records.find((r) => r.state === "PENDING");
  if (pending) throw fail("UnsupportedOperation.InstanceStatePending", `Instance ${pending.instanceId} is still being created.`, `实例 ${pending.instanceId} 正在创建中。`);
  const pct = deps.catalog.prepaidDiscount(months);
  return {
    Price: priced(ctx.action, deps, ctx.region!, (table) => {
      const sum = (each: { original: number; discounted: number }[]) =>
        upfrontItem(money(each.reduce((s, x) => s + x.original, 0)), money(each.reduce((s, x) => s + x.discounted, 0)), pct);
      const instance = sum(records.map((r) => forPeriod(monthlyCost(table, pricedOf(r)), months, 1, pct)));
      const prepaidBandwidth = records.filter((r) => r.doc.InternetAccessible.InternetChargeType === "BANDWIDTH_PREPAID");
      if (!prepaidBandwidth.length) return { InstancePrice: instance };
      return { InstancePrice: instance, BandwidthPrice: sum(prepaidBandwidth.map((r) => forPeriod(bandwidthMonthlyCost(table, r.doc.InternetAccessible), months, 1, pct))) };
    }),
  };
});

export const inquiryPriceResetInstancesInternetMaxBandwidth = action<cvm.InquiryPriceResetInstancesInternetMaxBandwidthRequest, cvm.InquiryPriceResetInstancesInternetMaxBandwidthResponse>(
  "cvm",
  "InquiryPriceResetInstancesInternetMaxBandwidth",
  async (ctx, p, deps) => {
    const records = await namedInstances(ctx, deps.store, p.InstanceIds, "InstanceIds");
    const change = checkBandwidthChange(ctx.action, deps.catalog, records, p, ctx.now);
    const price = priced(ctx.action, deps, ctx.region!, (table): ItemPrice => {
      const after = (r: InstanceRecord) => ({ ...r.doc.InternetAccessible, InternetMaxBandwidthOut: change.bandwidth });
      switch (change.internetChargeType) {
        case "BANDWIDTH_POSTPAID_BY_HOUR":
          return unitItem(money(records.reduce((s, r) => s + bandwidthHourlyCost(table, after(r)), 0)), "HOUR");
        case "BANDWIDTH_PREPAID": {
          // The monthly difference for the window the new bandwidth applies in.
          const amount = bandwidthChangeCost(table, records[0].doc.InternetAccessible, change.bandwidth, change.window!);
          return upfrontItem(amount, amount, 100);
        }
        default:
          return unitItem(trafficPricePerGB(table, after(records[0])), "GB");
      }
    });
    return { Price: { BandwidthPrice: price } };
  },
);

export const inquiryPriceTerminateInstances = action<cvm.InquiryPriceTerminateInstancesRequest, cvm.InquiryPriceTerminateInstancesResponse>(
  "cvm",
  "InquiryPriceTerminateInstances",
  async (ctx, p, deps) => {
    const records = await namedInstances(ctx, deps.store, p.InstanceIds, "InstanceIds");
    const prepaid = records.filter((r) => r.chargeType === "PREPAID");
    if (prepaid.length && prepaid.length !== records.length) {
      const other = records.find((r) => r.chargeType !== "PREPAID")!;
      throw fail(
        "UnsupportedOperation.InstanceMixedPricingModel",
        `Instances ${prepaid[0].instanceId} (PREPAID) and ${other.instanceId} (${other.chargeType}) are billed differently; ask for each kind separately.`,
        `实例 ${prepaid[0].instanceId}（PREPAID）与 ${other.instanceId}（${other.chargeType}）计费模式不同，请分别询价。`,
      );
    }
    const at = ctx.now;
    const set = priced(ctx.action, deps, ctx.region!, (table) =>
      records.map((r): cvm.InstanceRefund => {
        const refund = instanceRefund(table, pricedOf(r), at, r.doc.ExpiredTime);
        return { InstanceId: r.instanceId, Refunds: refund, PriceDetail: refundDetail(ctx, r, refund, remainingDays(at, r.doc.ExpiredTime), deps.catalog.currency) };
      }),
    );
    return { InstanceRefundsSet: set };
  },
);

function refundDetail(ctx: RequestContext, r: InstanceRecord, refund: number, days: number, currency: string): string {
  if (r.chargeType !== "PREPAID") {
    return ctx.language === "zh-CN" ? `按量计费实例，无预付费用可退（已用时长按小时结算）。` : `A ${r.chargeType} instance: nothing was paid ahead, so nothing is refunded (usage is settled by the hour).`;
  }
  return ctx.language === "zh-CN"
    ? `退款：${refund.toFixed(2)} ${currency}（到期前剩余 ${days} 天，按每月 30 天折算）。`
    : `Refund: ${refund.toFixed(2)} ${currency} for the ${days} day(s) left of the term (30 days to the month).`;
}
