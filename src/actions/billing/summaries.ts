// DescribeBillSummaryByProduct, ByRegion and ByPayMode: a month's bill lines summed per product, region, or pay
// mode and transaction type, largest first, each with its share of the month. They are summed from the lines on
// request, so they are always Ready.
import { action, type Deps, type RequestContext } from "../../api/action.js";
import type * as billing from "../../api/generated/billing-types.js";
import { ACTION_TYPES, BUSINESSES, PAY_MODES } from "../../billing/bill-lines.js";
import { errors } from "../../domain/errors.js";
import type { BillGroup, BillGroupKey, BillRecord } from "../../store/store.js";
import { checkPayer, summaryMonth } from "./inputs.js";
import { named, paid, ratio, regionName, regionNumber } from "./view.js";

/** DescribeBillSummaryByProduct's PayType: which transaction types each kind of payment is. */
const REFUNDS = new Set(["pre_refund", "pre_to_post"]);
const PAY_TYPES: Record<string, (actionType: string) => boolean> = {
  consume: (t) => !REFUNDS.has(t),
  refund: (t) => REFUNDS.has(t),
  // OpenCVM makes no bill adjustments.
  adjustment: () => false,
};

interface Total {
  amount: number;
  /** A line of the total, for its shared values. */
  line: BillRecord;
  parts: BillGroup[];
}

/** The month's lines summed per `by`: few groups (products, regions, modes and transaction types), all read. */
async function groups(ctx: RequestContext, deps: Deps, p: { BeginTime: string; EndTime: string; PayerUin?: string }, by: BillGroupKey[]) {
  const month = summaryMonth(p);
  checkPayer(ctx, p.PayerUin);
  return { month, groups: (await deps.store.billing.billGroups(ctx.account.appId, { month }, by, 0, Number.MAX_SAFE_INTEGER)).groups };
}

/** Groups summed again per `key`, largest first, each with its share of their positive totals and how it was paid. */
function sumBy(groups: readonly BillGroup[], key: (line: BillRecord) => string) {
  const totals = new Map<string, Total>();
  for (const g of groups) {
    const k = key(g.latest);
    const t = totals.get(k) ?? { amount: 0, line: g.latest, parts: [] };
    totals.set(k, { ...t, amount: t.amount + g.amount, parts: [...t.parts, g] });
  }
  const sorted = [...totals.values()].sort((a, b) => b.amount - a.amount);
  const whole = sorted.reduce((sum, t) => sum + Math.max(0, t.amount), 0);
  return sorted.map((t) => ({ ...t, figures: { RealTotalCostRatio: ratio(t.amount, whole), ...paid(t.amount) } }));
}

export const describeBillSummaryByProduct = action<billing.DescribeBillSummaryByProductRequest, billing.DescribeBillSummaryByProductResponse>(
  "billing",
  "DescribeBillSummaryByProduct",
  async (ctx, p, deps) => {
    if (p.PayType !== undefined && !Object.hasOwn(PAY_TYPES, p.PayType)) {
      throw errors.invalidParameterValue("PayType", p.PayType, `use one of ${Object.keys(PAY_TYPES).join(", ")}`, `取值应为 ${Object.keys(PAY_TYPES).join("、")}`);
    }
    const { month, groups: all } = await groups(ctx, deps, p, ["businessCode", "actionType"]);
    const kept = p.PayType === undefined ? all : all.filter((g) => PAY_TYPES[p.PayType!](g.latest.actionType));
    const products = sumBy(kept, (l) => l.businessCode);
    return {
      Ready: 1,
      SummaryTotal: paid(products.reduce((sum, t) => sum + t.amount, 0)),
      SummaryOverview: products.map((t) => ({
        BusinessCode: t.line.businessCode,
        BusinessCodeName: named(BUSINESSES, t.line.businessCode, ctx.language),
        ...t.figures,
        BillMonth: month,
      })),
    };
  },
);

export const describeBillSummaryByRegion = action<billing.DescribeBillSummaryByRegionRequest, billing.DescribeBillSummaryByRegionResponse>(
  "billing",
  "DescribeBillSummaryByRegion",
  async (ctx, p, deps) => {
    const { month, groups: all } = await groups(ctx, deps, p, ["region"]);
    return {
      Ready: 1,
      SummaryOverview: sumBy(all, (l) => l.region).map((t) => ({
        RegionId: String(regionNumber(deps.catalog, t.line.region)),
        RegionName: regionName(deps.catalog, t.line.region, ctx.language),
        ...t.figures,
        BillMonth: month,
      })),
    };
  },
);

export const describeBillSummaryByPayMode = action<billing.DescribeBillSummaryByPayModeRequest, billing.DescribeBillSummaryByPayModeResponse>(
  "billing",
  "DescribeBillSummaryByPayMode",
  async (ctx, p, deps) => {
    const { month, groups: all } = await groups(ctx, deps, p, ["payMode", "actionType"]);
    return {
      Ready: 1,
      SummaryOverview: sumBy(all, (l) => l.payMode).map((mode) => ({
        PayMode: mode.line.payMode,
        PayModeName: named(PAY_MODES, mode.line.payMode, ctx.language),
        ...mode.figures,
        // Each transaction type's share is of its pay mode.
        Detail: sumBy(mode.parts, (l) => l.actionType).map((t) => ({
          ActionType: t.line.actionType,
          ActionTypeName: named(ACTION_TYPES, t.line.actionType, ctx.language),
          ...t.figures,
          BillMonth: month,
        })),
      })),
    };
  },
);
