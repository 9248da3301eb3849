// What the CHC actions check before they change a host: the hosts named (the caller's own), whether each host's
// state allows the action (domain/chc-hosts.ts), and a network to attach (VPC, subnet, addresses, security
// groups), whose addresses are reserved in the subnet as an instance's are.
import { randomInt } from "node:crypto";
import type { RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { whyDenied, type ChcAction, type ChcNetwork } from "../../../domain/chc-hosts.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf } from "../../../domain/ids.js";
import { isIpv4 } from "../../../domain/ipv4.js";
import { pickAddresses } from "../../shared/subnet-addresses.js";
import type { ChcHostRecord, Store } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

/** Hosts one call names at most. */
export const MAX_CHC_IDS = 100;
/** Security groups one network of a host takes at most. */
const MAX_SECURITY_GROUPS = 5;
const BOOT_TYPES = ["x86_legacy", "x86_uefi", "arm_uefi"];
const DEFAULT_BOOT_FILE = "pxelinux.0";

/** Refuses a list of host ids that is empty, too long or holds a malformed id. */
export function checkChcIds(action: string, ids: readonly string[], field = "ChcIds"): void {
  if (ids.length === 0) throw invalid(documentedCode(action, ["InvalidParameterValue.NotEmpty", "InvalidParameterValue.IncorrectFormat"]), field, "[]", "name at least one host", "至少指定一台物理服务器");
  if (ids.length > MAX_CHC_IDS) {
    throw invalid(documentedCode(action, ["InvalidParameterValue.LimitExceeded", "InvalidParameterValueLimit", "InvalidParameterValue.IncorrectFormat"]), field, ids.length, `at most ${MAX_CHC_IDS} hosts`, `最多 ${MAX_CHC_IDS} 台物理服务器`);
  }
  const bad = ids.findIndex((id) => !isIdOf("chc", id));
  // ModifyChcNetworkMode documents no format code: a malformed id is a host it cannot find.
  if (bad >= 0) throw invalid(documentedCode(action, ["InvalidParameterValue.IncorrectFormat", "InvalidParameterValue.ChcHostsNotFound"]), `${field}.${bad}`, ids[bad], "expected chc-xxxxxxxx", "格式应为 chc-xxxxxxxx");
}

/** The caller's hosts of these ids in the region, in the order named; another account's are as absent as none. */
export async function ownChcHosts(store: Store, ctx: RequestContext, ids: readonly string[]): Promise<ChcHostRecord[]> {
  checkChcIds(ctx.action, ids);
  const mine = new Map((await store.chcHosts.all(ctx.account.appId, ctx.region!)).map((h) => [h.chcId, h]));
  const missing = ids.filter((id) => !mine.has(id));
  if (missing.length) {
    throw fail("InvalidParameterValue.ChcHostsNotFound", `No CHC host ${missing.join(", ")} in ${ctx.region}.`, `${ctx.region} 不存在 CHC 物理服务器 ${missing.join("、")}。`);
  }
  return [...new Set(ids)].map((id) => mine.get(id)!);
}

/** Refuses the whole call when any host's state denies the action, naming the host and why. */
export function refuseDenied(action: ChcAction, hosts: readonly ChcHostRecord[], codes: readonly string[]): void {
  for (const h of hosts) {
    const why = whyDenied({ state: h.state, bmc: h.doc.bmc, deploy: h.doc.deploy }, action);
    if (why) throw invalid(documentedCode(action, codes, "InvalidParameter"), "ChcIds", h.chcId, `the host is ${h.state}: ${why}`, `物理服务器处于 ${h.state} 状态：${why}`);
  }
}

/** The caller's security groups of these ids in the region, refused when one is not. */
export async function checkSecurityGroups(store: Store, ctx: RequestContext, ids: readonly string[], field: string): Promise<string[]> {
  if (ids.length > MAX_SECURITY_GROUPS) {
    throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.LimitExceeded"], "InvalidParameter"), field, ids.length, `at most ${MAX_SECURITY_GROUPS} security groups`, `最多 ${MAX_SECURITY_GROUPS} 个安全组`);
  }
  const mine = new Set((await store.securityGroups.list(ctx.account.appId, ctx.region!)).map((g) => g.securityGroupId));
  const i = ids.findIndex((id) => !mine.has(id));
  if (i >= 0) throw invalid(documentedCode(ctx.action, ["InvalidSecurityGroupId.NotFound", "ResourceNotFound"]), `${field}.${i}`, ids[i], `no such security group in ${ctx.region}`, `${ctx.region} 不存在该安全组`);
  return [...new Set(ids)];
}

/**
 * Attaches each host to the network `vpc` names: the subnet must be the caller's, in the VPC and in the hosts'
 * zone; the addresses are those asked for (one per host) or the lowest free ones, and are reserved for the hosts.
 */
export async function attachNetwork(tx: Store, ctx: RequestContext, hosts: readonly ChcHostRecord[], vpc: cvm.VirtualPrivateCloudIn, securityGroupIds: string[], field: string): Promise<ChcNetwork[]> {
  if (!/^vpc-[a-z0-9]{8}$/.test(vpc.VpcId)) throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.VpcIdMalformed", "InvalidParameterValue.IncorrectFormat"]), `${field}.VpcId`, vpc.VpcId, "expected vpc-xxxxxxxx", "格式应为 vpc-xxxxxxxx");
  if (!/^subnet-[a-z0-9]{8}$/.test(vpc.SubnetId)) throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.SubnetIdMalformed", "InvalidParameterValue.IncorrectFormat"]), `${field}.SubnetId`, vpc.SubnetId, "expected subnet-xxxxxxxx", "格式应为 subnet-xxxxxxxx");
  if (vpc.AsVpcGateway) throw invalid("InvalidParameter", `${field}.AsVpcGateway`, true, "a host's out-of-band or deploy network is no public gateway", "带外或部署网络不能用作公网网关");
  if (vpc.Ipv6AddressCount) throw invalid("InvalidParameter", `${field}.Ipv6AddressCount`, vpc.Ipv6AddressCount, "a host's out-of-band or deploy network has IPv4 addresses only", "带外或部署网络仅有 IPv4 地址");
  const subnet = (await tx.networks.subnets(ctx.account.appId, ctx.region!)).find((s) => s.subnetId === vpc.SubnetId && s.vpcId === vpc.VpcId);
  // Not the caller's (another account's, or none at all): the common not-found code, as the actions document none.
  if (!subnet) throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.SubnetNotExist", "ResourceNotFound"]), `${field}.SubnetId`, vpc.SubnetId, `no such subnet in VPC ${vpc.VpcId} in ${ctx.region}`, `${ctx.region} 的私有网络 ${vpc.VpcId} 中不存在该子网`);
  const elsewhere = hosts.find((h) => h.zone !== subnet.zone);
  if (elsewhere) throw invalid("InvalidParameter", `${field}.SubnetId`, vpc.SubnetId, `the subnet is in ${subnet.zone}, host ${elsewhere.chcId} in ${elsewhere.zone}`, `子网位于 ${subnet.zone}，物理服务器 ${elsewhere.chcId} 位于 ${elsewhere.zone}`);
  const asked = vpc.PrivateIpAddresses ?? [];
  if (asked.length && asked.length !== hosts.length) {
    throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.AmountNotEqual"], "InvalidParameter"), `${field}.PrivateIpAddresses`, asked.length, `give one address per host (${hosts.length})`, `应为每台物理服务器指定一个地址（${hosts.length} 个）`);
  }
  const at = (i: number) => `${field}.PrivateIpAddresses.${i}`;
  const malformed = asked.findIndex((ip) => !isIpv4(ip));
  if (malformed >= 0) throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.IPAddressMalformed", "InvalidParameterValue.IncorrectFormat"]), at(malformed), asked[malformed], "not an IPv4 address", "不是合法的 IPv4 地址");
  const ips = pickAddresses(subnet.cidr, await tx.networks.allocated(subnet.subnetId), hosts.length, asked, at);
  if (ips.length < hosts.length) throw invalid(documentedCode(ctx.action, ["LimitExceeded.VpcSubnetNum", "InvalidParameterValue.LimitExceeded"], "InvalidParameter"), `${field}.SubnetId`, subnet.subnetId, "the subnet has no free address left", "子网已无可用地址");
  await tx.networks.allocate(subnet.subnetId, hosts.map((h, i) => ({ ip: ips[i], instanceId: h.chcId })));
  return ips.map((ip) => ({ vpcId: subnet.vpcId, subnetId: subnet.subnetId, ip, mac: macAddress(), securityGroupIds }));
}

/** A locally administered MAC address in the range QEMU hands out, as the example answers show. */
function macAddress(): string {
  const octets = Array.from({ length: 3 }, () => randomInt(256).toString(16).padStart(2, "0").toUpperCase());
  return `52:54:00:${octets.join(":")}`;
}

/** The deploy network's DHCP options for a customer's own PXE environment. */
export function checkDeployExtra(action: string, given: cvm.ChcDeployExtraConfigIn | undefined, field = "ChcDeployExtraConfig") {
  if (!given) return null;
  const format = documentedCode(action, ["InvalidParameterValue.IncorrectFormat"], "InvalidParameter");
  if (!given.MiniOsType.trim() || given.MiniOsType.length > 64) throw invalid(format, `${field}.MiniOsType`, given.MiniOsType, "name the mini OS (at most 64 characters)", "应为 minios 类型（不超过 64 个字符）");
  if (!BOOT_TYPES.includes(given.BootType)) throw invalid(format, `${field}.BootType`, given.BootType, `use ${BOOT_TYPES.join(", ")}`, `取值应为 ${BOOT_TYPES.join("、")}`);
  if (given.BootFile !== undefined && (!given.BootFile.trim() || given.BootFile.length > 128)) throw invalid(format, `${field}.BootFile`, given.BootFile, "name a boot file (at most 128 characters)", "应为引导文件名（不超过 128 个字符）");
  if (given.NextServerAddress !== undefined && !isIpv4(given.NextServerAddress)) throw invalid(format, `${field}.NextServerAddress`, given.NextServerAddress, "not an IPv4 address", "不是合法的 IPv4 地址");
  return { MiniOsType: given.MiniOsType, BootType: given.BootType, BootFile: given.BootFile ?? DEFAULT_BOOT_FILE, NextServerAddress: given.NextServerAddress ?? "" };
}
