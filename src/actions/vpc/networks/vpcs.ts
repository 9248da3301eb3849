// CreateVpc, DescribeVpcs, ModifyVpcAttribute and DeleteVpc (service vpc). The default VPC and its per-zone
// subnets appear when an instance first needs them; a VPC with subnets cannot be deleted.
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as vpc from "../../../api/generated/vpc-types.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { randomId } from "../../../domain/ids.js";
import { cidrWithin, isCidr, isIpv4 } from "../../../domain/ipv4.js";
import { DEFAULT_DNS } from "../../../store/networks-sql.js";
import type { VpcRecord } from "../../../store/store.js";
import { applyFilters, checkIdShape, checkName, checkTags, tagFilters, tagSet, vpcPaging, vpcTime } from "./vpc-inputs.js";
import { invalid } from "../../shared/refusals.js";

/** VPCs per account and region (the real cloud's default). */
const VPC_QUOTA = 20;
/** The private ranges a VPC may take, with the masks each allows. */
const RANGES = [
  { cidr: "10.0.0.0/8", min: 12, max: 28 },
  { cidr: "172.16.0.0/12", min: 12, max: 28 },
  { cidr: "192.168.0.0/16", min: 16, max: 28 },
];

/**
 * A VPC's assistant ranges, all ordinary ones (AssistantType 0): SubnetSet lists the subnets the cloud carves out of
 * a container range (type 1), which OpenCVM does not make.
 */
export function assistantCidrSet(v: VpcRecord): vpc.AssistantCidr[] {
  return v.assistantCidrs.map((CidrBlock) => ({ VpcId: v.vpcId, CidrBlock, AssistantType: 0, SubnetSet: [] }));
}

export function vpcView(v: VpcRecord): vpc.Vpc {
  return {
    VpcName: v.vpcName,
    VpcId: v.vpcId,
    CidrBlock: v.cidr,
    IsDefault: v.isDefault,
    EnableMulticast: v.enableMulticast,
    CreatedTime: vpcTime(v.createdAt),
    DnsServerSet: v.dnsServers,
    DomainName: v.domainName,
    DhcpOptionsId: "",
    EnableDhcp: true,
    Ipv6CidrBlock: "",
    TagSet: tagSet(v.tags),
    AssistantCidrSet: assistantCidrSet(v),
    EnableRouteVpcPublish: false,
    Ipv6CidrBlockSet: [],
  };
}

/** The caller's VPC in the request's region, or ResourceNotFound. */
export async function ownVpc(deps: Deps, ctx: RequestContext, vpcId: string, field: string): Promise<VpcRecord> {
  checkIdShape("vpc", vpcId, field);
  const found = (await deps.store.networks.vpcs(ctx.account.appId, ctx.region!)).find((v) => v.vpcId === vpcId);
  if (!found) throw invalid("ResourceNotFound", field, vpcId, `no such VPC in ${ctx.region}`, `${ctx.region} 不存在该私有网络`);
  return found;
}

function checkDns(servers: readonly string[] | undefined): void {
  if (!servers) return;
  if (servers.length > 4) throw invalid("InvalidParameterValue.LimitExceeded", "DnsServers", servers.length, "at most 4 DNS servers", "最多 4 个 DNS 服务器");
  const bad = servers.find((s) => !isIpv4(s));
  if (bad !== undefined) throw invalid("InvalidParameterValue.Malformed", "DnsServers", bad, "not an IPv4 address", "不是合法的 IPv4 地址");
}

/** EnableMulticast arrives as a string holding a boolean. */
function multicast(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (!/^(true|false)$/i.test(v)) throw invalid("InvalidParameterValue", "EnableMulticast", v, "use true or false", "取值应为 true 或 false");
  return v.toLowerCase() === "true";
}

/** A range a VPC may take, as its main range or an assistant one. */
export function checkPrivateRange(cidr: string, field: string): void {
  if (!isCidr(cidr)) throw invalid("InvalidParameterValue.Malformed", field, cidr, "expected a network address such as 10.0.0.0/16", "应为网段，如 10.0.0.0/16");
  const bits = Number(cidr.split("/")[1]);
  const range = RANGES.find((r) => cidrWithin(cidr, r.cidr));
  if (!range || bits < range.min || bits > range.max) {
    throw invalid("InvalidParameterValue", field, cidr, "a VPC takes 10.0.0.0/8 or 172.16.0.0/12 (masks /12-/28), or 192.168.0.0/16 (masks /16-/28)", "私有网络网段须在 10.0.0.0/8、172.16.0.0/12（掩码 12-28）或 192.168.0.0/16（掩码 16-28）内");
  }
}

export const createVpc = action<vpc.CreateVpcRequest, vpc.CreateVpcResponse>("vpc", "CreateVpc", async (ctx, p, deps) => {
  checkName(p.VpcName, "VpcName");
  checkPrivateRange(p.CidrBlock, "CidrBlock");
  checkDns(p.DnsServers);
  const tags = checkTags(p.Tags, "Tags");
  const record: VpcRecord = {
    vpcId: randomId("vpc"),
    appId: ctx.account.appId,
    region: ctx.region!,
    cidr: p.CidrBlock,
    isDefault: false,
    createdAt: isoSeconds(ctx.now),
    vpcName: p.VpcName,
    enableMulticast: multicast(p.EnableMulticast) ?? false,
    dnsServers: p.DnsServers ?? DEFAULT_DNS,
    domainName: p.DomainName ?? "",
    tags,
    assistantCidrs: [],
  };
  // The count and the insert share a transaction, so racing calls cannot pass the quota together.
  await deps.store.transaction(async (tx) => {
    if ((await tx.networks.vpcs(ctx.account.appId, ctx.region!)).length >= VPC_QUOTA) {
      throw fail("LimitExceeded", `You have ${VPC_QUOTA} VPCs in ${ctx.region}, the quota.`, `您在 ${ctx.region} 的私有网络已达配额 ${VPC_QUOTA} 个。`);
    }
    await tx.networks.createVpc(record);
  }, ctx.account.appId);
  return { Vpc: vpcView(record) };
});

export const describeVpcs = action<vpc.DescribeVpcsRequest, vpc.DescribeVpcsResponse>("vpc", "DescribeVpcs", async (ctx, p, deps) => {
  if (p.VpcIds?.length && p.Filters?.length) throw fail("InvalidParameter.Coexist", "VpcIds and Filters cannot be given together.", "VpcIds 与 Filters 不能同时指定。");
  const { offset, limit } = vpcPaging(p);
  for (const [i, id] of (p.VpcIds ?? []).entries()) checkIdShape("vpc", id, `VpcIds.${i}`);
  let vpcs = await deps.store.networks.vpcs(ctx.account.appId, ctx.region!);
  if (p.VpcIds?.length) vpcs = vpcs.filter((v) => p.VpcIds!.includes(v.vpcId));
  vpcs = applyFilters(vpcs, p.Filters ?? [], {
    "vpc-id": (v, x) => v.vpcId === x,
    "vpc-name": (v, x) => v.vpcName.includes(x),
    "is-default": (v, x) => String(v.isDefault) === x.toLowerCase(),
    "cidr-block": (v, x) => v.cidr === x,
    ...tagFilters<VpcRecord>(),
  });
  return { TotalCount: vpcs.length, VpcSet: vpcs.slice(offset, offset + limit).map(vpcView) };
});

export const modifyVpcAttribute = action<vpc.ModifyVpcAttributeRequest, vpc.ModifyVpcAttributeResponse>("vpc", "ModifyVpcAttribute", async (ctx, p, deps) => {
  const record = await ownVpc(deps, ctx, p.VpcId, "VpcId");
  if (p.VpcName !== undefined) checkName(p.VpcName, "VpcName");
  checkDns(p.DnsServers);
  const enableMulticast = multicast(p.EnableMulticast);
  await deps.store.networks.updateVpc(record.vpcId, {
    ...(p.VpcName !== undefined ? { vpcName: p.VpcName } : {}),
    ...(enableMulticast !== undefined ? { enableMulticast } : {}),
    ...(p.DnsServers !== undefined ? { dnsServers: p.DnsServers } : {}),
    ...(p.DomainName !== undefined ? { domainName: p.DomainName } : {}),
  });
  return {};
});

export const deleteVpc = action<vpc.DeleteVpcRequest, vpc.DeleteVpcResponse>("vpc", "DeleteVpc", async (ctx, p, deps) => {
  const record = await ownVpc(deps, ctx, p.VpcId, "VpcId");
  const subnets = (await deps.store.networks.subnets(ctx.account.appId, ctx.region!)).filter((s) => s.vpcId === record.vpcId);
  if (subnets.length) {
    throw invalid("ResourceInUse", "VpcId", p.VpcId, `the VPC still has ${subnets.length} subnet(s), e.g. ${subnets[0].subnetId}; delete them first`, `该私有网络仍有 ${subnets.length} 个子网（如 ${subnets[0].subnetId}），请先删除`);
  }
  await deps.store.networks.deleteVpc(record.vpcId);
  return {};
});
