// ModifyInstancesRenewFlag, RenewInstances and ModifyInstancesChargeType: the billing attributes of instances,
// changed at once (LatestOperationState SUCCESS). A renewal or a switch to monthly is paid in the same transaction,
// at the figure the inquiry actions quote (instance-charges.ts); one the account cannot pay changes nothing.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { addMonths, isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import type { InstanceChange, InstanceRecord } from "../../../store/store.js";
import { applyNow, guard } from "../../../instances/operations.js";
import { checkIds, findInstances } from "./instance-operations.js";
import { checkPrepaid, checkRenewFlag, DEFAULT_RENEW_FLAG } from "./instance-inputs.js";
import { payForRenewal, payForSwitch, refundTerm } from "../../../instances/charges.js";
import { checkChargeTypeSwitch } from "./price-inquiry.js";
import { invalid } from "../../shared/refusals.js";

/** ModifyInstancesChargeType takes at most 20 instances (limits.md §2). */
const MAX_CHARGE_TYPE_IDS = 20;

/** Refuses the call if an instance is not billed as `chargeType`. */
function requireChargeType(records: readonly InstanceRecord[], chargeType: string, name: string): void {
  const other = records.find((r) => r.chargeType !== chargeType);
  if (other) {
    throw fail(
      "UnsupportedOperation.InstanceChargeType",
      `Instance ${other.instanceId} is billed ${other.chargeType}; ${name} applies to ${chargeType} instances only.`,
      `实例 ${other.instanceId} 的计费模式为 ${other.chargeType}，${name} 仅适用于 ${chargeType} 实例。`,
    );
  }
}

export const modifyInstancesRenewFlag = action<cvm.ModifyInstancesRenewFlagRequest, cvm.ModifyInstancesRenewFlagResponse>("cvm", "ModifyInstancesRenewFlag", async (ctx, p, deps) => {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  const flag = checkRenewFlag(p.RenewFlag, "RenewFlag");
  const records = await findInstances(deps.store, ctx, p.InstanceIds);
  // The spec documents SHUTDOWN (the recycle bin) among the refused states; renewing is how one leaves it.
  guard(ctx.action, records, ["RUNNING", "STOPPED"]);
  requireChargeType(records, "PREPAID", ctx.action);
  await applyNow(deps.store, ctx, ctx.action, records, { doc: { RenewFlag: flag } });
  return {};
});

export const renewInstances = action<cvm.RenewInstancesRequest, cvm.RenewInstancesResponse>("cvm", "RenewInstances", async (ctx, p, deps) => {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  const prepaid = checkPrepaid(p.InstanceChargePrepaid, "PREPAID instances are renewed for `InstanceChargePrepaid.Period` months", "包年包月实例续费需指定 `InstanceChargePrepaid.Period`（月）");
  const period = prepaid.Period;
  const flag = prepaid.RenewFlag === undefined ? undefined : checkRenewFlag(prepaid.RenewFlag, "InstanceChargePrepaid.RenewFlag");
  // RenewPortableDataDisk: OpenCVM's data disks are all bought with their instance; there are no elastic disks
  // to renew or leave out, so either value is honoured.
  const records = await findInstances(deps.store, ctx, p.InstanceIds);
  // SHUTDOWN is not among the states the spec refuses: a monthly instance in the recycle bin is recovered by
  // renewing it. It comes back STOPPED (the recycle bin shut it down; recovering does not boot it).
  guard(ctx.action, records, ["RUNNING", "STOPPED", "SHUTDOWN"]);
  requireChargeType(records, "PREPAID", ctx.action);
  await deps.store.transaction(async (tx) => {
    // The new term starts at the old expiry, also for an instance that has already expired.
    const expiries = new Map<string, string>();
    for (const r of records) expiries.set(r.instanceId, await payForRenewal(tx, deps, ctx, r, period));
    await applyNow(tx, ctx, ctx.action, records, (r): InstanceChange => {
      const doc: InstanceChange["doc"] = { ExpiredTime: expiries.get(r.instanceId)!, ...(flag ? { RenewFlag: flag } : {}) };
      if (r.state !== "SHUTDOWN") return { doc };
      return { state: "STOPPED", doc: { ...doc, IsolatedSource: "NOTISOLATED", IsolatedAt: undefined, StopChargingMode: "KEEP_CHARGING" } };
    });
  }, ctx.account.appId);
  return {};
});

export const modifyInstancesChargeType = action<cvm.ModifyInstancesChargeTypeRequest, cvm.ModifyInstancesChargeTypeResponse>("cvm", "ModifyInstancesChargeType", async (ctx, p, deps) => {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds", MAX_CHARGE_TYPE_IDS);
  // The zh-CN spec (the newer one) documents both directions, with an example of each; the intl text only
  // pay-as-you-go to monthly.
  const target = p.InstanceChargeType;
  let change: InstanceChange;
  let period = 0;
  if (target === "PREPAID") {
    const prepaid = checkPrepaid(p.InstanceChargePrepaid, "switching to PREPAID needs the subscription period", "切换为包年包月需指定购买时长");
    period = prepaid.Period;
    const flag = checkRenewFlag(prepaid.RenewFlag ?? DEFAULT_RENEW_FLAG, "InstanceChargePrepaid.RenewFlag");
    change = { chargeType: "PREPAID", doc: { ExpiredTime: addMonths(isoSeconds(ctx.now), prepaid.Period), RenewFlag: flag } };
  } else if (target === "POSTPAID_BY_HOUR") {
    if (p.InstanceChargePrepaid !== undefined) {
      throw fail("InvalidParameter", "`InstanceChargePrepaid` applies to InstanceChargeType=PREPAID only.", "`InstanceChargePrepaid` 仅适用于 InstanceChargeType=PREPAID。");
    }
    change = { chargeType: "POSTPAID_BY_HOUR", doc: { ExpiredTime: null, RenewFlag: null } };
  } else {
    throw invalid("InvalidParameterValue", "InstanceChargeType", target, "use PREPAID or POSTPAID_BY_HOUR", "取值应为 PREPAID 或 POSTPAID_BY_HOUR");
  }
  // ModifyPortableDataDisk: as for RenewPortableDataDisk, there are no elastic data disks to switch.
  const records = await findInstances(deps.store, ctx, p.InstanceIds);
  guard(ctx.action, records, ["RUNNING", "STOPPED"]);
  // Billed the other way, not stopped with STOP_CHARGING, and the type is sold billed `target` in the region.
  checkChargeTypeSwitch(deps, ctx.action, records, target);
  await deps.store.transaction(async (tx) => {
    // To monthly: the first term is paid; to pay-as-you-go: the rest of the term is refunded (pre_to_post).
    for (const r of records) {
      if (change.chargeType === "PREPAID") await payForSwitch(tx, deps, ctx, r, period, change.doc!.ExpiredTime!);
      else await refundTerm(tx, deps, ctx, r, "pre_to_post");
    }
    await applyNow(tx, ctx, ctx.action, records, change);
  }, ctx.account.appId);
  return {};
});
