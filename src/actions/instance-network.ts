// ModifyInstancesVpcAttribute (moves instances to another VPC or subnet, through the engine) and
// ResetInstancesInternetMaxBandwidth (changes the public bandwidth cap at once).
import { action } from "../api/action.js";
import type * as cvm from "../api/generated/cvm-types.js";
import { fail } from "../domain/errors.js";
import { inCidr, intToIp, ipToInt, isIpv4, usableHosts } from "../domain/ipv4.js";
import { invalid } from "./instance-inputs.js";
import { allowedFrom, applyNow, begin, checkIds, findInstances, guard } from "./instance-operations.js";

const MAX_BANDWIDTH_MBPS = 200;

export const modifyInstancesVpcAttribute = action<cvm.ModifyInstancesVpcAttributeRequest, cvm.ModifyInstancesVpcAttributeResponse>(
  "cvm",
  "ModifyInstancesVpcAttribute",
  async (ctx, p, deps) => {
    checkIds("ModifyInstancesVpcAttribute", p.InstanceIds, "InstanceIds");
    const target = p.VirtualPrivateCloud;
    if (!/^vpc-[a-z0-9]{8}$/.test(target.VpcId)) throw invalid("InvalidParameterValue.VpcIdMalformed", "VirtualPrivateCloud.VpcId", target.VpcId, "expected vpc-xxxxxxxx", "格式应为 vpc-xxxxxxxx");
    if (!/^subnet-[a-z0-9]{8}$/.test(target.SubnetId)) throw invalid("InvalidParameterValue.SubnetIdMalformed", "VirtualPrivateCloud.SubnetId", target.SubnetId, "expected subnet-xxxxxxxx", "格式应为 subnet-xxxxxxxx");
    const asked = target.PrivateIpAddresses ?? [];
    const bad = asked.find((ip) => !isIpv4(ip));
    if (bad !== undefined) throw invalid("InvalidParameterValue.IPAddressMalformed", "VirtualPrivateCloud.PrivateIpAddresses", bad, "not an IPv4 address", "不是合法的 IPv4 地址");
    if (asked.length && asked.length !== p.InstanceIds.length) {
      throw invalid("InvalidParameterValue", "VirtualPrivateCloud.PrivateIpAddresses", asked.length, "give one address per instance", "应为每个实例指定一个地址");
    }
    const records = await findInstances(deps.store, ctx, p.InstanceIds);
    // ForceStop defaults to true here, as documented: a running instance is stopped for the move.
    guard("ModifyInstancesVpcAttribute", records, allowedFrom("ModifyInstancesVpcAttribute", p.ForceStop ?? true));
    await deps.store.transaction(async (tx) => {
      const subnet = (await tx.networks.subnets(ctx.account.appId, ctx.region!)).find((s) => s.subnetId === target.SubnetId && s.vpcId === target.VpcId);
      if (!subnet) throw invalid("InvalidParameterValue", "VirtualPrivateCloud.SubnetId", target.SubnetId, `no such subnet in VPC ${target.VpcId}`, `私有网络 ${target.VpcId} 中不存在该子网`);
      const elsewhere = records.find((r) => r.zone !== subnet.zone);
      if (elsewhere) throw invalid("InvalidParameterValue", "VirtualPrivateCloud.SubnetId", target.SubnetId, `the subnet is in ${subnet.zone}, instance ${elsewhere.instanceId} in ${elsewhere.zone}`, `子网位于 ${subnet.zone}，实例 ${elsewhere.instanceId} 位于 ${elsewhere.zone}`);
      const moving = records.filter((r) => r.subnetId !== subnet.subnetId);
      if (moving.length !== records.length) throw invalid("InvalidParameterValue", "VirtualPrivateCloud.SubnetId", target.SubnetId, "an instance is in this subnet already", "实例已在该子网中");
      // The new addresses are reserved now, so no launch can take them while the instances move.
      const used = await tx.networks.allocated(subnet.subnetId);
      const { first, last } = usableHosts(subnet.cidr);
      let next = first;
      const ips = records.map((r, i) => {
        if (asked.length) {
          const ip = asked[i];
          if (!inCidr(ip, subnet.cidr) || ipToInt(ip) < first || ipToInt(ip) > last) throw invalid("VpcAddrNotInSubNet", "VirtualPrivateCloud.PrivateIpAddresses", ip, `it is not a usable address of ${subnet.cidr}`, `不是子网 ${subnet.cidr} 的可用地址`);
          if (used.has(ip)) throw invalid("VpcIpIsUsed", "VirtualPrivateCloud.PrivateIpAddresses", ip, "the address is in use", "该地址已被占用");
          used.add(ip);
          return ip;
        }
        while (next <= last && used.has(intToIp(next))) next++;
        if (next > last) throw fail("InvalidParameterValue", `Subnet ${subnet.subnetId} has no free address for instance ${r.instanceId}.`, `子网 ${subnet.subnetId} 已无可用地址。`);
        const ip = intToIp(next++);
        used.add(ip);
        return ip;
      });
      await tx.networks.allocate(subnet.subnetId, records.map((r, i) => ({ ip: ips[i], instanceId: r.instanceId })));
      const ipOf = new Map(records.map((r, i) => [r.instanceId, ips[i]]));
      await begin(deps, ctx, "ModifyInstancesVpcAttribute", records, (r) => ({ vpcId: subnet.vpcId, subnetId: subnet.subnetId, privateIp: ipOf.get(r.instanceId) }), tx);
    });
    deps.engine.kick();
    return {};
  },
);

export const resetInstancesInternetMaxBandwidth = action<cvm.ResetInstancesInternetMaxBandwidthRequest, cvm.ResetInstancesInternetMaxBandwidthResponse>(
  "cvm",
  "ResetInstancesInternetMaxBandwidth",
  async (ctx, p, deps) => {
    checkIds("ResetInstancesInternetMaxBandwidth", p.InstanceIds, "InstanceIds");
    const bandwidth = p.InternetAccessible.InternetMaxBandwidthOut;
    if (bandwidth === undefined) throw fail("MissingParameter", "The request is missing `InternetAccessible.InternetMaxBandwidthOut`.", "缺少参数 `InternetAccessible.InternetMaxBandwidthOut`。");
    if (bandwidth < 0 || bandwidth > MAX_BANDWIDTH_MBPS) {
      throw invalid("InvalidParameterValue.Range", "InternetAccessible.InternetMaxBandwidthOut", bandwidth, `it must be 0-${MAX_BANDWIDTH_MBPS} Mbps`, `取值范围为 0-${MAX_BANDWIDTH_MBPS} Mbps`);
    }
    if (p.InternetAccessible.BandwidthPackageId !== undefined) {
      throw invalid("UnsupportedOperation.BandwidthPackageIdNotSupported", "InternetAccessible.BandwidthPackageId", p.InternetAccessible.BandwidthPackageId, "OpenCVM has no bandwidth packages", "OpenCVM 没有共享带宽包");
    }
    const records = await findInstances(deps.store, ctx, p.InstanceIds);
    if (p.StartTime !== undefined || p.EndTime !== undefined) {
      // Time windows apply to BANDWIDTH_PREPAID bandwidth only.
      const other = records.find((r) => r.doc.InternetAccessible.InternetChargeType !== "BANDWIDTH_PREPAID");
      if (other) throw invalid("UnsupportedOperation.InstanceChargeType", "StartTime", p.StartTime ?? p.EndTime, `instance ${other.instanceId}'s bandwidth is not BANDWIDTH_PREPAID`, `实例 ${other.instanceId} 的带宽不是包月带宽`);
    }
    guard("ResetInstancesInternetMaxBandwidth", records, ["RUNNING", "STOPPED"]);
    await applyNow(deps.store, ctx, "ResetInstancesInternetMaxBandwidth", records, (r) => ({
      doc: { InternetAccessible: { ...r.doc.InternetAccessible, InternetMaxBandwidthOut: bandwidth } },
    }));
    return {};
  },
);
