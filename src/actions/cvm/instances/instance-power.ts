// StartInstances, StopInstances, RebootInstances and TerminateInstances: guarded by the lifecycle table, completed
// by the engine.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { fail } from "../../../domain/errors.js";
import { begin, guard } from "../../../instances/operations.js";
import { terminate } from "../../../instances/termination.js";
import { checkIds, findInstances, namedInstances } from "./instance-operations.js";

const STOP_TYPES = ["SOFT", "HARD", "SOFT_FIRST"];

/** StopType, or what the older ForceStop/ForceReboot flag asks for; both together are refused. */
export function stopType(params: { StopType?: string }, forced: boolean | undefined, forcedName: string): string {
  if (params.StopType !== undefined && forced !== undefined) {
    throw fail("InvalidParameterCombination", `StopType and ${forcedName} cannot be given together.`, `StopType 与 ${forcedName} 不能同时指定。`);
  }
  if (params.StopType !== undefined && !STOP_TYPES.includes(params.StopType)) {
    throw fail("InvalidParameterValue", `StopType must be one of ${STOP_TYPES.join(", ")}, not \`${params.StopType}\`.`, `StopType 取值应为 ${STOP_TYPES.join("、")}，而非 \`${params.StopType}\`。`);
  }
  return params.StopType ?? (forced ? "HARD" : "SOFT");
}

export const startInstances = action<cvm.StartInstancesRequest, cvm.StartInstancesResponse>("cvm", "StartInstances", async (ctx, p, deps) => {
  const records = await namedInstances(ctx, deps.store, p.InstanceIds, "InstanceIds");
  guard(ctx.action, records);
  await begin(deps, ctx, ctx.action, records);
  return {};
});

export const stopInstances = action<cvm.StopInstancesRequest, cvm.StopInstancesResponse>("cvm", "StopInstances", async (ctx, p, deps) => {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  const type = stopType(p, p.ForceStop, "ForceStop");
  const stoppedMode = p.StoppedMode ?? "KEEP_CHARGING";
  if (stoppedMode !== "KEEP_CHARGING" && stoppedMode !== "STOP_CHARGING") {
    throw fail("InvalidParameterValue", `StoppedMode must be KEEP_CHARGING or STOP_CHARGING, not \`${stoppedMode}\`.`, `StoppedMode 取值应为 KEEP_CHARGING 或 STOP_CHARGING，而非 \`${stoppedMode}\`。`);
  }
  const records = await findInstances(deps.store, ctx, p.InstanceIds);
  guard(ctx.action, records);
  if (stoppedMode === "STOP_CHARGING") {
    // Only pay-as-you-go instances can stop paying for compute while stopped.
    const monthly = records.find((r) => r.chargeType !== "POSTPAID_BY_HOUR");
    if (monthly) {
      throw fail("UnsupportedOperation.StoppedModeStopCharging", `Instance ${monthly.instanceId} is ${monthly.chargeType}; STOP_CHARGING applies to POSTPAID_BY_HOUR instances only.`, `实例 ${monthly.instanceId} 为 ${monthly.chargeType}，仅按量计费实例支持关机不收费。`);
    }
  }
  await begin(deps, ctx, ctx.action, records, { stopType: type, stoppedMode });
  return {};
});

export const rebootInstances = action<cvm.RebootInstancesRequest, cvm.RebootInstancesResponse>("cvm", "RebootInstances", async (ctx, p, deps) => {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  const type = stopType(p, p.ForceReboot, "ForceReboot");
  const records = await findInstances(deps.store, ctx, p.InstanceIds);
  guard(ctx.action, records);
  await begin(deps, ctx, ctx.action, records, { stopType: type });
  return {};
});

export const terminateInstances = action<cvm.TerminateInstancesRequest, cvm.TerminateInstancesResponse>("cvm", "TerminateInstances", async (ctx, p, deps) => {
  await terminate(deps, ctx, await namedInstances(ctx, deps.store, p.InstanceIds, "InstanceIds"), { releaseAddress: p.ReleaseAddress ?? false, releasePrepaidDataDisks: p.ReleasePrepaidDataDisks ?? false });
  return {};
});
