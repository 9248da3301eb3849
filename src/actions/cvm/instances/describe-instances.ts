// DescribeInstances and DescribeInstancesStatus: pages of the caller's instances, newest first.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { documentedCode } from "../../shared/refusals.js";
import { fail } from "../../../domain/errors.js";
import type { InstanceCondition } from "../../../store/store.js";
import { checkIds } from "./instance-operations.js";
import { instanceConditions } from "./instance-filters.js";
import { instanceView } from "./instance-view.js";

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** `action`: the caller, when it may not document InvalidParameterValue.LimitExceeded. */
export function paging(p: { Offset?: number; Limit?: number }, action?: string): { offset: number; limit: number } {
  const offset = p.Offset ?? 0;
  const limit = p.Limit ?? DEFAULT_LIMIT;
  if (offset < 0) throw fail("InvalidParameterValue", `Offset must not be negative, not ${offset}.`, `Offset 不能为负数（${offset}）。`);
  if (limit < 0 || limit > MAX_LIMIT) {
    throw fail(action ? documentedCode(action, ["InvalidParameterValue.LimitExceeded"]) : "InvalidParameterValue.LimitExceeded", `Limit must be between 0 and ${MAX_LIMIT}, not ${limit}.`, `Limit 取值范围为 0-${MAX_LIMIT}，当前为 ${limit}。`);
  }
  return { offset, limit };
}

export const describeInstances = action<cvm.DescribeInstancesRequest, cvm.DescribeInstancesResponse>("cvm", "DescribeInstances", async (ctx, p, deps) => {
  if (p.InstanceIds?.length && p.Filters?.length) {
    throw fail("InvalidParameter", "InstanceIds and Filters cannot be given together.", "InstanceIds 与 Filters 不能同时指定。");
  }
  const { offset, limit } = paging(p);
  let conditions: InstanceCondition[] = [];
  if (p.InstanceIds?.length) {
    checkIds(ctx.action, p.InstanceIds, "InstanceIds");
    conditions = [{ kind: "column", column: "instance_id", values: p.InstanceIds }];
  } else if (p.Filters?.length) {
    conditions = instanceConditions(p.Filters, ctx, deps.catalog);
  }
  const { total, records } = await deps.store.instances.list(ctx.account.appId, ctx.region!, conditions, offset, limit);
  const groups = await deps.store.placementGroups.groupsOf(records.map((r) => r.instanceId));
  const withGroup = (view: cvm.Instance): cvm.Instance => {
    const group = groups.get(view.InstanceId);
    return group ? { ...view, DisasterRecoverGroupId: group, DisasterRecoverGroupIds: [group] } : view;
  };
  return { TotalCount: total, InstanceSet: records.map((r) => withGroup(instanceView(r))) };
});

export const describeInstancesStatus = action<cvm.DescribeInstancesStatusRequest, cvm.DescribeInstancesStatusResponse>(
  "cvm",
  "DescribeInstancesStatus",
  async (ctx, p, deps) => {
    const { offset, limit } = paging(p);
    const conditions: InstanceCondition[] = [];
    if (p.InstanceIds?.length) {
      checkIds(ctx.action, p.InstanceIds, "InstanceIds");
      conditions.push({ kind: "column", column: "instance_id", values: p.InstanceIds });
    }
    const { total, records } = await deps.store.instances.list(ctx.account.appId, ctx.region!, conditions, offset, limit);
    return { TotalCount: total, InstanceStatusSet: records.map((r) => ({ InstanceId: r.instanceId, InstanceState: r.state })) };
  },
);
