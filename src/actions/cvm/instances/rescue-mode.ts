// EnterRescueMode and ExitRescueMode: a running or stopped instance is shut down and booted into a rescue system
// (ENTER_RESCUE_MODE → RESCUE_MODE), where it accepts only ExitRescueMode, which boots it back into its own
// system (EXIT_RESCUE_MODE → RUNNING). The lifecycle table guards both; the engine completes them.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { fail } from "../../../domain/errors.js";
import { hashPassword, validatePassword } from "../../../domain/password.js";
import { begin, guard } from "../../../instances/operations.js";
import { namedInstances } from "./instance-operations.js";
import { stopType } from "./instance-power.js";
import { invalid } from "../../shared/refusals.js";

export const enterRescueMode = action<cvm.EnterRescueModeRequest, cvm.EnterRescueModeResponse>("cvm", "EnterRescueMode", async (ctx, p, deps) => {
  // It documents no InvalidParameterCombination (what the other actions answer for both at once).
  if (p.StopType !== undefined && p.ForceStop !== undefined) throw fail("InvalidParameter", "StopType and ForceStop cannot be given together.", "StopType 与 ForceStop 不能同时指定。");
  const how = stopType(p, p.ForceStop, "ForceStop");
  const [r] = await namedInstances(ctx, deps.store, [p.InstanceId], "InstanceId");
  guard(ctx.action, [r]);
  const family = deps.catalog.families().find((f) => f.family === r.instanceFamily);
  if (family?.architecture === "arm") {
    throw fail("UnsupportedOperation.ArmArchitecture", `Instance ${r.instanceId} is ${r.instanceType}, an ARM type, which has no rescue mode.`, `实例 ${r.instanceId} 为 ARM 机型 ${r.instanceType}，不支持救援模式。`);
  }
  if (p.Username !== undefined && !/^[a-z_][a-z0-9_-]{0,31}$/.test(p.Username)) {
    throw invalid("InvalidParameterValue", "Username", p.Username, "a user name is up to 32 lower-case letters, digits, _ and -", "用户名最多 32 个小写字母、数字、_ 或 -");
  }
  const userName = p.Username ?? (r.doc.Platform === "WINDOWS" ? "Administrator" : "root");
  validatePassword(p.Password, r.doc.Platform, "Password", userName);
  // The password reaches the machine only as its hash.
  await begin(deps, ctx, ctx.action, [r], { stopType: how, userName, passwordHash: hashPassword(p.Password) });
  return {};
});

export const exitRescueMode = action<cvm.ExitRescueModeRequest, cvm.ExitRescueModeResponse>("cvm", "ExitRescueMode", async (ctx, p, deps) => {
  const [r] = await namedInstances(ctx, deps.store, [p.InstanceId], "InstanceId");
  guard(ctx.action, [r]);
  await begin(deps, ctx, ctx.action, [r]);
  return {};
});
