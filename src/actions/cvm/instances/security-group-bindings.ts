// Security groups on instances (service cvm): AssociateSecurityGroups and DisassociateSecurityGroups, and the checks
// RunInstances (SecurityGroupIds) and ModifyInstancesAttribute (SecurityGroups) share. An instance's groups are an
// ordered list, the order being their priority; changes apply at once, with LatestOperation set to SUCCESS, to an
// instance in any state that is not transitional.
import { action, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import type { InstanceState } from "../../../domain/lifecycle.js";
import type { InstanceRecord, SecurityGroupRecord, Store } from "../../../store/store.js";
import { applyNow, guard } from "../../../instances/operations.js";
import { checkIds, findInstances } from "./instance-operations.js";
import { accountGroups, MAX_INSTANCE_GROUPS } from "../../vpc/security-groups/security-group-inputs.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

/** Checks a list of group ids as a CVM action takes them, before looking them up: count, shape, repeats. */
export function checkGroupIds(action: string, ids: readonly string[], field: string): void {
  if (ids.length > MAX_INSTANCE_GROUPS) {
    throw invalid(
      documentedCode(action, ["LimitExceeded.AssociateUSGLimitExceeded", "LimitExceeded.SingleUSGQuota", "LimitExceeded"]),
      field,
      ids.join(","),
      `an instance can have at most ${MAX_INSTANCE_GROUPS} security groups, not ${ids.length}`,
      `一个实例最多关联 ${MAX_INSTANCE_GROUPS} 个安全组，当前为 ${ids.length} 个`,
    );
  }
  const malformed = ids.find((id) => !isIdOf("sg", id));
  if (malformed !== undefined) throw invalid(documentedCode(action, ["InvalidSgId.Malformed", "InvalidParameterValue"]), field, malformed, "expected a security group id such as sg-xxxxxxxx", "格式应为 sg-xxxxxxxx");
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw invalid("InvalidParameterValue", field, twice, "the security group is given twice", "安全组重复");
}

/** The caller's groups with these ids in the request's region, in the order given. */
export async function findGroups(store: Store, ctx: RequestContext, ids: readonly string[], field: string): Promise<SecurityGroupRecord[]> {
  const groups = new Map((await accountGroups(store, ctx)).map((g) => [g.securityGroupId, g]));
  const missing = ids.find((id) => !groups.has(id));
  if (missing !== undefined) throw invalid("InvalidSecurityGroupId.NotFound", field, missing, "no such security group", "安全组不存在");
  return ids.map((id) => groups.get(id)!);
}

/** The one group Associate/DisassociateSecurityGroups take. */
function oneGroup(action: string, ids: readonly string[]): string {
  if (ids.length > 1) {
    throw invalid("InvalidParameterValue.LimitExceeded", "SecurityGroupIds", ids.join(","), `${action} takes one security group per call`, `${action} 每次只能指定一个安全组`);
  }
  checkGroupIds(action, ids, "SecurityGroupIds");
  return ids[0];
}

// No state of the lifecycle table is transitional for these; a transitional instance is refused as busy first.
const ASSOCIATE_FROM: readonly InstanceState[] = ["RUNNING", "STOPPED"];
// Taking a group off is allowed in the recycle bin and after a failed launch too, so the group can be deleted.
const DISASSOCIATE_FROM: readonly InstanceState[] = ["RUNNING", "STOPPED", "SHUTDOWN", "LAUNCH_FAILED"];

export const associateSecurityGroups = action<cvm.AssociateSecurityGroupsRequest, cvm.AssociateSecurityGroupsResponse>("cvm", "AssociateSecurityGroups", async (ctx, p, deps) => {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  const sg = oneGroup(ctx.action, p.SecurityGroupIds);
  await deps.store.transaction(async (tx) => {
    await findGroups(tx, ctx, [sg], "SecurityGroupIds");
    const records = await findInstances(tx, ctx, p.InstanceIds);
    guard(ctx.action, records, ASSOCIATE_FROM);
    // Appended: the new group has the lowest priority. An instance that has it already keeps its place.
    const full = records.find((r) => !r.securityGroupIds.includes(sg) && r.securityGroupIds.length >= MAX_INSTANCE_GROUPS);
    if (full) {
      throw fail("LimitExceeded.AssociateUSGLimitExceeded", `Instance ${full.instanceId} has ${full.securityGroupIds.length} security groups already, the most an instance can have.`, `实例 ${full.instanceId} 已关联 ${full.securityGroupIds.length} 个安全组，已达上限。`);
    }
    await applyNow(tx, ctx, ctx.action, records, (r: InstanceRecord) => ({ securityGroupIds: r.securityGroupIds.includes(sg) ? r.securityGroupIds : [...r.securityGroupIds, sg] }));
  }, ctx.account.appId);
  return {};
});

export const disassociateSecurityGroups = action<cvm.DisassociateSecurityGroupsRequest, cvm.DisassociateSecurityGroupsResponse>("cvm", "DisassociateSecurityGroups", async (ctx, p, deps) => {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  const sg = oneGroup(ctx.action, p.SecurityGroupIds);
  await deps.store.transaction(async (tx) => {
    await findGroups(tx, ctx, [sg], "SecurityGroupIds");
    const records = await findInstances(tx, ctx, p.InstanceIds);
    guard(ctx.action, records, DISASSOCIATE_FROM);
    for (const r of records) {
      if (!r.securityGroupIds.includes(sg)) throw invalid("InvalidParameterValue", "SecurityGroupIds", sg, `the security group is not associated with instance ${r.instanceId}`, `该安全组未关联实例 ${r.instanceId}`);
      if (r.securityGroupIds.length === 1) {
        throw invalid(documentedCode(ctx.action, ["UnsupportedOperation"]), "SecurityGroupIds", sg, `it is the only security group of instance ${r.instanceId}, which needs at least one`, `它是实例 ${r.instanceId} 唯一的安全组，实例至少需要关联一个安全组`);
      }
    }
    await applyNow(tx, ctx, ctx.action, records, (r: InstanceRecord) => ({ securityGroupIds: r.securityGroupIds.filter((id) => id !== sg) }));
  }, ctx.account.appId);
  return {};
});
