// A security group's rules (service vpc): CreateSecurityGroupPolicies, DescribeSecurityGroupPolicies,
// DeleteSecurityGroupPolicies, ReplaceSecurityGroupPolicy, ReplaceSecurityGroupPolicies and
// ModifySecurityGroupPolicies. Each direction is an ordered list (PolicyIndex = position, the first match decides);
// every change adds one to the group's Version, and a call naming a Version that is no longer current is refused
// where the action documents it (UnsupportedOperation.VersionMismatch).
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as vpc from "../../../api/generated/vpc-types.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { parsePort, sameRule, type SecurityPolicy } from "../../../domain/security-policy.js";
import type { SecurityGroupRecord } from "../../../store/store.js";
import {
  accountGroups,
  checkVersion,
  FIELD,
  oneDirection,
  ownGroup,
  parsePolicy,
  policyView,
  refuseDuplicates,
  refuseTooMany,
  type Direction,
  type PolicyOptions,
} from "./security-group-inputs.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

interface RulesCall {
  SecurityGroupId: string;
  SecurityGroupPolicySet: vpc.SecurityGroupPolicySetIn;
}

type NewRules = Partial<Record<Direction, SecurityPolicy[]>>;

/**
 * Reads the caller's group, checks the Version the call names (when the action takes one as a condition), works out
 * the new rules and writes them with the Version one higher: one transaction, and a compare-and-set on the Version
 * that was read, so two changes can never both apply to the same rules.
 */
async function changeRules(
  deps: Deps,
  ctx: RequestContext,
  name: string,
  p: RulesCall,
  compute: (g: SecurityGroupRecord, o: PolicyOptions) => NewRules,
  versioned = true,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const groups = await accountGroups(tx, ctx);
    const g = ownGroup(name, groups, p.SecurityGroupId, "SecurityGroupId");
    if (versioned) checkVersion(name, p.SecurityGroupPolicySet, g);
    const now = isoSeconds(ctx.now);
    const known = new Set(groups.map((x) => x.securityGroupId));
    const rules = compute(g, { knownGroup: (id) => known.has(id), modifyTime: now });
    const written = await tx.securityGroups.update(g.securityGroupId, { ...rules, version: g.version + 1, updatedAt: now }, g.version);
    if (!written) {
      throw fail(documentedCode(name, ["UnsupportedOperation.LockedResources", "FailedOperation"]), `The rules of ${g.securityGroupId} changed while this request ran; describe them again and retry.`, `安全组 ${g.securityGroupId} 的规则在请求处理期间被修改，请重新查询后再试。`);
    }
  }, ctx.account.appId);
}

/** A PolicyIndex naming an existing rule of the direction. */
function existingIndex(name: string, index: number | undefined, count: number, field: string): number {
  if (index === undefined) throw fail(documentedCode(name, ["InvalidParameterValue.Empty", "MissingParameter"]), `\`${field}\` is missing: ${name} names the rules it changes by PolicyIndex.`, `缺少 \`${field}\`：${name} 通过 PolicyIndex 指定要修改的规则。`);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw invalid(documentedCode(name, ["InvalidParameterValue.Range", "InvalidParameterValue"]), field, index, count ? `the direction has rules 0-${count - 1}` : "the direction has no rules", count ? `该方向的规则索引为 0-${count - 1}` : "该方向没有规则");
  }
  return index;
}

function refuseRepeatedIndex(name: string, indexes: readonly number[], at: string): void {
  const twice = indexes.find((x, i) => indexes.indexOf(x) !== i);
  if (twice !== undefined) throw invalid(documentedCode(name, ["InvalidParameterValue"]), `${at}.PolicyIndex`, twice, "the same rule is named twice", "同一条规则被指定了两次");
}

export const createSecurityGroupPolicies = action<vpc.CreateSecurityGroupPoliciesRequest, vpc.CreateSecurityGroupPoliciesResponse>(
  "vpc",
  "CreateSecurityGroupPolicies",
  async (ctx, p, deps) => {
    await changeRules(deps, ctx, ctx.action, p, (g, o) => {
      const { direction, rules, at } = oneDirection(ctx.action, p.SecurityGroupPolicySet);
      // Every rule of a call takes the same PolicyIndex: where the new rules go (0 = first); none = after the last.
      const index = rules[0].PolicyIndex;
      const other = rules.findIndex((r) => r.PolicyIndex !== index);
      if (other >= 0) {
        throw invalid(documentedCode(ctx.action, ["InvalidParameterValue"]), `${at}.${other}.PolicyIndex`, rules[other].PolicyIndex, "the rules of one call take the same PolicyIndex (or none), where they go together", "同一请求中的规则应使用相同的 PolicyIndex（或都不指定），规则将一并插入该位置");
      }
      const current = g[direction];
      // Counted before the rules are read: a call cannot make the server compare thousands of rules.
      refuseTooMany(ctx.action, current.length + rules.length, at);
      const where = index ?? current.length;
      if (!Number.isInteger(where) || where < 0 || where > current.length) {
        throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.Range"]), `${at}.0.PolicyIndex`, index, `use 0-${current.length} (${current.length} = after the last rule)`, `取值为 0-${current.length}（${current.length} 表示最后一条之后）`);
      }
      const added = rules.map((r, i) => parsePolicy(ctx.action, r, `${at}.${i}`, o));
      const next = [...current.slice(0, where), ...added, ...current.slice(where)];
      refuseDuplicates(ctx.action, next, at);
      return { [direction]: next };
    });
    return {};
  },
);

export const deleteSecurityGroupPolicies = action<vpc.DeleteSecurityGroupPoliciesRequest, vpc.DeleteSecurityGroupPoliciesResponse>(
  "vpc",
  "DeleteSecurityGroupPolicies",
  async (ctx, p, deps) => {
    await changeRules(deps, ctx, ctx.action, p, (g, o) => {
      const { direction, rules, at } = oneDirection(ctx.action, p.SecurityGroupPolicySet);
      const current = g[direction];
      const byIndex = rules.filter((r) => r.PolicyIndex !== undefined).length;
      if (byIndex && byIndex !== rules.length) {
        throw fail("InvalidParameter.Coexist", `\`${at}\` mixes rules named by PolicyIndex with rules given in full; one call deletes one way.`, `\`${at}\` 中同时使用了按 PolicyIndex 和按规则内容两种删除方式，一个请求只能使用一种。`);
      }
      let doomed: number[];
      if (byIndex) {
        doomed = rules.map((r, i) => existingIndex(ctx.action, r.PolicyIndex, current.length, `${at}.${i}.PolicyIndex`));
        refuseRepeatedIndex(ctx.action, doomed, at);
      } else {
        // A rule given in full matches a stored rule equal in all but its description. Peers need not exist: a rule
        // naming a group that is gone can still be deleted.
        doomed = [];
        for (const [i, r] of rules.entries()) {
          const wanted = parsePolicy(ctx.action, r, `${at}.${i}`, { ...o, knownGroup: () => true, matchOnly: true });
          const found = current.findIndex((x, k) => !doomed.includes(k) && sameRule(x, wanted));
          if (found < 0) throw fail("ResourceNotFound", `\`${at}.${i}\`: ${g.securityGroupId} has no such ${FIELD[direction]} rule.`, `\`${at}.${i}\`：安全组 ${g.securityGroupId} 没有该${direction === "ingress" ? "入站" : "出站"}规则。`);
          doomed.push(found);
        }
      }
      return { [direction]: current.filter((_, k) => !doomed.includes(k)) };
    });
    return {};
  },
);

/** Replaces rules of one direction in place, each named by its PolicyIndex. */
function replaceRules(name: string, p: RulesCall, max?: number) {
  return (g: SecurityGroupRecord, o: PolicyOptions): NewRules => {
    const { direction, rules, at } = oneDirection(name, p.SecurityGroupPolicySet);
    if (max !== undefined && rules.length > max) {
      throw invalid(documentedCode(name, ["InvalidParameterValue.LimitExceeded", "InvalidParameterValue"]), at, rules.length, `${name} replaces ${max} rule per call`, `${name} 每次只能替换 ${max} 条规则`);
    }
    const current = g[direction];
    const indexes = rules.map((r, i) => existingIndex(name, r.PolicyIndex, current.length, `${at}.${i}.PolicyIndex`));
    refuseRepeatedIndex(name, indexes, at);
    const next = [...current];
    for (const [i, r] of rules.entries()) next[indexes[i]] = parsePolicy(name, r, `${at}.${i}`, o);
    refuseDuplicates(name, next, at);
    return { [direction]: next };
  };
}

// OriginalSecurityGroupPolicySet is "for log records" only: accepted, and not compared with anything.

export const replaceSecurityGroupPolicy = action<vpc.ReplaceSecurityGroupPolicyRequest, vpc.ReplaceSecurityGroupPolicyResponse>(
  "vpc",
  "ReplaceSecurityGroupPolicy",
  async (ctx, p, deps) => {
    await changeRules(deps, ctx, ctx.action, p, replaceRules(ctx.action, p, 1));
    return {};
  },
);

export const replaceSecurityGroupPolicies = action<vpc.ReplaceSecurityGroupPoliciesRequest, vpc.ReplaceSecurityGroupPoliciesResponse>(
  "vpc",
  "ReplaceSecurityGroupPolicies",
  async (ctx, p, deps) => {
    const type = p.UpdateType ?? "Policy";
    if (type === "Priority" || type === "Both") {
      throw invalid("UnsupportedOperation", "UpdateType", type, "OpenCVM replaces rule contents only (UpdateType=Policy); to move a rule, delete it and create it again with a PolicyIndex", "OpenCVM 仅支持替换规则内容（UpdateType=Policy）；如需调整顺序，请删除后按 PolicyIndex 重新创建");
    }
    if (type !== "Policy") throw invalid(documentedCode(ctx.action, ["InvalidParameterValue"]), "UpdateType", type, "use Policy, Priority or Both", "取值为 Policy、Priority 或 Both");
    await changeRules(deps, ctx, ctx.action, p, replaceRules(ctx.action, p));
    return {};
  },
);

export const modifySecurityGroupPolicies = action<vpc.ModifySecurityGroupPoliciesRequest, vpc.ModifySecurityGroupPoliciesResponse>(
  "vpc",
  "ModifySecurityGroupPolicies",
  async (ctx, p, deps) => {
    const set = p.SecurityGroupPolicySet;
    // Version is no condition here: "0" clears every rule (Ingress and Egress are then ignored); any other Version,
    // or none, replaces both directions with the rules given, in the order given (SortPolicys or not).
    const clear = set.Version === "0";
    if (set.Version !== undefined && set.Version !== "" && !/^\d+$/.test(set.Version)) {
      throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.Malformed"]), "SecurityGroupPolicySet.Version", set.Version, "a Version is a non-negative integer", "版本号应为非负整数");
    }
    await changeRules(
      deps,
      ctx,
      ctx.action,
      p,
      (_g, o) => {
        if (clear) return { ingress: [], egress: [] };
        const out: NewRules = {};
        for (const direction of ["ingress", "egress"] as const) {
          const at = `SecurityGroupPolicySet.${FIELD[direction]}`;
          const rules = set[FIELD[direction]] ?? [];
          const indexed = rules.findIndex((r) => r.PolicyIndex !== undefined);
          if (indexed >= 0) {
            throw invalid("InvalidParameter", `${at}.${indexed}.PolicyIndex`, rules[indexed].PolicyIndex, `${ctx.action} replaces every rule and takes no PolicyIndex: rules go in the order given`, `${ctx.action} 重置全部规则，不支持指定 PolicyIndex，规则按传入顺序排列`);
          }
          refuseTooMany(ctx.action, rules.length, at);
          const parsed = rules.map((r, i) => parsePolicy(ctx.action, r, `${at}.${i}`, o));
          refuseDuplicates(ctx.action, parsed, at);
          out[direction] = parsed;
        }
        return out;
      },
      false,
    );
    return {};
  },
);

// DescribeSecurityGroupPolicies. Its filters select rules; a rule keeps its PolicyIndex in the whole direction.

type Row = { direction: Direction; rule: SecurityPolicy };

/** Whether a rule covers a port given as text: the text appears in its Port, or the port is in its ranges. */
function coversPort(rule: SecurityPolicy, text: string): boolean {
  if (rule.port.toUpperCase().includes(text.toUpperCase())) return true;
  if (!/^\d+$/.test(text)) return false;
  const parsed = parsePort(rule.port);
  if (!parsed.ok) return false;
  const n = Number(text);
  return parsed.value.ranges === "ALL" || parsed.value.ranges.some(([lo, hi]) => n >= lo && n <= hi);
}

const POLICY_FILTERS: Record<string, (row: Row, v: string) => boolean> = {
  "security-group-id": ({ rule }, v) => rule.securityGroupId === v,
  ip: ({ rule }, v) => (rule.cidrBlock + " " + rule.ipv6CidrBlock).toLowerCase().includes(v.toLowerCase()),
  // OpenCVM has no parameter templates: no rule uses one.
  "address-module": () => false,
  "service-module": () => false,
  "protocol-type": ({ rule }, v) => rule.protocol.toUpperCase() === v.toUpperCase(),
  port: ({ rule }, v) => coversPort(rule, v),
  poly: ({ rule }, v) => v.toUpperCase() === "ALL" || rule.action === v.toUpperCase(),
  direction: ({ direction }, v) => v.toUpperCase() === "ALL" || (v.toUpperCase() === "INBOUND" ? direction === "ingress" : v.toUpperCase() === "OUTBOUND" && direction === "egress"),
  description: ({ rule }, v) => rule.description.includes(v),
};

export const describeSecurityGroupPolicies = action<vpc.DescribeSecurityGroupPoliciesRequest, vpc.DescribeSecurityGroupPoliciesResponse>(
  "vpc",
  "DescribeSecurityGroupPolicies",
  async (ctx, p, deps) => {
    const g = ownGroup(ctx.action, await accountGroups(deps.store, ctx), p.SecurityGroupId, "SecurityGroupId");
    const checks = (p.Filters ?? []).map((f, i) => {
      const match = Object.hasOwn(POLICY_FILTERS, f.Name) ? POLICY_FILTERS[f.Name] : undefined;
      if (!match) {
        throw fail("InvalidParameter.FilterInvalidKey", `Unknown filter \`${f.Name}\` (Filters.${i}); use ${Object.keys(POLICY_FILTERS).join(", ")}.`, `不支持过滤条件 \`${f.Name}\`（Filters.${i}）。`);
      }
      return (row: Row) => f.Values.some((v) => match(row, v));
    });
    const shown = (direction: Direction) =>
      g[direction].flatMap((rule, index) => (checks.every((c) => c({ direction, rule })) ? [policyView(rule, index)] : []));
    const v6 = (rules: SecurityPolicy[]) => rules.filter((r) => r.ipv6CidrBlock).length;
    return {
      SecurityGroupPolicySet: {
        Version: String(g.version),
        Ingress: shown("ingress"),
        Egress: shown("egress"),
        PolicyStatistics: {
          IngressIPv4TotalCount: g.ingress.length - v6(g.ingress),
          IngressIPv6TotalCount: v6(g.ingress),
          EgressIPv4TotalCount: g.egress.length - v6(g.egress),
          EgressIPv6TotalCount: v6(g.egress),
        },
      },
    };
  },
);
