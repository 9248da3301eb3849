// What the placement group actions check: group ids, names, types and affinities, the documented quotas, finding
// the caller's groups (another account's group answers as one that never was), and the view of a group.
import type { RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import { GROUP_CAPACITY, SPREAD_TYPES, type SpreadType } from "../../../domain/placement.js";
import type { PlacementGroupRecord, Store } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

/** Groups per account and region (DescribeDisasterRecoverGroupQuota's GroupQuota in the real cloud). */
export const GROUP_QUOTA = 10;
/** Ids per Describe/DeleteDisasterRecoverGroups call. */
export const MAX_GROUP_IDS = 10;

export function checkGroupIds(action: string, ids: readonly string[], field: string): void {
  if (ids.length > MAX_GROUP_IDS) throw invalid(documentedCode(action, ["InvalidParameterValue.LimitExceeded"]), field, ids.length, `at most ${MAX_GROUP_IDS} ids`, `最多 ${MAX_GROUP_IDS} 个 ID`);
  const bad = ids.find((id) => !isIdOf("ps", id));
  if (bad !== undefined) throw invalid(documentedCode(action, ["InvalidParameterValue.DisasterRecoverGroupIdMalformed"]), field, bad, "expected ps-xxxxxxxx", "格式应为 ps-xxxxxxxx");
}

/** A group's name: 1 to 60 characters. */
export function checkGroupName(action: string, name: string): string {
  const n = [...name].length;
  if (n > 60) throw invalid(documentedCode(action, ["InvalidParameterValue.TooLong"]), "Name", name, "a name has at most 60 characters", "名称最多 60 个字符");
  if (n < 1 || name.trim() === "") throw invalid("InvalidParameterValue", "Name", name, "a name has 1 to 60 characters", "名称长度为 1 到 60 个字符");
  return name;
}

export function checkSpreadType(type: string): SpreadType {
  if (!(SPREAD_TYPES as readonly string[]).includes(type)) throw invalid("InvalidParameterValue", "Type", type, `use ${SPREAD_TYPES.join(", ")}`, `取值应为 ${SPREAD_TYPES.join("、")}`);
  return type as SpreadType;
}

/** Affinity: how many of the group's instances one host, switch or rack may hold, 1 to 10. */
export function checkAffinity(action: string, affinity: number): number {
  if (!Number.isInteger(affinity) || affinity < 1 || affinity > 10) throw invalid(documentedCode(action, ["InvalidParameterValue.Range"]), "Affinity", affinity, "it must be between 1 and 10", "取值范围为 1 到 10");
  return affinity;
}

/** The caller's groups with these ids, in the order given. */
export async function findGroups(store: Store, ctx: RequestContext, ids: readonly string[], field: string): Promise<PlacementGroupRecord[]> {
  checkGroupIds(ctx.action, ids, field);
  const found = new Map((await store.placementGroups.find(ctx.account.appId, ctx.region!, ids)).map((g) => [g.groupId, g]));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) {
    const code = documentedCode(ctx.action, ["ResourceNotFound.InvalidPlacementSet", "FailedOperation.DisasterRecoverGroupNotFound"]);
    throw invalid(code, field, missing, `no such placement group in ${ctx.region}`, `${ctx.region} 不存在该置放群组`);
  }
  return ids.map((id) => found.get(id)!);
}

export function capacityOf(g: Pick<PlacementGroupRecord, "type">): number {
  return GROUP_CAPACITY[g.type as SpreadType];
}

export function groupView(g: PlacementGroupRecord): cvm.DisasterRecoverGroup {
  return {
    DisasterRecoverGroupId: g.groupId,
    Name: g.name,
    Type: g.type,
    CvmQuotaTotal: capacityOf(g),
    CurrentNum: g.members.length,
    InstanceIds: g.members.map((m) => m.instanceId),
    CreateTime: g.createdAt,
    Affinity: g.affinity,
    Strategy: "SPREAD",
    PartitionCount: 0,
    Tags: g.tags.map((t) => ({ Key: t.key, Value: t.value })),
  };
}

export function refuseOverGroupQuota(count: number): void {
  if (count >= GROUP_QUOTA) throw fail("ResourceInsufficient.InsufficientGroupQuota", `The account already has ${count} placement groups in this region, its quota.`, `该账号在本地域的置放群组已达配额 ${GROUP_QUOTA} 个。`);
}
