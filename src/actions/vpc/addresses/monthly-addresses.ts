// Monthly EIPs (BANDWIDTH_PREPAID_BY_MONTH): a term of bandwidth paid up front, as AllocateAddresses,
// ModifyAddressInternetChargeType and RenewAddresses buy it, charged through billing/ledger.ts (BusinessCode p_eip;
// billing/address-terms.ts renews or isolates it at its deadline). Returning one while its term runs refunds the
// rest and isolates it (IsArrears) until it is released again or renewed, as the real cloud does and Terraform's
// Delete expects.
import { action, type RequestContext } from "../../../api/action.js";
import type * as vpc from "../../../api/generated/vpc-types.js";
import { addressTermCost, chargeAddress, monthlyBandwidth } from "../../../billing/ledger.js";
import type { ActionType } from "../../../billing/bill-lines.js";
import type { Deps } from "../../../deps.js";
import { addMonths, isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { daysBetween, forPeriod, money, proRata, remainingDays } from "../../../domain/pricing.js";
import type { AddressRecord, Store } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";
import { checkBandwidth, ownAddress } from "./address-inputs.js";

export const MONTHLY = "BANDWIDTH_PREPAID_BY_MONTH";
/** The charge types an EIP can be switched between (ModifyAddressInternetChargeType documents these three). */
const SWITCHABLE = [MONTHLY, "TRAFFIC_POSTPAID_BY_HOUR", "BANDWIDTH_POSTPAID_BY_HOUR"];
const MAX_CHARGE_TYPE_CHANGES = 2;
const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36];
const RENEW_FLAGS = ["NOTIFY_AND_MANUAL_RENEW", "NOTIFY_AND_AUTO_RENEW", "DISABLE_NOTIFY_AND_MANUAL_RENEW"] as const;
/** The code an unaffordable term is refused with: the vpc actions that charge document this one. */
const BALANCE = "FailedOperation.BalanceInsufficient";

export type Term = NonNullable<AddressRecord["term"]>;

/** AddressChargePrepaid checked: the months bought and the renewal flag its AutoRenewFlag (0, 1 or 2) names. */
export function checkPrepaid(action: string, prepaid: vpc.AddressChargePrepaidIn | undefined, field: string): { months: number; renewFlag: Term["renewFlag"] } {
  if (!prepaid) throw fail("MissingParameter", `\`${field}\` is required for ${MONTHLY}.`, `计费模式为 ${MONTHLY} 时必须指定 \`${field}\`。`);
  const code = documentedCode(action, ["InvalidParameterValue.Range", "InvalidParameterValue"]);
  if (!PERIODS.includes(prepaid.Period)) throw invalid(code, `${field}.Period`, prepaid.Period, `use one of ${PERIODS.join(", ")}`, `取值应为 ${PERIODS.join("、")}`);
  const flag = prepaid.AutoRenewFlag ?? 0;
  if (!Number.isInteger(flag) || flag < 0 || flag >= RENEW_FLAGS.length) throw invalid(code, `${field}.AutoRenewFlag`, flag, "use 0, 1 or 2", "取值应为 0、1 或 2");
  return { months: prepaid.Period, renewFlag: RENEW_FLAGS[flag] };
}

/** Pays (or refunds) for the address; a charge the account cannot pay is refused with the code the action documents. */
function charge(tx: Store, deps: Deps, ctx: RequestContext, a: AddressRecord, actionType: ActionType, amount: number, span: { from: string; to: string; months?: number }) {
  // ModifyAddressesBandwidth documents no balance code: its failed task is the nearest.
  const refusedWith = documentedCode(ctx.action, [BALANCE], "FailedOperation.TaskFailed");
  return chargeAddress(tx, deps, ctx.now, a, { actionType, amount, ...span, refusedWith });
}

/** Pays `months` from `from` for the address (at its bandwidth) and gives the term that follows. */
export async function payTerm(tx: Store, deps: Deps, ctx: RequestContext, a: AddressRecord, actionType: "pre_purchase" | "pre_renew", months: number, from: string, renewFlag: Term["renewFlag"]): Promise<Term> {
  const expiresAt = addMonths(from, months);
  await charge(tx, deps, ctx, a, actionType, addressTermCost(deps.catalog, a.region, a.bandwidth, months), { from, to: expiresAt, months });
  return { expiresAt, renewFlag };
}

/** Refunds the days left of a monthly address's term (`pre_refund` on return, `pre_to_post` on a switch). */
async function refundTerm(tx: Store, deps: Deps, ctx: RequestContext, a: AddressRecord, actionType: "pre_refund" | "pre_to_post"): Promise<void> {
  if (!a.term) return;
  const amount = proRata(monthlyBandwidth(deps.catalog, a.region, a.bandwidth), remainingDays(ctx.now, a.term.expiresAt));
  await charge(tx, deps, ctx, a, actionType, -amount, { from: isoSeconds(ctx.now), to: a.term.expiresAt });
}

/** A monthly address's new bandwidth for the rest of its term: the difference is charged, or refunded when smaller. */
export async function payBandwidthChange(tx: Store, deps: Deps, ctx: RequestContext, a: AddressRecord, mbps: number): Promise<void> {
  if (a.chargeType !== MONTHLY || !a.term || mbps === a.bandwidth) return;
  const now = isoSeconds(ctx.now);
  const amount = proRata(monthlyBandwidth(deps.catalog, a.region, mbps) - monthlyBandwidth(deps.catalog, a.region, a.bandwidth), daysBetween(now, a.term.expiresAt));
  await charge(tx, deps, ctx, a, "pre_upgrade", amount, { from: now, to: a.term.expiresAt });
}

/** Whether ReleaseAddresses only isolates the address: a monthly one whose term still runs, not isolated yet. */
export function isolatesOnRelease(a: AddressRecord, now: Date): boolean {
  return a.chargeType === MONTHLY && !a.isolated && a.term !== undefined && Date.parse(a.term.expiresAt) > now.getTime();
}

/** Returns a monthly address during its term: the rest is refunded and it stays, isolated, until released again. */
export async function isolate(tx: Store, deps: Deps, ctx: RequestContext, a: AddressRecord): Promise<void> {
  await refundTerm(tx, deps, ctx, a, "pre_refund");
  await tx.addresses.update({ ...a, isolated: true, term: { ...a.term!, expiresAt: isoSeconds(ctx.now) } });
}

/** Refuses a change to an isolated address, with the code the action documents for one in arrears. */
export function refuseIsolated(action: string, a: AddressRecord, field: string): void {
  if (!a.isolated) return;
  const code = documentedCode(action, ["OperationDenied.AddressInArrears", "InvalidAddressIdState.InArrears", "UnsupportedOperation.AddressStatusNotPermit"]);
  throw invalid(code, field, a.addressId, "the EIP is isolated; renew or release it", "该弹性公网 IP 已隔离，请续费或释放");
}

export const modifyAddressInternetChargeType = action<vpc.ModifyAddressInternetChargeTypeRequest, vpc.ModifyAddressInternetChargeTypeResponse>("vpc", "ModifyAddressInternetChargeType", async (ctx, p, deps) => {
  const target = p.InternetChargeType;
  if (!SWITCHABLE.includes(target)) throw invalid("InvalidParameterValue", "InternetChargeType", target, `use one of ${SWITCHABLE.join(", ")}`, `取值应为 ${SWITCHABLE.join("、")}`);
  checkBandwidth(p.InternetMaxBandwidthOut, "InternetMaxBandwidthOut", ctx.action);
  const prepaid = target === MONTHLY ? checkPrepaid(ctx.action, p.AddressChargePrepaid, "AddressChargePrepaid") : undefined;
  await deps.store.transaction(async (tx) => {
    const a = await ownAddress(tx, ctx, p.AddressId, "AddressId");
    refuseIsolated(ctx.action, a, "AddressId");
    if (!SWITCHABLE.includes(a.chargeType)) {
      throw invalid("UnsupportedOperation.InvalidAddressInternetChargeType", "AddressId", a.addressId, `an EIP billed ${a.chargeType} cannot be switched`, `计费模式为 ${a.chargeType} 的弹性公网 IP 不支持调整`);
    }
    if (a.chargeType === target) throw invalid("InvalidParameterValue.InternetChargeTypeNotChanged", "InternetChargeType", target, "the EIP is billed so already", "该弹性公网 IP 已是此计费模式");
    const changes = a.chargeTypeChanges ?? 0;
    if (changes >= MAX_CHARGE_TYPE_CHANGES) {
      throw invalid("LimitExceeded.ModifyAddressInternetChargeTypeQuota", "AddressId", a.addressId, `an EIP's charge type can be changed ${MAX_CHARGE_TYPE_CHANGES} times`, `每个弹性公网 IP 最多调整 ${MAX_CHARGE_TYPE_CHANGES} 次计费模式`);
    }
    // From monthly: the rest of the term is refunded and the term ends now.
    if (a.chargeType === MONTHLY) await refundTerm(tx, deps, ctx, a, "pre_to_post");
    const after: AddressRecord = { ...a, chargeType: target, bandwidth: p.InternetMaxBandwidthOut, chargeTypeChanges: changes + 1, term: undefined };
    if (prepaid) after.term = await payTerm(tx, deps, ctx, after, "pre_purchase", prepaid.months, isoSeconds(ctx.now), prepaid.renewFlag);
    await tx.addresses.update(after);
  });
  return {};
});

/** The caller's monthly EIP with its term, refused with the code the action documents when it is billed otherwise. */
async function ownMonthly(store: Store, ctx: RequestContext, id: string, field: string): Promise<AddressRecord & { term: Term }> {
  const a = await ownAddress(store, ctx, id, field);
  if (a.chargeType !== MONTHLY || !a.term) {
    const code = documentedCode(ctx.action, ["UnsupportedOperation.InvalidAddressInternetChargeType", "InvalidParameterValue.ResourceNotSupport"]);
    throw invalid(code, field, id, `only ${MONTHLY} EIPs have a term to renew; this one is billed ${a.chargeType}`, `仅 ${MONTHLY} 的弹性公网 IP 可续费，该 IP 为 ${a.chargeType}`);
  }
  return a as AddressRecord & { term: Term };
}

export const inquiryPriceRenewAddresses = action<vpc.InquiryPriceRenewAddressesRequest, vpc.InquiryPriceRenewAddressesResponse>("vpc", "InquiryPriceRenewAddresses", async (ctx, p, deps) => {
  const { months } = checkPrepaid(ctx.action, p.AddressChargePrepaid, "AddressChargePrepaid");
  let original = 0;
  let discounted = 0;
  for (const [i, id] of p.AddressIds.entries()) {
    const a = await ownMonthly(deps.store, ctx, id, `AddressIds.${i}`);
    // What RenewAddresses would charge: the months at the address's bandwidth, with the catalog's term discount.
    const price = forPeriod(monthlyBandwidth(deps.catalog, a.region, a.bandwidth), months, 1, deps.catalog.prepaidDiscount(months));
    original += price.original;
    discounted += price.discounted;
  }
  // A prepaid quote: no unit price or charge unit, which only pay-as-you-go quotes carry.
  return { Price: { AddressPrice: { OriginalPrice: money(original), DiscountPrice: money(discounted) } } };
});

export const modifyAddressesRenewFlag = action<vpc.ModifyAddressesRenewFlagRequest, vpc.ModifyAddressesRenewFlagResponse>("vpc", "ModifyAddressesRenewFlag", async (ctx, p, deps) => {
  const flag = RENEW_FLAGS.find((f) => f === p.RenewFlag);
  if (!flag) throw invalid("InvalidParameterValue", "RenewFlag", p.RenewFlag, `use ${RENEW_FLAGS.join(", ")}`, `取值应为 ${RENEW_FLAGS.join("、")}`);
  await deps.store.transaction(async (tx) => {
    const addresses = [];
    for (const [i, id] of p.AddressIds.entries()) {
      if (p.AddressIds.indexOf(id) !== i) throw invalid("InvalidParameterValue", `AddressIds.${i}`, id, "the EIP is named twice", "弹性公网 IP 重复");
      const a = await ownMonthly(tx, ctx, id, `AddressIds.${i}`);
      // An isolated address waits for a renewal or its release: its flag has no deadline to act at.
      if (a.isolated) throw invalid("UnsupportedOperation.AddressStatusNotPermit", `AddressIds.${i}`, id, "the EIP is isolated; renew or release it", "该弹性公网 IP 已隔离，请续费或释放");
      addresses.push(a);
    }
    for (const a of addresses) await tx.addresses.update({ ...a, term: { ...a.term, renewFlag: flag } });
  });
  return {};
});

export const renewAddresses = action<vpc.RenewAddressesRequest, vpc.RenewAddressesResponse>("vpc", "RenewAddresses", async (ctx, p, deps) => {
  const { months } = checkPrepaid(ctx.action, p.AddressChargePrepaid, "AddressChargePrepaid");
  await deps.store.transaction(async (tx) => {
    for (const [i, id] of p.AddressIds.entries()) {
      const a = await ownMonthly(tx, ctx, id, `AddressIds.${i}`);
      // From the old expiry, or from now when it has passed (an isolated address comes back with the new term).
      const from = Date.parse(a.term.expiresAt) > ctx.now.getTime() ? a.term.expiresAt : isoSeconds(ctx.now);
      // The flag is kept unless the request names one.
      const renewFlag = p.AddressChargePrepaid.AutoRenewFlag === undefined ? a.term.renewFlag : checkPrepaid(ctx.action, p.AddressChargePrepaid, "AddressChargePrepaid").renewFlag;
      const term = await payTerm(tx, deps, ctx, a, "pre_renew", months, from, renewFlag);
      await tx.addresses.update({ ...a, term, isolated: false });
    }
  });
  return {};
});
