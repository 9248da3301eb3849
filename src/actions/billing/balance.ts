// DescribeAccountBalance: the account's money in cents (分). What it can spend is its cash less what is frozen for
// its pay-as-you-go resources and what it owes; hourly usage may run it into debt, and there is no credit line.
import { action } from "../../api/action.js";
import type * as billing from "../../api/generated/billing-types.js";
import { toMicro } from "../../billing/rating.js";
import { cents } from "./view.js";

export const describeAccountBalance = action<billing.DescribeAccountBalanceRequest, billing.DescribeAccountBalanceResponse>("billing", "DescribeAccountBalance", async (ctx, p, deps) => {
  const b = await deps.store.billing.balance(ctx.account.appId, toMicro(deps.config.balance));
  const available = cents(b.cash - b.frozen - b.owed);
  return {
    // The integer member cannot hold a fraction of a cent: rounded down, it never says more than there is.
    Balance: Math.floor(available),
    Uin: Number(ctx.account.uin),
    RealBalance: available,
    CashAccountBalance: cents(b.cash),
    IncomeIntoAccountBalance: 0,
    PresentAccountBalance: 0,
    FreezeAmount: cents(b.frozen),
    OweAmount: cents(b.owed),
    IsAllowArrears: true,
    IsCreditLimited: false,
    CreditAmount: 0,
    CreditBalance: 0,
    // The balance with the credit left, which is none.
    RealCreditBalance: available,
    ...(p.TempCredit ? { TempCredit: 0, TempAmountInfoList: [] } : {}),
  };
});
