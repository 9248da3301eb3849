// Spread placement groups ("disaster recover groups"): CreateDisasterRecoverGroup, DescribeDisasterRecoverGroups,
// DescribeDisasterRecoverGroupQuota, ModifyDisasterRecoverGroupAttribute, ModifyInstancesDisasterRecoverGroup,
// DeleteInstancesDisasterRecoverGroups and DeleteDisasterRecoverGroups. RunInstances places into them too
// (DisasterRecoverGroupIds); spread.ts decides the hosts.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { randomId } from "../../../domain/ids.js";
import { GROUP_CAPACITY } from "../../../domain/placement.js";
import { paging } from "../instances/describe-instances.js";
import { namedInstances } from "../instances/instance-operations.js";
import { checkTags } from "../../shared/tag-inputs.js";
import { invalid, unsupported } from "../../shared/refusals.js";
import {
  checkAffinity,
  checkGroupIds,
  checkGroupName,
  checkSpreadType,
  findGroups,
  GROUP_QUOTA,
  groupView,
  refuseOverGroupQuota,
} from "./placement-group-inputs.js";
import { spreadOver } from "./spread.js";

export const createDisasterRecoverGroup = action<cvm.CreateDisasterRecoverGroupRequest, cvm.CreateDisasterRecoverGroupResponse>("cvm", "CreateDisasterRecoverGroup", async (ctx, p, deps) => {
  const name = checkGroupName(ctx.action, p.Name);
  const type = checkSpreadType(p.Type);
  const affinity = checkAffinity(ctx.action, p.Affinity ?? 1);
  // Partition groups are in grey release in the real cloud.
  if (p.Strategy !== undefined && p.Strategy !== "SPREAD") {
    if (p.Strategy === "PARTITION") throw unsupported("Strategy=PARTITION");
    throw invalid("InvalidParameterValue", "Strategy", p.Strategy, "use SPREAD or PARTITION", "取值应为 SPREAD 或 PARTITION");
  }
  if (p.PartitionCount !== undefined) throw unsupported("PartitionCount");
  if (p.ClientToken !== undefined && Buffer.byteLength(p.ClientToken) > 64) throw invalid("InvalidParameterValue", "ClientToken", p.ClientToken, "it must be at most 64 bytes", "长度不能超过 64 字节");
  const tags = checkTags(ctx.action, p.TagSpecification, "ps", "refuse");
  const { appId } = ctx.account;
  const group = await deps.store.transaction(async (tx) => {
    const earlier = p.ClientToken === undefined ? undefined : await tx.placementGroups.byClientToken(appId, p.ClientToken);
    if (earlier) return earlier;
    refuseOverGroupQuota(await tx.placementGroups.count(appId, ctx.region!));
    const record = { groupId: randomId("ps"), appId, region: ctx.region!, name, type, affinity, clientToken: p.ClientToken ?? null, createdAt: isoSeconds(ctx.now), tags };
    await tx.placementGroups.insert(record);
    return { ...record, members: [] };
  });
  const view = groupView(group);
  return { DisasterRecoverGroupId: view.DisasterRecoverGroupId, Type: view.Type, Name: view.Name, CvmQuotaTotal: view.CvmQuotaTotal, CurrentNum: view.CurrentNum, CreateTime: view.CreateTime, Strategy: view.Strategy, PartitionCount: view.PartitionCount };
});

export const describeDisasterRecoverGroups = action<cvm.DescribeDisasterRecoverGroupsRequest, cvm.DescribeDisasterRecoverGroupsResponse>("cvm", "DescribeDisasterRecoverGroups", async (ctx, p, deps) => {
  const { offset, limit } = paging(p, ctx.action);
  if (p.DisasterRecoverGroupIds) checkGroupIds(ctx.action, p.DisasterRecoverGroupIds, "DisasterRecoverGroupIds");
  // Filters are tag filters; they, the ids and the name (a part of it) all narrow the list.
  const tagTests = (p.Filters ?? []).map(({ Name: name, Values: values }, i) => {
    if (name === "tag-key") return (t: { key: string; value: string }) => values.includes(t.key);
    if (name === "tag-value") return (t: { key: string; value: string }) => values.includes(t.value);
    if (name.startsWith("tag:") && name.length > 4) return (t: { key: string; value: string }) => t.key === name.slice(4) && values.includes(t.value);
    throw invalid("InvalidParameterValue", `Filters.${i}.Name`, name, "DescribeDisasterRecoverGroups filters on tag-key, tag-value and tag:<key>", "可用的过滤条件为 tag-key、tag-value 与 tag:<key>");
  });
  const groups = (await deps.store.placementGroups.all(ctx.account.appId, ctx.region!)).filter(
    (g) =>
      (!p.DisasterRecoverGroupIds?.length || p.DisasterRecoverGroupIds.includes(g.groupId)) &&
      (p.Name === undefined || g.name.includes(p.Name)) &&
      tagTests.every((test) => g.tags.some(test)),
  );
  return { TotalCount: groups.length, DisasterRecoverGroupSet: groups.slice(offset, offset + limit).map(groupView) };
});

export const describeDisasterRecoverGroupQuota = action<cvm.DescribeDisasterRecoverGroupQuotaRequest, cvm.DescribeDisasterRecoverGroupQuotaResponse>(
  "cvm",
  "DescribeDisasterRecoverGroupQuota",
  async (ctx, _p, deps) => ({
    GroupQuota: GROUP_QUOTA,
    CurrentNum: await deps.store.placementGroups.count(ctx.account.appId, ctx.region!),
    CvmInHostGroupQuota: GROUP_CAPACITY.HOST,
    CvmInSwGroupQuota: GROUP_CAPACITY.SW,
    CvmInRackGroupQuota: GROUP_CAPACITY.RACK,
    CvmInSwitchGroupQuota: GROUP_CAPACITY.SW,
  }),
);

export const modifyDisasterRecoverGroupAttribute = action<cvm.ModifyDisasterRecoverGroupAttributeRequest, cvm.ModifyDisasterRecoverGroupAttributeResponse>(
  "cvm",
  "ModifyDisasterRecoverGroupAttribute",
  async (ctx, p, deps) => {
    const name = checkGroupName(ctx.action, p.Name);
    await deps.store.transaction(async (tx) => {
      const [group] = await findGroups(tx, ctx, [p.DisasterRecoverGroupId], "DisasterRecoverGroupId");
      const affinity = p.Affinity === undefined ? group.affinity : checkAffinity(ctx.action, p.Affinity);
      // "调整只能从小调到大": a lower affinity could break the spread of the instances already placed.
      if (affinity < group.affinity) throw invalid("InvalidParameterValue", "Affinity", affinity, `the affinity only grows (it is ${group.affinity})`, `亲和度只能调大（当前为 ${group.affinity}）`);
      await tx.placementGroups.update(group.groupId, { name, affinity });
    });
    return {};
  },
);

export const modifyInstancesDisasterRecoverGroup = action<cvm.ModifyInstancesDisasterRecoverGroupRequest, cvm.ModifyInstancesDisasterRecoverGroupResponse>(
  "cvm",
  "ModifyInstancesDisasterRecoverGroup",
  async (ctx, p, deps) => {
    if (p.PartitionNumber !== undefined) throw unsupported("PartitionNumber");
    const ids = p.DisasterRecoverGroupIds ?? (p.DisasterRecoverGroupId === undefined ? [] : [p.DisasterRecoverGroupId]);
    if (p.DisasterRecoverGroupIds && p.DisasterRecoverGroupId !== undefined) throw fail("InvalidParameter", "Give `DisasterRecoverGroupId` or `DisasterRecoverGroupIds`, not both.", "`DisasterRecoverGroupId` 与 `DisasterRecoverGroupIds` 只能指定一个。");
    if (ids.length !== 1) throw invalid("InvalidParameterValue.LimitExceeded", "DisasterRecoverGroupIds", ids.length, "name exactly one placement group", "需指定且只能指定一个置放群组");
    const field = p.DisasterRecoverGroupIds ? "DisasterRecoverGroupIds" : "DisasterRecoverGroupId";
    // A simulated machine moves between hosts without a restart, so `Force` changes nothing here.
    await deps.store.transaction(async (tx) => {
      const instances = await namedInstances(ctx, tx, p.InstanceIds, "InstanceIds");
      const [group] = await findGroups(tx, ctx, ids, field);
      const already = instances.find((i) => group.members.some((m) => m.instanceId === i.instanceId));
      if (already) throw invalid("FailedOperation.AlreadyInDisasterRecoverGroup", "InstanceIds", already.instanceId, `the instance is already in ${group.groupId}`, `该实例已在置放群组 ${group.groupId} 中`);
      await tx.placementGroups.join(group.groupId, spreadOver(deps.catalog, ctx.action, group, instances, field));
    });
    return {};
  },
);

export const deleteInstancesDisasterRecoverGroups = action<cvm.DeleteInstancesDisasterRecoverGroupsRequest, cvm.DeleteInstancesDisasterRecoverGroupsResponse>(
  "cvm",
  "DeleteInstancesDisasterRecoverGroups",
  async (ctx, p, deps) => {
    await deps.store.transaction(async (tx) => {
      const instances = await namedInstances(ctx, tx, p.InstanceIds, "InstanceIds");
      const groups = await findGroups(tx, ctx, p.DisasterRecoverGroupIds, "DisasterRecoverGroupIds");
      const outside = instances.find((i) => !groups.some((g) => g.members.some((m) => m.instanceId === i.instanceId)));
      if (outside) {
        throw invalid("FailedOperation.DisasterRecoverGroupNotMatch", "InstanceIds", outside.instanceId, `the instance is in none of ${groups.map((g) => g.groupId).join(", ")}`, `该实例不在置放群组 ${groups.map((g) => g.groupId).join("、")} 中`);
      }
      await tx.placementGroups.leave(instances.map((i) => i.instanceId));
    });
    return {};
  },
);

export const deleteDisasterRecoverGroups = action<cvm.DeleteDisasterRecoverGroupsRequest, cvm.DeleteDisasterRecoverGroupsResponse>("cvm", "DeleteDisasterRecoverGroups", async (ctx, p, deps) => {
  // All or nothing: one group with instances refuses the call (only an empty group can be deleted).
  await deps.store.transaction(async (tx) => {
    const groups = await findGroups(tx, ctx, p.DisasterRecoverGroupIds, "DisasterRecoverGroupIds");
    const busy = groups.find((g) => g.members.length > 0);
    if (busy) throw invalid("FailedOperation.PlacementSetNotEmpty", "DisasterRecoverGroupIds", busy.groupId, `the group holds ${busy.members.map((m) => m.instanceId).join(", ")}`, `该置放群组中有实例 ${busy.members.map((m) => m.instanceId).join("、")}`);
    await tx.placementGroups.remove(groups.map((g) => g.groupId));
  });
  return {};
});
