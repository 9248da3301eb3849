// DescribeAccountBalance: the account's money in whole cents (分), as the billing API documents its members. What it
// can spend is its cash less what is frozen for its pay-as-you-go resources and what it owes; hourly usage may run it
// into debt, and there is no credit line. The ledger keeps micro-units: each member is rounded to the cent on its own,
// and what can be spent is rounded down (as InsufficientBalance's message quotes it), never showing more than there is.
import { action } from "../../api/action.js";
import type * as billing from "../../api/generated/billing-types.js";
import { toMicro } from "../../billing/rating.js";
import { cents } from "./view.js";

export const describeAccountBalance = action<billing.DescribeAccountBalanceRequest, billing.DescribeAccountBalanceResponse>("billing", "DescribeAccountBalance", async (ctx, p, deps) => {
  const b = await deps.store.billing.balance(ctx.account.appId, toMicro(deps.config.balance));
  const available = Math.floor(cents(b.cash - b.frozen - b.owed));
  return {
    Balance: available,
    Uin: Number(ctx.account.uin),
    RealBalance: available,
    CashAccountBalance: Math.round(cents(b.cash)),
    IncomeIntoAccountBalance: 0,
    PresentAccountBalance: 0,
    FreezeAmount: Math.round(cents(b.frozen)),
    OweAmount: Math.round(cents(b.owed)),
    IsAllowArrears: true,
    IsCreditLimited: false,
    CreditAmount: 0,
    CreditBalance: 0,
    // The balance with the credit left, which is none.
    RealCreditBalance: available,
    ...(p.TempCredit ? { TempCredit: 0, TempAmountInfoList: [] } : {}),
  };
});
