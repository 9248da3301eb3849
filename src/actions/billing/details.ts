// DescribeBillDetail and DescribeBillResourceSummary: an account's bill lines of a month, one by one (oldest first,
// each with its components), or summed per resource and transaction type (in the order of their first line).
import { action, type RequestContext } from "../../api/action.js";
import type * as billing from "../../api/generated/billing-types.js";
import { COMPONENTS } from "../../billing/bill-lines.js";
import { HOUR_MS } from "../../billing/metering.js";
import type { Catalog } from "../../domain/catalog.js";
import { errors } from "../../domain/errors.js";
import type { BillComponent, BillGroup, BillRecord } from "../../store/store.js";
import { billQuery, detailMonth, month, page } from "./inputs.js";
import { billTime, configOf, lineFacts, money, named, paid, regionNumber, ZERO } from "./view.js";

const MAX_DETAILS = 300;
const MAX_SUMMARIES = 1000;

const say = (ctx: RequestContext, zh: string, en: string) => (ctx.language === "zh-CN" ? zh : en);
/** A number with at most `places` decimals and no trailing zeros. */
const decimal = (n: number, places: number) => String(Number(n.toFixed(places)));

export const describeBillDetail = action<billing.DescribeBillDetailRequest, billing.DescribeBillDetailResponse>("billing", "DescribeBillDetail", async (ctx, p, deps) => {
  const { offset, limit } = page(p, MAX_DETAILS);
  const q = billQuery(ctx, detailMonth(p), p);
  if (p.ProjectId !== undefined && p.ProjectId < 0) {
    throw errors.invalidParameterValue("ProjectId", String(p.ProjectId), "a project id is 0 (the default project) or greater", "项目 ID 应为 0（默认项目）或更大的整数");
  }
  // ProductCode is deprecated and not open (the Chinese documentation says so): it filters nothing.
  const { total, records } = await deps.store.billing.bills(ctx.account.appId, { ...q, projectId: p.ProjectId }, offset, limit);
  // Context only speeds up the real service's paging; Offset alone pages here.
  return { DetailSet: records.map((r) => billDetail(ctx, deps.catalog, r)), Total: total, Context: "" };
});

function billDetail(ctx: RequestContext, catalog: Catalog, line: BillRecord): billing.BillDetail {
  return {
    ...lineFacts(ctx, catalog, line),
    BillId: line.billId,
    ActionType: line.actionType,
    RegionId: String(regionNumber(catalog, line.region)),
    ProjectId: line.projectId,
    PriceInfo: [],
    ComponentSet: line.components.map((c) => component(ctx, catalog.currency, line, c)),
  };
}

/**
 * One component of a line. Pay-as-you-go: the price per hour for the hours used (a part of an hour where the meter
 * started or stopped in it). Monthly: the price per month for the months bought.
 */
function component(ctx: RequestContext, currency: string, line: BillRecord, c: BillComponent): billing.BillDetailComponent {
  const hourly = line.payMode === "postPay";
  const unitPrice = money(hourly || c.used === 0 ? c.price : Math.round(c.price / c.used));
  const name = named(COMPONENTS, c.component, ctx.language);
  // v_cvm_instance, v_cvm_disks, v_eip_idle...
  const product = line.businessCode.replace(/^p_/, "");
  const code = `v_${product}_${c.component.replace(`${product}-`, "").replaceAll("-", "_")}`;
  const unit = currency === "CNY" ? say(ctx, "元", "CNY") : currency;
  const per = hourly ? say(ctx, "小时", "hour") : say(ctx, "月", "month");
  const cost = money(c.cost);
  return {
    ComponentCode: code,
    ComponentCodeName: name,
    ItemCode: code,
    // One item per component: what it is configured with is in ComponentConfig.
    ItemCodeName: name,
    SinglePrice: unitPrice,
    SpecifiedPrice: unitPrice,
    ContractPrice: unitPrice,
    PriceUnit: `${unit}/${say(ctx, "个", "unit")}/${per}`,
    UsedAmount: "1",
    UsedAmountUnit: say(ctx, "个", "unit"),
    TimeSpan: hourly ? decimal((c.used * 1000) / HOUR_MS, 6) : String(c.used),
    TimeUnitName: per,
    Cost: cost,
    Discount: "1",
    ReduceType: say(ctx, "折扣", "Discount"),
    RealCost: cost,
    VoucherPayAmount: ZERO,
    CashPayAmount: cost,
    IncentivePayAmount: ZERO,
    TransferPayAmount: ZERO,
    // Shown for reserved instances, savings plans and spot instances only.
    InstanceType: "",
    RiTimeSpan: "0",
    OriginalCostWithRI: ZERO,
    SPDeductionRate: "0",
    SPDeduction: ZERO,
    OriginalCostWithSP: ZERO,
    BlendedDiscount: "1.00000000",
    ComponentConfig: configOf(c.detail),
  };
}

export const describeBillResourceSummary = action<billing.DescribeBillResourceSummaryRequest, billing.DescribeBillResourceSummaryResponse>(
  "billing",
  "DescribeBillResourceSummary",
  async (ctx, p, deps) => {
    const { offset, limit } = page(p, MAX_SUMMARIES);
    const q = billQuery(ctx, month(p.Month, "Month"), p);
    // No line carries cost allocation tags, so a tag filter matches nothing.
    if (p.TagKey !== undefined) return { ResourceSummarySet: [], Total: 0 };
    const { total, groups } = await deps.store.billing.billGroups(ctx.account.appId, q, ["resourceId", "actionType"], offset, limit);
    return { ResourceSummarySet: groups.map((g) => resourceSummary(ctx, deps.catalog, g)), Total: total };
  },
);

/** A resource's lines of one transaction type, described by the latest of them. */
function resourceSummary(ctx: RequestContext, catalog: Catalog, g: BillGroup): billing.BillResourceSummary {
  const line = g.latest;
  const config = new Map(line.components.flatMap((c) => configOf(c.detail)).map((x) => [x.Name, x.Value]));
  return {
    ...lineFacts(ctx, catalog, line),
    ...paid(g.amount),
    FeeBeginTime: billTime(g.feeBegin),
    ConfigDesc: [...config].map(([name, value]) => `${name}: ${value}`).join("; "),
    ExtendField1: "",
    ExtendField2: "",
    ExtendField3: "",
    ExtendField4: "",
    ExtendField5: "",
    Discount: "1",
    ReduceType: say(ctx, "折扣", "Discount"),
    RegionId: regionNumber(catalog, line.region),
    InstanceType: "",
    OriginalCostWithRI: ZERO,
    SPDeduction: ZERO,
    OriginalCostWithSP: ZERO,
    BillMonth: line.month,
  };
}
