// DescribeUsedIpAddress (service vpc): which private addresses of a VPC or subnet are taken, and by what, from the
// allocations themselves (the ip_allocations rows RunInstances writes and termination frees).
import { action } from "../../../api/action.js";
import type * as vpc from "../../../api/generated/vpc-types.js";
import { fail } from "../../../domain/errors.js";
import { inCidr, ipToInt, isIpv4 } from "../../../domain/ipv4.js";
import { invalid } from "../../shared/refusals.js";
import { checkIdShape, intPaging } from "./vpc-inputs.js";
import { ownVpc } from "./vpcs.js";

export const describeUsedIpAddress = action<vpc.DescribeUsedIpAddressRequest, vpc.DescribeUsedIpAddressResponse>("vpc", "DescribeUsedIpAddress", async (ctx, p, deps) => {
  const { offset, limit } = intPaging(ctx.action, p);
  const filters = p.Filters ?? [];
  if (p.IpAddresses?.length && filters.length) throw fail("InvalidParameter", "`IpAddresses` and `Filters` cannot be given together.", "`IpAddresses` 与 `Filters` 不能同时指定。");
  const owner = await ownVpc(deps, ctx, p.VpcId, "VpcId");
  let subnets = (await deps.store.networks.subnets(ctx.account.appId, ctx.region!)).filter((s) => s.vpcId === owner.vpcId);
  if (p.SubnetId !== undefined) {
    checkIdShape("subnet", p.SubnetId, "SubnetId");
    subnets = subnets.filter((s) => s.subnetId === p.SubnetId);
    if (subnets.length === 0) throw invalid("InvalidParameterValue.ParameterMismatch", "SubnetId", p.SubnetId, `no subnet of ${owner.vpcId} has this id`, `${owner.vpcId} 中没有该子网`);
  }
  const asked = p.IpAddresses ?? [];
  if (asked.length > 100) throw invalid("InvalidParameterValue", "IpAddresses", asked.length, "at most 100 addresses per request", "每次最多查询 100 个 IP");
  for (const [i, ip] of asked.entries()) {
    if (!isIpv4(ip)) throw invalid("InvalidParameterValue.Malformed", `IpAddresses.${i}`, ip, "not an IPv4 address", "不是合法的 IPv4 地址");
    if (!inCidr(ip, owner.cidr)) throw invalid("InvalidParameterValue.ParameterMismatch", `IpAddresses.${i}`, ip, `the address is outside ${owner.vpcId} (${owner.cidr})`, `该地址不在 ${owner.vpcId}（${owner.cidr}）内`);
  }
  const matchers: Record<string, (a: { ip: string; instanceId: string }, v: string) => boolean> = {
    "ip-addresses": (a, v) => a.ip === v,
    "resource-id": (a, v) => a.instanceId === v,
  };
  for (const [i, f] of filters.entries()) {
    if (!Object.hasOwn(matchers, f.Name)) throw invalid("InvalidParameterValue", `Filters.${i}.Name`, f.Name, `use ${Object.keys(matchers).join(" or ")}`, `可用的过滤条件为 ${Object.keys(matchers).join("、")}`);
  }
  const taken = (await deps.store.networks.allocations(subnets.map((s) => s.subnetId)))
    .filter((a) => asked.length === 0 || asked.includes(a.ip))
    .filter((a) => filters.every((f) => f.Values.some((v) => matchers[f.Name](a, v))))
    .sort((a, b) => a.subnetId.localeCompare(b.subnetId) || ipToInt(a.ip) - ipToInt(b.ip));
  const IpAddressStates = taken.slice(offset, offset + limit).map((a) => ({ VpcId: owner.vpcId, SubnetId: a.subnetId, IpAddress: a.ip, ResourceType: "cvm", ResourceId: a.instanceId }));
  return { IpAddressStates, TotalCount: taken.length };
});
