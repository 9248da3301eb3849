// CreateSubnet, CreateSubnets, DescribeSubnets, ModifySubnetAttribute and DeleteSubnet (service vpc). A subnet lies
// inside its VPC and overlaps no other subnet of it; one with instances in it cannot be deleted.
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as vpc from "../../../api/generated/vpc-types.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { randomId } from "../../../domain/ids.js";
import { cidrsOverlap, cidrWithin, isCidr, usableHosts } from "../../../domain/ipv4.js";
import type { SubnetRecord } from "../../../store/store.js";
import { applyFilters, checkIdShape, checkName, checkTags, tagFilters, tagSet, vpcPaging, vpcTime } from "./vpc-inputs.js";
import { ownVpc } from "./vpcs.js";
import { defaultRouteTableId } from "./route-tables.js";
import { invalid } from "../../shared/refusals.js";

/** Subnets per VPC (the real cloud's default). */
const SUBNET_QUOTA = 100;
const MAX_MASK = 28;

function subnetView(s: SubnetRecord, used: number): vpc.Subnet {
  const { first, last } = usableHosts(s.cidr);
  const total = last - first + 1;
  return {
    VpcId: s.vpcId,
    SubnetId: s.subnetId,
    SubnetName: s.subnetName,
    CidrBlock: s.cidr,
    IsDefault: s.isDefault,
    EnableBroadcast: s.enableBroadcast,
    Zone: s.zone,
    // Each VPC routes through its default route table.
    RouteTableId: defaultRouteTableId(s.vpcId),
    CreatedTime: vpcTime(s.createdAt),
    AvailableIpAddressCount: total - used,
    Ipv6CidrBlock: "",
    NetworkAclId: "",
    IsRemoteVpcSnat: false,
    TotalIpAddressCount: total,
    TagSet: tagSet(s.tags),
    CdcId: "",
    IsCdcSubnet: 0,
  };
}

async function views(deps: Deps, subnets: SubnetRecord[]): Promise<vpc.Subnet[]> {
  const used = await deps.store.networks.allocatedCounts(subnets.map((s) => s.subnetId));
  return subnets.map((s) => subnetView(s, used.get(s.subnetId) ?? 0));
}

/** Checks and builds new subnets of one VPC, all or none. */
async function plan(
  deps: Deps,
  ctx: RequestContext,
  vpcId: string,
  inputs: { CidrBlock: string; SubnetName: string; Zone: string; at: string }[],
  tags: SubnetRecord["tags"],
  emptyCode: string,
): Promise<SubnetRecord[]> {
  const owner = await ownVpc(deps, ctx, vpcId, "VpcId");
  const mask = Number(owner.cidr.split("/")[1]);
  const existing = (await deps.store.networks.subnets(ctx.account.appId, ctx.region!)).filter((s) => s.vpcId === owner.vpcId);
  // Called inside the creating transaction (deps.store is it), so two calls racing cannot both take a range.
  if (existing.length + inputs.length > SUBNET_QUOTA) throw fail("LimitExceeded", `A VPC holds at most ${SUBNET_QUOTA} subnets.`, `每个私有网络最多 ${SUBNET_QUOTA} 个子网。`);
  const taken = existing.map((s) => s.cidr);
  const created: SubnetRecord[] = [];
  for (const input of inputs) {
    checkName(input.SubnetName, `${input.at}SubnetName`, emptyCode);
    if (!isCidr(input.CidrBlock, mask, MAX_MASK)) {
      throw invalid("InvalidParameterValue.SubnetRange", `${input.at}CidrBlock`, input.CidrBlock, `a subnet is a network address with a mask of /${mask}-/${MAX_MASK}`, `子网应为网段，掩码为 ${mask}-${MAX_MASK}`);
    }
    const ranges = [owner.cidr, ...owner.assistantCidrs];
    if (!ranges.some((r) => cidrWithin(input.CidrBlock, r))) {
      throw invalid("InvalidParameterValue.SubnetRange", `${input.at}CidrBlock`, input.CidrBlock, `it is not inside the VPC's ${ranges.join(" or ")}`, `不在私有网络网段 ${ranges.join(" 或 ")} 内`);
    }
    const clash = taken.find((c) => cidrsOverlap(c, input.CidrBlock));
    if (clash) throw invalid("InvalidParameterValue.SubnetConflict", `${input.at}CidrBlock`, input.CidrBlock, `it overlaps ${clash}`, `与 ${clash} 重叠`);
    if (!deps.catalog.zone(ctx.region!, input.Zone)) throw invalid("InvalidParameterValue.ZoneConflict", `${input.at}Zone`, input.Zone, `it is not a zone of ${ctx.region}`, `不是 ${ctx.region} 的可用区`);
    taken.push(input.CidrBlock);
    created.push({
      vpcId: owner.vpcId,
      subnetId: randomId("subnet"),
      cidr: input.CidrBlock,
      appId: ctx.account.appId,
      zone: input.Zone,
      isDefault: false,
      createdAt: isoSeconds(ctx.now),
      subnetName: input.SubnetName,
      enableBroadcast: false,
      tags,
    });
  }
  return created;
}

/** `emptyCode`: CreateSubnet documents a code of its own for an empty name; CreateSubnets answers the common one. */
function create(deps: Deps, ctx: RequestContext, vpcId: string, inputs: Parameters<typeof plan>[3], tags: SubnetRecord["tags"], emptyCode: string): Promise<SubnetRecord[]> {
  return deps.store.transaction(async (tx) => {
    const subnets = await plan({ ...deps, store: tx }, ctx, vpcId, inputs, tags, emptyCode);
    await tx.networks.createSubnets(subnets);
    return subnets;
  }, ctx.account.appId);
}

export const createSubnet = action<vpc.CreateSubnetRequest, vpc.CreateSubnetResponse>("vpc", "CreateSubnet", async (ctx, p, deps) => {
  if (p.CdcId !== undefined) throw invalid("UnsupportedOperation", "CdcId", p.CdcId, "OpenCVM has no dedicated clusters", "OpenCVM 没有专用集群");
  const tags = checkTags(p.Tags, "Tags");
  const [subnet] = await create(deps, ctx, p.VpcId, [{ CidrBlock: p.CidrBlock, SubnetName: p.SubnetName, Zone: p.Zone, at: "" }], tags, "InvalidParameterValue.Empty");
  return { Subnet: subnetView(subnet, 0) };
});

export const createSubnets = action<vpc.CreateSubnetsRequest, vpc.CreateSubnetsResponse>("vpc", "CreateSubnets", async (ctx, p, deps) => {
  if (p.CdcId !== undefined) throw invalid("UnsupportedOperation.NoCdcDcGw", "CdcId", p.CdcId, "OpenCVM has no dedicated clusters", "OpenCVM 没有专用集群");
  const tags = checkTags(p.Tags, "Tags");
  const inputs = p.Subnets.map((s, i) => {
    if (s.RouteTableId !== undefined && s.RouteTableId !== defaultRouteTableId(p.VpcId)) {
      throw invalid("ResourceNotFound", `Subnets.${i}.RouteTableId`, s.RouteTableId, "the VPC has only its default route table", "该私有网络只有默认路由表");
    }
    return { ...s, at: `Subnets.${i}.` };
  });
  const subnets = await create(deps, ctx, p.VpcId, inputs, tags, "InvalidParameterValue");
  return { SubnetSet: subnets.map((s) => subnetView(s, 0)) };
});

export const describeSubnets = action<vpc.DescribeSubnetsRequest, vpc.DescribeSubnetsResponse>("vpc", "DescribeSubnets", async (ctx, p, deps) => {
  if (p.SubnetIds?.length && p.Filters?.length) throw fail("InvalidParameter.Coexist", "SubnetIds and Filters cannot be given together.", "SubnetIds 与 Filters 不能同时指定。");
  if (p.NextToken !== undefined || p.MaxResults !== undefined) throw invalid("UnsupportedOperation", "NextToken", p.NextToken ?? p.MaxResults, "page with Offset and Limit", "请使用 Offset 与 Limit 分页");
  const { offset, limit } = vpcPaging(p);
  for (const [i, id] of (p.SubnetIds ?? []).entries()) checkIdShape("subnet", id, `SubnetIds.${i}`);
  let subnets = await deps.store.networks.subnets(ctx.account.appId, ctx.region!);
  if (p.SubnetIds?.length) subnets = subnets.filter((s) => p.SubnetIds!.includes(s.subnetId));
  subnets = applyFilters(subnets, p.Filters ?? [], {
    "subnet-id": (s, x) => s.subnetId === x,
    "vpc-id": (s, x) => s.vpcId === x,
    "cidr-block": (s, x) => s.cidr === x,
    "is-default": (s, x) => String(s.isDefault) === x.toLowerCase(),
    "is-remote-vpc-snat": (_s, x) => x.toLowerCase() === "false",
    "subnet-name": (s, x) => s.subnetName.includes(x),
    zone: (s, x) => s.zone === x,
    "cdc-id": () => false,
    ...tagFilters<SubnetRecord>(),
  });
  return { TotalCount: subnets.length, SubnetSet: await views(deps, subnets.slice(offset, offset + limit)) };
});

async function ownSubnet(deps: Deps, ctx: RequestContext, subnetId: string): Promise<SubnetRecord> {
  checkIdShape("subnet", subnetId, "SubnetId");
  const found = (await deps.store.networks.subnets(ctx.account.appId, ctx.region!)).find((s) => s.subnetId === subnetId);
  if (!found) throw invalid("ResourceNotFound", "SubnetId", subnetId, `no such subnet in ${ctx.region}`, `${ctx.region} 不存在该子网`);
  return found;
}

export const modifySubnetAttribute = action<vpc.ModifySubnetAttributeRequest, vpc.ModifySubnetAttributeResponse>("vpc", "ModifySubnetAttribute", async (ctx, p, deps) => {
  const subnet = await ownSubnet(deps, ctx, p.SubnetId);
  if (p.SubnetName !== undefined) checkName(p.SubnetName, "SubnetName");
  if (p.EnableBroadcast !== undefined && !/^(true|false)$/i.test(p.EnableBroadcast)) {
    throw invalid("InvalidParameterValue", "EnableBroadcast", p.EnableBroadcast, "use true or false", "取值应为 true 或 false");
  }
  await deps.store.networks.updateSubnet(subnet.subnetId, {
    ...(p.SubnetName !== undefined ? { subnetName: p.SubnetName } : {}),
    ...(p.EnableBroadcast !== undefined ? { enableBroadcast: p.EnableBroadcast.toLowerCase() === "true" } : {}),
  });
  return {};
});

export const deleteSubnet = action<vpc.DeleteSubnetRequest, vpc.DeleteSubnetResponse>("vpc", "DeleteSubnet", async (ctx, p, deps) => {
  const subnet = await ownSubnet(deps, ctx, p.SubnetId);
  const used = (await deps.store.networks.allocatedCounts([subnet.subnetId])).get(subnet.subnetId) ?? 0;
  if (used) throw invalid("ResourceInUse", "SubnetId", p.SubnetId, `${used} address(es) of the subnet are in use by instances`, `子网中仍有 ${used} 个地址被实例占用`);
  await deps.store.networks.deleteSubnet(subnet.subnetId);
  return {};
});
