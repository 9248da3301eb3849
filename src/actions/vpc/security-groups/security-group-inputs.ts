// What the security group actions share: the documented code for each fault (the actions document different sets),
// the caller's groups, names, and rules as the actions take and show them.
import type { RequestContext } from "../../../api/action.js";
import type * as vpc from "../../../api/generated/vpc-types.js";
import { serviceSpec } from "../../../api/spec.js";
import { COMMON_CODES, fail, TencentError } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import { parseIpv4Peer, parseIpv6Peer, parsePort, protocolOf, sameRule, type Parsed, type SecurityPolicy } from "../../../domain/security-policy.js";
import type { SecurityGroupRecord, Store } from "../../../store/store.js";
import { tagSet, vpcTime } from "../networks/vpc-inputs.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

/** Security groups an account may create per region (limits.md §9); the default group is not counted. */
export const SECURITY_GROUP_QUOTA = 50;
/** Rules per group in each direction (the real cloud's 100 inbound and 100 outbound). */
export const POLICY_LIMIT = 100;
/** Security groups one instance may have (limits.md §9). */
export const MAX_INSTANCE_GROUPS = 5;
const MAX_GROUP_NAME = 60;
const MAX_GROUP_DESCRIPTION = 100;
const MAX_POLICY_DESCRIPTION = 100;

/** Runs `fn`, answering a refusal whose code the action does not document with `fallback` (a common code). */
export function within<T>(action: string, fallback: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TencentError && !COMMON_CODES.has(e.code) && !serviceSpec("vpc").actions[action].errors.includes(e.code)) throw new TencentError(fallback, e.en, e.zh);
    throw e;
  }
}

const length = (s: string) => [...s].length;

export function checkGroupName(action: string, name: string, field: string): void {
  if (name.trim() === "") throw invalid(documentedCode(action, ["MissingParameter"]), field, name, "a security group needs a name", "安全组名称不能为空");
  if (length(name) > MAX_GROUP_NAME) throw invalid(documentedCode(action, ["InvalidParameterValue.TooLong", "InvalidParameterValue"]), field, name, `at most ${MAX_GROUP_NAME} characters`, `最多 ${MAX_GROUP_NAME} 个字符`);
}

export function checkGroupDescription(action: string, text: string, field: string): void {
  if (length(text) > MAX_GROUP_DESCRIPTION) {
    throw invalid(documentedCode(action, ["InvalidParameterValue.TooLong", "InvalidParameterValue"]), field, text, `at most ${MAX_GROUP_DESCRIPTION} characters`, `最多 ${MAX_GROUP_DESCRIPTION} 个字符`);
  }
}

/** ProjectId arrives as a string holding a non-negative integer; OpenCVM keeps no list of projects. */
export function checkProjectId(action: string, text: string | undefined): number {
  if (text === undefined || text === "") return 0;
  if (!/^\d+$/.test(text)) throw invalid(documentedCode(action, ["InvalidParameterValue.Malformed", "InvalidParameterValue"]), "ProjectId", text, "a project id is a non-negative integer", "项目 ID 应为非负整数");
  return Number(text);
}

export function checkGroupId(action: string, id: string, field: string): void {
  if (!isIdOf("sg", id)) throw invalid(documentedCode(action, ["InvalidSecurityGroupID.Malformed", "InvalidParameterValue.Malformed", "InvalidParameterValue"]), field, id, "expected sg-xxxxxxxx", "格式应为 sg-xxxxxxxx");
}

/** The caller's group among `groups` (its account's in the region), or the action's not-found code. */
export function ownGroup(action: string, groups: readonly SecurityGroupRecord[], id: string, field: string): SecurityGroupRecord {
  checkGroupId(action, id, field);
  const found = groups.find((g) => g.securityGroupId === id);
  if (!found) throw invalid(documentedCode(action, ["InvalidSecurityGroupID.NotFound", "ResourceNotFound"]), field, id, "no such security group in this region", "该地域不存在该安全组");
  return found;
}

export function accountGroups(store: Store, ctx: RequestContext): Promise<SecurityGroupRecord[]> {
  return store.securityGroups.list(ctx.account.appId, ctx.region!);
}

export function securityGroupView(g: SecurityGroupRecord): vpc.SecurityGroup {
  return {
    SecurityGroupId: g.securityGroupId,
    SecurityGroupName: g.groupName,
    SecurityGroupDesc: g.groupDescription,
    ProjectId: String(g.projectId),
    IsDefault: g.isDefault,
    CreatedTime: vpcTime(g.createdAt),
    TagSet: tagSet(g.tags),
    UpdateTime: vpcTime(g.updatedAt),
  };
}

export function policyView(p: SecurityPolicy, index: number): vpc.SecurityGroupPolicy {
  return {
    PolicyIndex: index,
    Protocol: p.protocol,
    Port: p.port,
    ServiceTemplate: { ServiceId: "", ServiceGroupId: "" },
    CidrBlock: p.cidrBlock,
    Ipv6CidrBlock: p.ipv6CidrBlock,
    SecurityGroupId: p.securityGroupId,
    AddressTemplate: { AddressId: "", AddressGroupId: "" },
    Action: p.action,
    PolicyDescription: p.description,
    ModifyTime: vpcTime(p.modifyTime),
  };
}

// Rules as the actions take them.

export type Direction = "ingress" | "egress";
export const FIELD: Record<Direction, "Ingress" | "Egress"> = { ingress: "Ingress", egress: "Egress" };

/** The one direction a call names (the real API takes one per call), with its rules. */
export function oneDirection(action: string, set: vpc.SecurityGroupPolicySetIn): { direction: Direction; rules: vpc.SecurityGroupPolicyIn[]; at: string } {
  const ingress = set.Ingress ?? [];
  const egress = set.Egress ?? [];
  if (ingress.length && egress.length) {
    throw fail(documentedCode(action, ["InvalidParameter.Coexist", "InvalidParameter"]), `${action} takes rules of one direction per call: give \`SecurityGroupPolicySet.Ingress\` or \`SecurityGroupPolicySet.Egress\`, not both.`, `${action} 每次只能操作一个方向的规则：请指定 \`SecurityGroupPolicySet.Ingress\` 或 \`SecurityGroupPolicySet.Egress\`，不能同时指定。`);
  }
  if (!ingress.length && !egress.length) {
    throw fail(documentedCode(action, ["InvalidParameterValue.Empty", "MissingParameter"]), "Give the rules in `SecurityGroupPolicySet.Ingress` or `SecurityGroupPolicySet.Egress`.", "请在 `SecurityGroupPolicySet.Ingress` 或 `SecurityGroupPolicySet.Egress` 中指定规则。");
  }
  return ingress.length ? { direction: "ingress", rules: ingress, at: "SecurityGroupPolicySet.Ingress" } : { direction: "egress", rules: egress, at: "SecurityGroupPolicySet.Egress" };
}

/** The Version a call names, if any ("" is none); a stale one is refused where the action documents it. */
export function checkVersion(action: string, set: vpc.SecurityGroupPolicySetIn, group: SecurityGroupRecord): void {
  const v = set.Version;
  if (v === undefined || v === "") return;
  if (!/^\d+$/.test(v)) throw invalid(documentedCode(action, ["InvalidParameterValue.Malformed", "InvalidParameterValue"]), "SecurityGroupPolicySet.Version", v, "a Version is a non-negative integer", "版本号应为非负整数");
  if (Number(v) !== group.version) {
    throw invalid("UnsupportedOperation.VersionMismatch", "SecurityGroupPolicySet.Version", v, `the rules of ${group.securityGroupId} are at Version ${group.version}; describe them again and retry`, `安全组 ${group.securityGroupId} 的规则当前版本为 ${group.version}，请重新查询后再试`);
  }
}

const given = (s: string | undefined): s is string => s !== undefined && s !== "";
const templateGiven = (t: object | undefined) => t !== undefined && Object.values(t).some((v) => typeof v === "string" && v !== "");

export interface PolicyOptions {
  /** Whether a group a rule names as its peer exists (the caller's, in the region). */
  knownGroup: (id: string) => boolean;
  /** Rules matched for deletion are not stored: their description is not checked. */
  matchOnly?: boolean;
  modifyTime: string;
}

/** One rule as `action` takes it, checked and written in the form it is stored and shown in. */
export function parsePolicy(action: string, p: vpc.SecurityGroupPolicyIn, field: string, o: PolicyOptions): SecurityPolicy {
  const code = (...codes: string[]) => documentedCode(action, codes);
  const coexist = (en: string, zh: string) => fail(code("InvalidParameter.Coexist", "InvalidParameter"), `\`${field}\`: ${en}.`, `\`${field}\`：${zh}。`);
  const missing = (name: string, en: string, zh: string) => fail(code("InvalidParameterValue.Empty", "MissingParameter"), `\`${field}.${name}\` is missing: ${en}.`, `缺少 \`${field}.${name}\`：${zh}。`);
  const refused = (name: string, value: unknown, parsed: Extract<Parsed<unknown>, { ok: false }>) =>
    invalid(parsed.kind === "range" ? code("InvalidParameterValue.Range", "InvalidParameterValue") : code("InvalidParameterValue.Malformed", "InvalidParameterValue"), `${field}.${name}`, value, parsed.en, parsed.zh);
  const unsupportedHere = (name: string, en: string, zh: string) => fail("UnsupportedOperation", `\`${field}.${name}\`: ${en}.`, `\`${field}.${name}\`：${zh}。`);

  if (p.Priority !== undefined) throw unsupportedHere("Priority", "OpenCVM orders rules by PolicyIndex only", "OpenCVM 仅按 PolicyIndex 排列规则");
  if (templateGiven(p.ServiceTemplate)) {
    if (given(p.Protocol) || given(p.Port)) throw coexist("`ServiceTemplate` and `Protocol` + `Port` cannot be given together", "`ServiceTemplate` 与 `Protocol` + `Port` 不能同时指定");
    throw unsupportedHere("ServiceTemplate", "OpenCVM has no protocol port templates; give Protocol and Port", "OpenCVM 没有协议端口模板，请指定 Protocol 与 Port");
  }
  const peers = [given(p.CidrBlock) && "CidrBlock", given(p.Ipv6CidrBlock) && "Ipv6CidrBlock", given(p.SecurityGroupId) && "SecurityGroupId", templateGiven(p.AddressTemplate) && "AddressTemplate"].filter((x): x is string => !!x);
  if (peers.length > 1) throw coexist(`${peers.join(", ")} cannot be given together: a rule has one peer`, `${peers.join("、")} 不能同时指定：每条规则只有一个源或目的`);
  if (peers.length === 0) throw missing("CidrBlock", "give the peer as CidrBlock, Ipv6CidrBlock or SecurityGroupId", "请通过 CidrBlock、Ipv6CidrBlock 或 SecurityGroupId 指定源或目的");
  if (peers[0] === "AddressTemplate") throw unsupportedHere("AddressTemplate", "OpenCVM has no IP address templates; give CidrBlock, Ipv6CidrBlock or SecurityGroupId", "OpenCVM 没有 IP 地址模板，请指定 CidrBlock、Ipv6CidrBlock 或 SecurityGroupId");

  if (!given(p.Protocol)) throw missing("Protocol", "use TCP, UDP, ICMP, ICMPv6, GRE or ALL", "取值为 TCP、UDP、ICMP、ICMPv6、GRE 或 ALL");
  const protocol = protocolOf(p.Protocol);
  if (!protocol) throw invalid(code("InvalidParameterValue.Range", "InvalidParameterValue"), `${field}.Protocol`, p.Protocol, "use TCP, UDP, ICMP, ICMPv6, GRE or ALL", "取值为 TCP、UDP、ICMP、ICMPv6、GRE 或 ALL");
  const port = parsePort(given(p.Port) ? p.Port : "ALL");
  if (!port.ok) throw refused("Port", p.Port, port);
  if (port.value.port !== "ALL" && protocol !== "TCP" && protocol !== "UDP") {
    throw coexist(`a Port applies to TCP and UDP only; with ${protocol} give ALL or no Port`, `端口仅适用于 TCP 与 UDP；协议为 ${protocol} 时端口应为 ALL 或不指定`);
  }

  let cidrBlock = "";
  let ipv6CidrBlock = "";
  let securityGroupId = "";
  if (given(p.CidrBlock)) {
    if (p.CidrBlock.trim().toUpperCase() === "MY_PUBLIC_IP") throw unsupportedHere("CidrBlock", "OpenCVM does not see the caller's public address; give it as an address", "OpenCVM 无法获知调用方的公网地址，请直接填写地址");
    const parsed = parseIpv4Peer(p.CidrBlock);
    if (!parsed.ok) throw refused("CidrBlock", p.CidrBlock, parsed);
    if (protocol === "ICMPv6") throw coexist("ICMPv6 goes with an Ipv6CidrBlock; an IPv4 CidrBlock takes ICMP", "ICMPv6 需搭配 Ipv6CidrBlock，IPv4 网段请使用 ICMP");
    cidrBlock = parsed.value;
  } else if (given(p.Ipv6CidrBlock)) {
    if (p.Ipv6CidrBlock.trim().toUpperCase() === "MY_PUBLIC_IP") throw unsupportedHere("Ipv6CidrBlock", "OpenCVM does not see the caller's public address; give it as an address", "OpenCVM 无法获知调用方的公网地址，请直接填写地址");
    const parsed = parseIpv6Peer(p.Ipv6CidrBlock);
    if (!parsed.ok) throw refused("Ipv6CidrBlock", p.Ipv6CidrBlock, parsed);
    if (protocol === "ICMP") throw coexist("ICMP goes with an IPv4 CidrBlock; an Ipv6CidrBlock takes ICMPv6", "ICMP 需搭配 IPv4 网段，Ipv6CidrBlock 请使用 ICMPv6");
    ipv6CidrBlock = parsed.value;
  } else {
    securityGroupId = p.SecurityGroupId!;
    if (!isIdOf("sg", securityGroupId)) throw invalid(code("InvalidParameterValue.Malformed", "InvalidParameterValue"), `${field}.SecurityGroupId`, securityGroupId, "expected sg-xxxxxxxx", "格式应为 sg-xxxxxxxx");
    if (!o.knownGroup(securityGroupId)) throw invalid(code("ResourceNotFound"), `${field}.SecurityGroupId`, securityGroupId, "no such security group of this account in this region", "该账号在该地域不存在该安全组");
  }

  if (!given(p.Action)) throw missing("Action", "use ACCEPT or DROP", "取值为 ACCEPT 或 DROP");
  const act = p.Action.trim().toUpperCase();
  if (act !== "ACCEPT" && act !== "DROP") throw invalid(code("InvalidParameterValue.Range", "InvalidParameterValue"), `${field}.Action`, p.Action, "use ACCEPT or DROP", "取值为 ACCEPT 或 DROP");
  const description = p.PolicyDescription ?? "";
  if (!o.matchOnly && length(description) > MAX_POLICY_DESCRIPTION) {
    throw invalid(code("InvalidParameterValue.TooLong", "InvalidParameterValue"), `${field}.PolicyDescription`, description, `at most ${MAX_POLICY_DESCRIPTION} characters`, `最多 ${MAX_POLICY_DESCRIPTION} 个字符`);
  }
  return { protocol, port: port.value.port, cidrBlock, ipv6CidrBlock, securityGroupId, action: act, description, modifyTime: o.modifyTime };
}

/** Refuses a direction's rules holding the same rule twice (descriptions aside). */
export function refuseDuplicates(action: string, rules: readonly SecurityPolicy[], at: string): void {
  for (let i = 0; i < rules.length; i++) {
    const j = rules.findIndex((r, k) => k > i && sameRule(r, rules[i]));
    if (j >= 0) {
      const r = rules[i];
      const peer = r.cidrBlock || r.ipv6CidrBlock || r.securityGroupId;
      throw fail(
        documentedCode(action, ["UnsupportedOperation.DuplicatePolicy", "InvalidParameterValue.Duplicate", "InvalidParameterValue"]),
        `\`${at}\` would hold the same rule twice (${r.action} ${r.protocol} ${r.port} ${peer}, at PolicyIndex ${i} and ${j}).`,
        `\`${at}\` 中将出现重复规则（${r.action} ${r.protocol} ${r.port} ${peer}，PolicyIndex ${i} 与 ${j}）。`,
      );
    }
  }
}

/** Refuses a direction holding more rules than a group may. */
export function refuseTooMany(action: string, count: number, at: string): void {
  if (count > POLICY_LIMIT) {
    throw fail(
      documentedCode(action, ["LimitExceeded.SecurityGroupPolicySet", "LimitExceeded"]),
      `\`${at}\` would hold ${count} rules; a security group holds at most ${POLICY_LIMIT} in each direction.`,
      `\`${at}\` 将有 ${count} 条规则，每个安全组每个方向最多 ${POLICY_LIMIT} 条。`,
    );
  }
}
