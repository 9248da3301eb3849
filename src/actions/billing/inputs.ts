// What the billing service's actions take: months and times as they write them, pages, and the filters of a bill
// query. An account reads only its own bills: OpenCVM has no organisations, so a PayerUin must be the caller's.
import type { RequestContext } from "../../api/action.js";
import { actionTypeOf } from "../../billing/bill-lines.js";
import { errors, fail } from "../../domain/errors.js";
import type { BillQuery } from "../../store/store.js";

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const PAY_MODE_CODES = ["prePay", "postPay"];
const PERIOD_TYPES = ["byUsedTime", "byPayTime"];

const oneOf = (field: string, value: string | number, allowed: readonly (string | number)[]) => {
  if (!allowed.includes(value)) throw errors.invalidParameterValue(field, String(value), `use one of ${allowed.join(", ")}`, `取值应为 ${allowed.join("、")}`);
};

/** A month as yyyy-mm. */
export function month(value: string, field: string): string {
  if (!MONTH.test(value)) throw errors.invalidParameterValue(field, value, "expected a month as yyyy-mm, e.g. 2024-05", "应为 yyyy-mm 格式的月份，如 2024-05");
  return value;
}

/** A time as yyyy-mm-dd hh:ii:ss that exists on the calendar. */
function time(value: string, field: string): string {
  const iso = `${value.replace(" ", "T")}Z`;
  if (!TIME.test(value) || Number.isNaN(Date.parse(iso)) || new Date(iso).toISOString().slice(0, 19) !== iso.slice(0, 19)) {
    throw errors.invalidParameterValue(field, value, "expected a time as yyyy-mm-dd hh:ii:ss, e.g. 2024-05-01 00:00:00", "应为 yyyy-mm-dd hh:ii:ss 格式的时间，如 2024-05-01 00:00:00");
  }
  return value;
}

/** EndTime must fall in BeginTime's month: a query covers one whole month. */
function sameMonth(begin: string, end: string): void {
  if (begin.slice(0, 7) !== end.slice(0, 7)) {
    throw errors.invalidParameterValue("EndTime", end, `it must be in the month of BeginTime (${begin.slice(0, 7)}); queries across months are not supported`, `须与 BeginTime（${begin.slice(0, 7)}）为同一月份，不支持跨月查询`);
  }
}

/** The month a summary covers: BeginTime and EndTime, as yyyy-mm and the same. */
export function summaryMonth(p: { BeginTime: string; EndTime: string }): string {
  sameMonth(month(p.BeginTime, "BeginTime"), month(p.EndTime, "EndTime"));
  return p.BeginTime;
}

/** The month DescribeBillDetail reads: BeginTime and EndTime's when given (the documented answer is the whole month), else Month. */
export function detailMonth(p: { Month?: string; BeginTime?: string; EndTime?: string }): string {
  if (p.BeginTime === undefined && p.EndTime === undefined) {
    if (p.Month === undefined) throw fail("MissingParameter", "Give `Month`, or `BeginTime` and `EndTime`.", "请指定 `Month`，或同时指定 `BeginTime` 和 `EndTime`。");
    return month(p.Month, "Month");
  }
  if (p.BeginTime === undefined || p.EndTime === undefined) {
    const missing = p.BeginTime === undefined ? "BeginTime" : "EndTime";
    throw fail("MissingParameter", `\`BeginTime\` and \`EndTime\` are given together: \`${missing}\` is missing.`, `\`BeginTime\` 和 \`EndTime\` 须同时指定：缺少 \`${missing}\`。`);
  }
  const begin = time(p.BeginTime, "BeginTime");
  const end = time(p.EndTime, "EndTime");
  sameMonth(begin, end);
  if (end < begin) throw errors.invalidParameterValue("EndTime", end, "it is before BeginTime", "早于 BeginTime");
  return begin.slice(0, 7);
}

/** Offset and a Limit from 1 to `max`. */
export function page(p: { Offset: number; Limit: number }, max: number): { offset: number; limit: number } {
  if (p.Limit < 1 || p.Limit > max) throw errors.invalidParameterValue("Limit", String(p.Limit), `it is between 1 and ${max}`, `取值范围为 1-${max}`);
  return { offset: p.Offset, limit: p.Limit };
}

/** Refuses another account's Uin: bills are read by the account that paid them. */
export function checkPayer(ctx: RequestContext, payerUin: string | undefined): void {
  if (payerUin !== undefined && payerUin !== ctx.account.uin) {
    throw errors.invalidParameterValue("PayerUin", payerUin, `an account reads only its own bills (its Uin is ${ctx.account.uin})`, `账号只能查询自己的账单（本账号 Uin 为 ${ctx.account.uin}）`);
  }
}

export interface BillFilters {
  PeriodType?: string;
  NeedRecordNum?: number;
  PayMode?: string;
  ResourceId?: string;
  ActionType?: string;
  BusinessCode?: string;
  PayerUin?: string;
}

/**
 * The query of a month's lines that the filters ask for. ActionType is a name in either language, as the API
 * documents, or a code; a type OpenCVM never writes matches nothing. PeriodType is checked and changes nothing:
 * an hour is billed to the month it was used in, a purchase to the month it was paid in.
 */
export function billQuery(ctx: RequestContext, billMonth: string, p: BillFilters): BillQuery {
  checkPayer(ctx, p.PayerUin);
  if (p.PeriodType !== undefined) oneOf("PeriodType", p.PeriodType, PERIOD_TYPES);
  if (p.NeedRecordNum !== undefined) oneOf("NeedRecordNum", p.NeedRecordNum, [0, 1]);
  if (p.PayMode !== undefined) oneOf("PayMode", p.PayMode, PAY_MODE_CODES);
  return {
    month: billMonth,
    payMode: p.PayMode,
    resourceId: p.ResourceId,
    actionType: p.ActionType === undefined ? undefined : (actionTypeOf(p.ActionType) ?? p.ActionType),
    businessCode: p.BusinessCode,
  };
}
