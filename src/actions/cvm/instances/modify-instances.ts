// ModifyInstancesAttribute and ModifyInstancesProject, and what the synchronous instance actions share: changes
// applied at once (with LatestOperation* set to SUCCESS) in one transaction. Only a host-name change of a running
// instance is an operation: the engine reboots the instance and then sets the new name (engine/steps.ts).
import { action, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { fail } from "../../../domain/errors.js";
import { validateHostName, validateInstanceName } from "../../../domain/naming.js";
import { validateUserData } from "../../../domain/user-data.js";
import type { InstanceChange, InstanceRecord, Store } from "../../../store/store.js";
import { applyNow, begin, guard } from "../../../instances/operations.js";
import { checkIds, findInstances } from "./instance-operations.js";
import { checkGroupIds, findGroups } from "./security-group-bindings.js";
import { invalid } from "../../shared/refusals.js";

const CAM_ROLE_TYPES = ["user", "system", "service_linked"];
/** The attributes of which a call changes exactly one ("每次请求必须指定实例的一种属性用于修改"). */
const ATTRIBUTES = ["InstanceName", "UserData", "SecurityGroups", "CamRoleName", "HostName", "DisableApiTermination"] as const;

export const modifyInstancesAttribute = action<cvm.ModifyInstancesAttributeRequest, cvm.ModifyInstancesAttributeResponse>("cvm", "ModifyInstancesAttribute", async (ctx, p, deps) => {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  // EnableJumboFrame is in newer SDKs but not in the spec this server validates against: it is refused as an
  // UnknownParameter before this handler runs.
  if (p.CamRoleType !== undefined && p.CamRoleName === undefined) {
    throw fail("InvalidParameter", "`CamRoleType` goes with `CamRoleName` and cannot be given alone.", "`CamRoleType` 需与 `CamRoleName` 搭配使用，不能单独指定。");
  }
  if (p.AutoReboot !== undefined && p.HostName === undefined) {
    throw fail("InvalidParameter", "`AutoReboot` applies to a `HostName` change only.", "`AutoReboot` 仅在修改 `HostName` 时有效。");
  }
  const given = ATTRIBUTES.filter((a) => p[a] !== undefined);
  if (given.length === 0) {
    throw fail("MissingParameter", `Give the attribute to change: one of ${ATTRIBUTES.join(", ")}.`, `请指定要修改的属性：${ATTRIBUTES.join("、")} 之一。`);
  }
  if (given.length > 1) {
    throw fail("InvalidParameter", `One attribute is changed per call; this one gives ${given.join(" and ")}.`, `每次请求只能修改一种属性，当前同时指定了 ${given.join(" 和 ")}。`);
  }

  // Checks that need no instance come first, so a bad value is reported whatever the instances are.
  let change: InstanceChange = {};
  if (p.InstanceName !== undefined) {
    if (p.InstanceName === "") throw invalid("InvalidParameterValue", "InstanceName", "", "an instance name may not be empty", "实例名称不能为空");
    validateInstanceName(p.InstanceName, "InstanceName");
    // One name for every instance as given: the numbering patterns are RunInstances' alone.
    change = { instanceName: p.InstanceName };
  } else if (p.UserData !== undefined) {
    validateUserData(p.UserData, "UserData");
    change = { doc: { UserData: p.UserData === "" ? null : p.UserData } };
  } else if (p.DisableApiTermination !== undefined) {
    change = { doc: { DisableApiTermination: p.DisableApiTermination } };
  } else if (p.SecurityGroups !== undefined) {
    // The new set replaces the old, in the order given (the order is their priority).
    if (p.SecurityGroups.length === 0) throw invalid("InvalidParameterValue", "SecurityGroups", "[]", "an instance needs at least one security group", "实例至少需要关联一个安全组");
    checkGroupIds(ctx.action, p.SecurityGroups, "SecurityGroups");
    await findGroups(deps.store, ctx, p.SecurityGroups, "SecurityGroups");
    change = { securityGroupIds: [...p.SecurityGroups] };
  } else if (p.CamRoleName !== undefined) {
    checkCamRole(p.CamRoleName, p.CamRoleType);
    // Only unbinding (an empty name) gets here; no instance has a role, so it changes nothing but LatestOperation.
  }

  const records = await findInstances(deps.store, ctx, p.InstanceIds);
  if (p.HostName !== undefined) {
    for (const r of records) validateHostName(p.HostName, r.doc.Platform, "HostName");
  }
  guard(ctx.action, records, ["RUNNING", "STOPPED"]);

  if (p.HostName === undefined) {
    await deps.store.transaction(async (tx) => {
      // Groups are looked up again with the write: one deleted meanwhile is refused, not bound.
      if (p.SecurityGroups !== undefined) await findGroups(tx, ctx, p.SecurityGroups, "SecurityGroups");
      await applyNow(tx, ctx, ctx.action, records, change);
    }, ctx.account.appId);
    return {};
  }
  // A running instance reboots to take the new host name unless AutoReboot=false; a stopped one takes it at its
  // next start, and with AutoReboot=false the name is stored now and applies at the next (manual) reboot.
  const hostName = p.HostName;
  const reboot = p.AutoReboot !== false ? records.filter((r) => r.state === "RUNNING") : [];
  const now = records.filter((r) => !reboot.includes(r));
  await deps.store.transaction(async (tx) => {
    await applyNow(tx, ctx, ctx.action, now, { doc: { HostName: hostName } });
    if (reboot.length) await begin(deps, ctx, ctx.action, reboot, { hostName }, tx);
  }, ctx.account.appId);
  if (reboot.length) deps.engine.kick();
  return {};
});

/** OpenCVM has no CAM roles: binding one fails as the real API fails for an unknown role; unbinding is allowed. */
function checkCamRole(name: string, type: string | undefined): void {
  if (type !== undefined && !CAM_ROLE_TYPES.includes(type)) {
    throw invalid("InvalidParameterValue", "CamRoleType", type, `use one of ${CAM_ROLE_TYPES.join(", ")}`, `取值应为 ${CAM_ROLE_TYPES.join("、")}`);
  }
  if (name === "") return;
  if (!/^[A-Za-z0-9+=,.@_-]+$/.test(name)) {
    throw invalid("InvalidParameterValue.CamRoleNameMalformed", "CamRoleName", name, "use letters, digits and + = , . @ _ - only", "只能包含英文字母、数字及 +=,.@_- 字符");
  }
  throw invalid("AuthFailure.CamRoleNameAuthenticateFailed", "CamRoleName", name, "no such CAM role (OpenCVM has no CAM roles)", "CAM 角色不存在（OpenCVM 没有 CAM 角色）");
}

export const modifyInstancesProject = action<cvm.ModifyInstancesProjectRequest, cvm.ModifyInstancesProjectResponse>("cvm", "ModifyInstancesProject", async (ctx, p, deps) => {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  // OpenCVM keeps no list of projects: any non-negative id is a project (0 is the default one).
  if (p.ProjectId < 0) throw invalid("InvalidParameterValue", "ProjectId", p.ProjectId, "a project id is 0 (the default project) or greater", "项目 ID 应为 0（默认项目）或更大的整数");
  const records = await findInstances(deps.store, ctx, p.InstanceIds);
  // Instances in the recycle bin (SHUTDOWN) only take renewal, termination and image creation.
  guard(ctx.action, records, ["RUNNING", "STOPPED"]);
  await applyNow(deps.store, ctx, ctx.action, records, { projectId: p.ProjectId });
  return {};
});
