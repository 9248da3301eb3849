// StartInstances, StopInstances, RebootInstances and TerminateInstances: guarded by the lifecycle table, completed
// by the engine.
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { fail } from "../../../domain/errors.js";
import { isoSeconds } from "../../../domain/dates.js";
import type { InstanceRecord, Store } from "../../../store/store.js";
import { refundTerm } from "./instance-charges.js";
import { begin, checkIds, findInstances, guard } from "./instance-operations.js";

const STOP_TYPES = ["SOFT", "HARD", "SOFT_FIRST"];

function stopType(params: { StopType?: string }, forced: boolean | undefined, forcedName: string): string {
  if (params.StopType !== undefined && forced !== undefined) {
    throw fail("InvalidParameterCombination", `StopType and ${forcedName} cannot be given together.`, `StopType 与 ${forcedName} 不能同时指定。`);
  }
  if (params.StopType !== undefined && !STOP_TYPES.includes(params.StopType)) {
    throw fail("InvalidParameterValue", `StopType must be one of ${STOP_TYPES.join(", ")}, not \`${params.StopType}\`.`, `StopType 取值应为 ${STOP_TYPES.join("、")}，而非 \`${params.StopType}\`。`);
  }
  return params.StopType ?? (forced ? "HARD" : "SOFT");
}

export const startInstances = action<cvm.StartInstancesRequest, cvm.StartInstancesResponse>("cvm", "StartInstances", async (ctx, p, deps) => {
  checkIds("StartInstances", p.InstanceIds, "InstanceIds");
  const records = await findInstances(deps.store, ctx, p.InstanceIds);
  guard("StartInstances", records);
  await begin(deps, ctx, "StartInstances", records);
  return {};
});

export const stopInstances = action<cvm.StopInstancesRequest, cvm.StopInstancesResponse>("cvm", "StopInstances", async (ctx, p, deps) => {
  checkIds("StopInstances", p.InstanceIds, "InstanceIds");
  const type = stopType(p, p.ForceStop, "ForceStop");
  const stoppedMode = p.StoppedMode ?? "KEEP_CHARGING";
  if (stoppedMode !== "KEEP_CHARGING" && stoppedMode !== "STOP_CHARGING") {
    throw fail("InvalidParameterValue", `StoppedMode must be KEEP_CHARGING or STOP_CHARGING, not \`${stoppedMode}\`.`, `StoppedMode 取值应为 KEEP_CHARGING 或 STOP_CHARGING，而非 \`${stoppedMode}\`。`);
  }
  const records = await findInstances(deps.store, ctx, p.InstanceIds);
  guard("StopInstances", records);
  if (stoppedMode === "STOP_CHARGING") {
    // Only pay-as-you-go instances can stop paying for compute while stopped.
    const monthly = records.find((r) => r.chargeType !== "POSTPAID_BY_HOUR");
    if (monthly) {
      throw fail("UnsupportedOperation.StoppedModeStopCharging", `Instance ${monthly.instanceId} is ${monthly.chargeType}; STOP_CHARGING applies to POSTPAID_BY_HOUR instances only.`, `实例 ${monthly.instanceId} 为 ${monthly.chargeType}，仅按量计费实例支持关机不收费。`);
    }
  }
  await begin(deps, ctx, "StopInstances", records, { stopType: type, stoppedMode });
  return {};
});

export const rebootInstances = action<cvm.RebootInstancesRequest, cvm.RebootInstancesResponse>("cvm", "RebootInstances", async (ctx, p, deps) => {
  checkIds("RebootInstances", p.InstanceIds, "InstanceIds");
  const type = stopType(p, p.ForceReboot, "ForceReboot");
  const records = await findInstances(deps.store, ctx, p.InstanceIds);
  guard("RebootInstances", records);
  await begin(deps, ctx, "RebootInstances", records, { stopType: type });
  return {};
});

export const terminateInstances = action<cvm.TerminateInstancesRequest, cvm.TerminateInstancesResponse>("cvm", "TerminateInstances", async (ctx, p, deps) => {
  checkIds("TerminateInstances", p.InstanceIds, "InstanceIds");
  await terminate(deps, ctx, await findInstances(deps.store, ctx, p.InstanceIds), p.ReleaseAddress ?? false);
  return {};
});

/**
 * What TerminateInstances does with the instances it names, and a due action timer with its own: refuses what the
 * action refuses, returns monthly instances to the recycle bin with the rest of their term refunded, and destroys
 * the others. Inside a transaction the caller passes as `store`, the caller kicks the engine once it has committed.
 */
export async function terminate(deps: Deps, ctx: RequestContext, records: readonly InstanceRecord[], releaseAddress: boolean, store: Store = deps.store): Promise<void> {
  guard("TerminateInstances", records);
  const protectedOne = records.find((r) => r.doc.DisableApiTermination);
  if (protectedOne) {
    throw fail("UnsupportedOperation.InstancesProtected", `Instance ${protectedOne.instanceId} has termination protection (DisableApiTermination).`, `实例 ${protectedOne.instanceId} 已开启实例销毁保护。`);
  }
  const prepaid = (c: string) => c === "PREPAID";
  if (records.some((r) => prepaid(r.chargeType)) && records.some((r) => !prepaid(r.chargeType))) {
    throw fail("UnsupportedOperation.InstanceMixedPricingModel", "Monthly (PREPAID) and pay-as-you-go instances cannot be terminated in one call.", "包年包月与按量计费实例不能在同一请求中退还。");
  }
  // A monthly instance is first returned to the recycle bin (SHUTDOWN); terminating it there destroys it.
  if (records.some((r) => prepaid(r.chargeType) && r.state !== "SHUTDOWN")) {
    if (records.some((r) => r.state === "SHUTDOWN")) {
      throw fail("UnsupportedOperation.InstanceMixedPricingModel", "Instances in the recycle bin and outside it cannot be terminated in one call.", "回收站内外的实例不能在同一请求中退还。");
    }
    // What is left of each term is refunded as the monthly instance goes to the recycle bin.
    await store.transaction(async (tx) => {
      for (const r of records) await refundTerm(tx, deps, ctx, r);
      await begin(deps, ctx, "RecycleInstances", records, { source: "MANMADE", isolatedAt: isoSeconds(ctx.now) }, tx);
    });
    if (store === deps.store) deps.engine.kick();
    return;
  }
  await begin(deps, ctx, "TerminateInstances", records, { releaseAddress }, store);
}
