// DescribeInstancesOperationLimit: how many more times an operation with a quota may be done on each instance.
// The real cloud caps configuration downgrades of monthly instances (typically 5 per period) and counts the ones
// used. OpenCVM enforces no such cap on any operation, so it answers what it enforces: -1 / -1, which the spec
// defines as "this operation has no count limit". It does not invent a count it would not apply.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { errors, fail } from "../../../domain/errors.js";
import { checkIds, findInstances } from "./instance-operations.js";

/**
 * The operations the spec lists: INSTANCE_DEGRADE (both editions) and INTERNET_CHARGE_TYPE_CHANGE (the newer
 * zh-CN edition, which the spec notes say to prefer).
 */
export const LIMITED_OPERATIONS = ["INSTANCE_DEGRADE", "INTERNET_CHARGE_TYPE_CHANGE"] as const;

/** The spec's value for "this operation has no count limit", for both CurrentCount and LimitCount. */
export const UNLIMITED = -1;

export const describeInstancesOperationLimit = action<cvm.DescribeInstancesOperationLimitRequest, cvm.DescribeInstancesOperationLimitResponse>(
  "cvm",
  "DescribeInstancesOperationLimit",
  async (ctx, p, deps) => {
    if (p.InstanceIds.length === 0) throw errors.missingParameter("InstanceIds");
    checkIds(ctx.action, p.InstanceIds, "InstanceIds");
    if (!(LIMITED_OPERATIONS as readonly string[]).includes(p.Operation)) {
      throw fail(
        "InvalidParameterValue",
        `\`Operation\` = \`${p.Operation}\`: use one of ${LIMITED_OPERATIONS.join(", ")}.`,
        `\`Operation\` = \`${p.Operation}\`：取值应为 ${LIMITED_OPERATIONS.join("、")}。`,
      );
    }
    // Each id must be one of the caller's instances in this region (another account's is NotFound, as elsewhere).
    const records = await findInstances(deps.store, ctx, p.InstanceIds);
    return {
      InstanceOperationLimitSet: records.map((r) => ({
        Operation: p.Operation,
        InstanceId: r.instanceId,
        // No limit is enforced, so nothing is counted either: -1 for both, as the spec defines for "unlimited".
        CurrentCount: UNLIMITED,
        LimitCount: UNLIMITED,
      })),
    };
  },
);
