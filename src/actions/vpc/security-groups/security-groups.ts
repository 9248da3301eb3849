// Security groups (service vpc): CreateSecurityGroup, CreateSecurityGroupWithPolicies, CreateDefaultSecurityGroup,
// DescribeSecurityGroups, ModifySecurityGroupAttribute, DeleteSecurityGroup and
// DescribeSecurityGroupAssociationStatistics. A new group denies everything until rules are added; the default group
// ("default", created on first use) lets every IPv4 packet through and cannot be deleted, nor can a group an
// instance holds or another group's rules name.
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as vpc from "../../../api/generated/vpc-types.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { randomId } from "../../../domain/ids.js";
import type { SecurityGroupRecord } from "../../../store/store.js";
import {
  accountGroups,
  checkGroupDescription,
  checkGroupId,
  checkGroupName,
  checkProjectId,
  oneDirection,
  ownGroup,
  parsePolicy,
  refuseDuplicates,
  refuseTooMany,
  SECURITY_GROUP_QUOTA,
  securityGroupView,
  within,
} from "./security-group-inputs.js";
import { applyFilters, checkTags, tagFilters, vpcPaging } from "../networks/vpc-inputs.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

/** Ids per Describe call (limits.md §2). */
const MAX_IDS = 100;

/** Creates a group, all checks and the quota in one transaction with the insert. */
async function create(deps: Deps, ctx: RequestContext, record: (groups: SecurityGroupRecord[]) => SecurityGroupRecord): Promise<SecurityGroupRecord> {
  return deps.store.transaction(async (tx) => {
    const groups = await accountGroups(tx, ctx);
    if (groups.filter((g) => !g.isDefault).length >= SECURITY_GROUP_QUOTA) {
      throw fail("LimitExceeded", `You have ${SECURITY_GROUP_QUOTA} security groups in ${ctx.region}, the quota (the default group aside).`, `您在 ${ctx.region} 的安全组已达配额 ${SECURITY_GROUP_QUOTA} 个（默认安全组不计）。`);
    }
    const g = record(groups);
    await tx.securityGroups.insert(g);
    return g;
  }, ctx.account.appId);
}

function newGroup(ctx: RequestContext, p: { GroupName: string; GroupDescription: string }, projectId: number, tags: SecurityGroupRecord["tags"]): SecurityGroupRecord {
  const now = isoSeconds(ctx.now);
  return {
    securityGroupId: randomId("sg"),
    appId: ctx.account.appId,
    region: ctx.region!,
    projectId,
    isDefault: false,
    groupName: p.GroupName,
    groupDescription: p.GroupDescription,
    version: 0,
    createdAt: now,
    updatedAt: now,
    tags,
    ingress: [],
    egress: [],
  };
}

export const createSecurityGroup = action<vpc.CreateSecurityGroupRequest, vpc.CreateSecurityGroupResponse>("vpc", "CreateSecurityGroup", async (ctx, p, deps) => {
  checkGroupName(ctx.action, p.GroupName, "GroupName");
  checkGroupDescription(ctx.action, p.GroupDescription, "GroupDescription");
  const projectId = checkProjectId(ctx.action, p.ProjectId);
  const tags = checkTags(p.Tags, "Tags");
  const g = await create(deps, ctx, () => newGroup(ctx, p, projectId, tags));
  return { SecurityGroup: securityGroupView(g) };
});

export const createSecurityGroupWithPolicies = action<vpc.CreateSecurityGroupWithPoliciesRequest, vpc.CreateSecurityGroupWithPoliciesResponse>(
  "vpc",
  "CreateSecurityGroupWithPolicies",
  async (ctx, p, deps) => {
    checkGroupName(ctx.action, p.GroupName, "GroupName");
    checkGroupDescription(ctx.action, p.GroupDescription, "GroupDescription");
    const projectId = checkProjectId(ctx.action, p.ProjectId);
    // This action documents none of the tag codes: a bad tag is an InvalidParameterValue.
    const tags = within(ctx.action, "InvalidParameterValue", () => checkTags(p.Tags, "Tags"));
    const set = p.SecurityGroupPolicySet;
    const given = set && ((set.Ingress?.length ?? 0) > 0 || (set.Egress?.length ?? 0) > 0);
    const g = await create(deps, ctx, (groups) => {
      const group = newGroup(ctx, p, projectId, tags);
      if (!given) return group;
      // Rules of one direction, as CreateSecurityGroupPolicies takes them, in the order given: a new group has no
      // rules for a PolicyIndex to place them among. Creating the group with its rules is one change (Version 1).
      const { direction, rules, at } = oneDirection(ctx.action, set!);
      refuseTooMany(ctx.action, rules.length, at);
      const known = new Set(groups.map((x) => x.securityGroupId));
      const parsed = rules.map((r, i) => parsePolicy(ctx.action, r, `${at}.${i}`, { knownGroup: (id) => known.has(id), modifyTime: group.createdAt }));
      refuseDuplicates(ctx.action, parsed, at);
      return { ...group, version: 1, [direction]: parsed };
    });
    return { SecurityGroup: securityGroupView(g) };
  },
);

export const createDefaultSecurityGroup = action<vpc.CreateDefaultSecurityGroupRequest, vpc.CreateDefaultSecurityGroupResponse>(
  "vpc",
  "CreateDefaultSecurityGroup",
  async (ctx, p, deps) => {
    const projectId = checkProjectId(ctx.action, p.ProjectId);
    if (projectId !== 0) {
      throw invalid("UnsupportedOperation", "ProjectId", p.ProjectId, "OpenCVM keeps one default security group per region, in project 0", "OpenCVM 每个地域只有一个默认安全组，属于项目 0");
    }
    const g = await deps.store.transaction((tx) => tx.securityGroups.defaultGroup(ctx.account.appId, ctx.region!), ctx.account.appId);
    return { SecurityGroup: securityGroupView(g) };
  },
);

const ORDER_FIELDS: Record<string, (g: SecurityGroupRecord) => string> = { CreatedTime: (g) => g.createdAt, UpdateTime: (g) => g.updatedAt };

export const describeSecurityGroups = action<vpc.DescribeSecurityGroupsRequest, vpc.DescribeSecurityGroupsResponse>("vpc", "DescribeSecurityGroups", async (ctx, p, deps) => {
  if (p.SecurityGroupIds?.length && p.Filters?.length) throw fail("InvalidParameter.Coexist", "SecurityGroupIds and Filters cannot be given together.", "SecurityGroupIds 与 Filters 不能同时指定。");
  const ids = p.SecurityGroupIds ?? [];
  if (ids.length > MAX_IDS) throw invalid("InvalidParameterValue.LimitExceeded", "SecurityGroupIds", ids.length, `at most ${MAX_IDS} ids`, `最多 ${MAX_IDS} 个 ID`);
  for (const [i, id] of ids.entries()) checkGroupId(ctx.action, id, `SecurityGroupIds.${i}`);
  const { offset, limit } = vpcPaging(p);
  const key = p.OrderField !== undefined && Object.hasOwn(ORDER_FIELDS, p.OrderField) ? ORDER_FIELDS[p.OrderField] : undefined;
  if (p.OrderField !== undefined && !key) throw invalid("InvalidParameterValue.Range", "OrderField", p.OrderField, "use CreatedTime or UpdateTime", "取值为 CreatedTime 或 UpdateTime");
  const direction = p.OrderDirection ?? "ASC";
  if (direction !== "ASC" && direction !== "DESC") throw invalid("InvalidParameterValue.Range", "OrderDirection", p.OrderDirection, "use ASC or DESC", "取值为 ASC 或 DESC");

  let groups = await accountGroups(deps.store, ctx);
  if (ids.length) groups = groups.filter((g) => ids.includes(g.securityGroupId));
  groups = applyFilters(groups, p.Filters ?? [], {
    "security-group-id": (g, v) => g.securityGroupId === v,
    "project-id": (g, v) => String(g.projectId) === v,
    "security-group-name": (g, v) => g.groupName.includes(v),
    ...tagFilters<SecurityGroupRecord>(),
  });
  // Oldest first unless an order is asked for (a stable sort: ties stay oldest first).
  if (key) groups = [...groups].sort((a, b) => key(a).localeCompare(key(b)) * (direction === "DESC" ? -1 : 1));
  else if (direction === "DESC") groups = [...groups].reverse();
  return { TotalCount: groups.length, SecurityGroupSet: groups.slice(offset, offset + limit).map(securityGroupView) };
});

export const modifySecurityGroupAttribute = action<vpc.ModifySecurityGroupAttributeRequest, vpc.ModifySecurityGroupAttributeResponse>(
  "vpc",
  "ModifySecurityGroupAttribute",
  async (ctx, p, deps) => {
    const g = ownGroup(ctx.action, await accountGroups(deps.store, ctx), p.SecurityGroupId, "SecurityGroupId");
    if (p.GroupName === undefined && p.GroupDescription === undefined) {
      throw fail("MissingParameter", "Give what to change: `GroupName`, `GroupDescription` or both.", "请指定要修改的属性：`GroupName`、`GroupDescription` 或两者。");
    }
    if (p.GroupName !== undefined) checkGroupName(ctx.action, p.GroupName, "GroupName");
    if (p.GroupDescription !== undefined) checkGroupDescription(ctx.action, p.GroupDescription, "GroupDescription");
    await deps.store.securityGroups.update(g.securityGroupId, {
      ...(p.GroupName !== undefined ? { groupName: p.GroupName } : {}),
      ...(p.GroupDescription !== undefined ? { groupDescription: p.GroupDescription } : {}),
      updatedAt: isoSeconds(ctx.now),
    });
    return {};
  },
);

/** The other groups of `groups` whose rules name `id` as their peer. */
export function referrers(groups: readonly SecurityGroupRecord[], id: string): SecurityGroupRecord[] {
  return groups.filter((g) => g.securityGroupId !== id && [...g.ingress, ...g.egress].some((r) => r.securityGroupId === id));
}

export const deleteSecurityGroup = action<vpc.DeleteSecurityGroupRequest, vpc.DeleteSecurityGroupResponse>("vpc", "DeleteSecurityGroup", async (ctx, p, deps) => {
  // The checks and the delete share a transaction, so no instance or rule can take the group in between (and the
  // foreign key from the instances' side refuses the delete regardless).
  await deps.store.transaction(async (tx) => {
    const groups = await accountGroups(tx, ctx);
    const g = ownGroup(ctx.action, groups, p.SecurityGroupId, "SecurityGroupId");
    if (g.isDefault) throw invalid(documentedCode(ctx.action, ["UnsupportedOperation"]), "SecurityGroupId", g.securityGroupId, "the default security group cannot be deleted", "默认安全组不能删除");
    const held = (await tx.securityGroups.instanceCounts([g.securityGroupId])).get(g.securityGroupId) ?? 0;
    if (held) throw invalid("ResourceInUse", "SecurityGroupId", g.securityGroupId, `${held} instance(s) are associated with the group; disassociate them first`, `该安全组仍关联 ${held} 个实例，请先解绑`);
    const named = referrers(groups, g.securityGroupId);
    if (named.length) {
      throw invalid("ResourceInUse", "SecurityGroupId", g.securityGroupId, `rules of ${named.map((x) => x.securityGroupId).join(", ")} ctx.action the group; change them first`, `安全组 ${named.map((x) => x.securityGroupId).join("、")} 的规则引用了该安全组，请先修改`);
    }
    await tx.securityGroups.remove(g.securityGroupId);
  }, ctx.account.appId);
  return {};
});

export const describeSecurityGroupAssociationStatistics = action<vpc.DescribeSecurityGroupAssociationStatisticsRequest, vpc.DescribeSecurityGroupAssociationStatisticsResponse>(
  "vpc",
  "DescribeSecurityGroupAssociationStatistics",
  async (ctx, p, deps) => {
    if (p.SecurityGroupIds.length > MAX_IDS) throw invalid("InvalidParameterValue.LimitExceeded", "SecurityGroupIds", p.SecurityGroupIds.length, `at most ${MAX_IDS} ids`, `最多 ${MAX_IDS} 个 ID`);
    const groups = await accountGroups(deps.store, ctx);
    const asked = p.SecurityGroupIds.map((id, i) => ownGroup(ctx.action, groups, id, `SecurityGroupIds.${i}`));
    const counts = await deps.store.securityGroups.instanceCounts(asked.map((g) => g.securityGroupId));
    return {
      SecurityGroupAssociationStatisticsSet: asked.map((g) => {
        const cvm = counts.get(g.securityGroupId) ?? 0;
        return {
          SecurityGroupId: g.securityGroupId,
          CVM: cvm,
          // OpenCVM has no databases, elastic network interfaces or load balancers.
          CDB: 0,
          ENI: 0,
          SG: referrers(groups, g.securityGroupId).length,
          CLB: 0,
          InstanceStatistics: [{ InstanceType: "CVM", InstanceCount: cvm }],
          TotalCount: cvm,
        };
      }),
    };
  },
);

