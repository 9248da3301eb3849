// ModifyInstancesVpcAttribute (moves instances to another VPC or subnet, through the engine) and
// ResetInstancesInternetMaxBandwidth (changes the public bandwidth cap at once).
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { Catalog } from "../../../domain/catalog.js";
import { isoSeconds } from "../../../domain/dates.js";
import { payForBandwidth } from "../../../instances/charges.js";
import { fail } from "../../../domain/errors.js";
import { isIpv4 } from "../../../domain/ipv4.js";
import { pickAddresses } from "../../shared/subnet-addresses.js";
import type { InstanceRecord } from "../../../store/store.js";
import { allowedFrom, applyNow, begin, guard } from "../../../instances/operations.js";
import { checkIds, findInstances, namedInstances } from "./instance-operations.js";
import { documentedCode, invalid, unsupported } from "../../shared/refusals.js";

export const modifyInstancesVpcAttribute = action<cvm.ModifyInstancesVpcAttributeRequest, cvm.ModifyInstancesVpcAttributeResponse>(
  "cvm",
  "ModifyInstancesVpcAttribute",
  async (ctx, p, deps) => {
    checkIds(ctx.action, p.InstanceIds, "InstanceIds");
    // A moved instance keeps its host name (ReserveHostName's default); a new one for the new address is not built.
    if (p.ReserveHostName === false) throw unsupported("ReserveHostName");
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
    guard(ctx.action, records, allowedFrom(ctx.action, p.ForceStop ?? true));
    await deps.store.transaction(async (tx) => {
      const subnet = (await tx.networks.subnets(ctx.account.appId, ctx.region!)).find((s) => s.subnetId === target.SubnetId && s.vpcId === target.VpcId);
      // Not the caller's (another account's, or none at all): the common not-found code, as the action documents none.
      if (!subnet) throw invalid("ResourceNotFound", "VirtualPrivateCloud.SubnetId", target.SubnetId, `no such subnet in VPC ${target.VpcId}`, `私有网络 ${target.VpcId} 中不存在该子网`);
      const elsewhere = records.find((r) => r.zone !== subnet.zone);
      if (elsewhere) throw invalid("InvalidParameterValue", "VirtualPrivateCloud.SubnetId", target.SubnetId, `the subnet is in ${subnet.zone}, instance ${elsewhere.instanceId} in ${elsewhere.zone}`, `子网位于 ${subnet.zone}，实例 ${elsewhere.instanceId} 位于 ${elsewhere.zone}`);
      const moving = records.filter((r) => r.subnetId !== subnet.subnetId);
      if (moving.length !== records.length) throw invalid("InvalidParameterValue", "VirtualPrivateCloud.SubnetId", target.SubnetId, "an instance is in this subnet already", "实例已在该子网中");
      // The new addresses are reserved now, so no launch can take them while the instances move.
      const ips = pickAddresses(subnet.cidr, await tx.networks.allocated(subnet.subnetId), records.length, asked, () => "VirtualPrivateCloud.PrivateIpAddresses");
      if (ips.length < records.length) throw fail("InvalidParameterValue", `Subnet ${subnet.subnetId} has no free address for instance ${records[ips.length].instanceId}.`, `子网 ${subnet.subnetId} 已无可用地址。`);
      await tx.networks.allocate(subnet.subnetId, records.map((r, i) => ({ ip: ips[i], instanceId: r.instanceId })));
      const ipOf = new Map(records.map((r, i) => [r.instanceId, ips[i]]));
      await begin(deps, ctx, ctx.action, records, (r) => ({ vpcId: subnet.vpcId, subnetId: subnet.subnetId, privateIp: ipOf.get(r.instanceId), stopType: "SOFT_FIRST" }), tx);
    }, ctx.account.appId);
    deps.engine.kick();
    return {};
  },
);

export const resetInstancesInternetMaxBandwidth = action<cvm.ResetInstancesInternetMaxBandwidthRequest, cvm.ResetInstancesInternetMaxBandwidthResponse>(
  "cvm",
  "ResetInstancesInternetMaxBandwidth",
  async (ctx, p, deps) => {
    const records = await namedInstances(ctx, deps.store, p.InstanceIds, "InstanceIds");
    const { bandwidth, window } = checkBandwidthChange(ctx.action, deps.catalog, records, p, ctx.now);
    guard(ctx.action, records, ["RUNNING", "STOPPED"]);
    const since = isoSeconds(ctx.now);
    await deps.store.transaction(async (tx) => {
      // Monthly bandwidth is paid for its window (one instance at a time); hourly bandwidth is metered from now.
      if (window) await payForBandwidth(tx, deps, ctx, records[0], bandwidth, window);
      await applyNow(tx, ctx, ctx.action, records, (r) => {
        const ia = r.doc.InternetAccessible;
        const history = r.doc.BandwidthHistory ?? [{ Since: r.createdAt, InternetChargeType: ia.InternetChargeType, InternetMaxBandwidthOut: ia.InternetMaxBandwidthOut }];
        const next = { Since: since, InternetChargeType: ia.InternetChargeType, InternetMaxBandwidthOut: bandwidth };
        return { doc: { InternetAccessible: { ...ia, InternetMaxBandwidthOut: bandwidth }, BandwidthHistory: [...history, next].slice(-MAX_HISTORY) } };
      });
    }, ctx.account.appId);
    return {};
  },
);

/** Bandwidth settings kept per instance (DescribeInstanceInternetBandwidthConfigs). */
const MAX_HISTORY = 100;

export interface BandwidthChange {
  internetChargeType: string;
  bandwidth: number;
  /** For BANDWIDTH_PREPAID: when the new bandwidth applies (by default from now to the end of the term). */
  window: { start: string; end: string } | null;
}

/**
 * A new bandwidth cap for instances, as ResetInstancesInternetMaxBandwidth and its inquiry take it: one internet
 * charge type for the whole batch; BANDWIDTH_PREPAID and BANDWIDTH_POSTPAID_BY_HOUR one instance at a time; a time
 * window only for BANDWIDTH_PREPAID, which may only grow; within the catalog's cap for the charge type.
 */
export function checkBandwidthChange(
  action: string,
  catalog: Catalog,
  records: readonly InstanceRecord[],
  p: { InternetAccessible: cvm.InternetAccessibleIn; StartTime?: string; EndTime?: string },
  now: Date,
): BandwidthChange {
  const bandwidth = p.InternetAccessible.InternetMaxBandwidthOut;
  if (bandwidth === undefined) throw fail("MissingParameter", "The request is missing `InternetAccessible.InternetMaxBandwidthOut`.", "缺少参数 `InternetAccessible.InternetMaxBandwidthOut`。");
  if (!Number.isInteger(bandwidth) || bandwidth < 0) throw invalid("InvalidParameterValue.Range", "InternetAccessible.InternetMaxBandwidthOut", bandwidth, "it must be a whole number of Mbps", "应为整数 Mbps");
  if (p.InternetAccessible.BandwidthPackageId !== undefined) {
    throw invalid("UnsupportedOperation.BandwidthPackageIdNotSupported", "InternetAccessible.BandwidthPackageId", p.InternetAccessible.BandwidthPackageId, "OpenCVM has no bandwidth packages", "OpenCVM 没有共享带宽包");
  }
  const chargeType = records[0].doc.InternetAccessible.InternetChargeType;
  const mixed = records.find((r) => r.doc.InternetAccessible.InternetChargeType !== chargeType);
  if (mixed) {
    throw fail(
      documentedCode(action, ["InvalidParameterCombination"], "InvalidParameter"),
      `Instances ${records[0].instanceId} (${chargeType}) and ${mixed.instanceId} (${mixed.doc.InternetAccessible.InternetChargeType}) are billed differently for bandwidth; change them in separate calls.`,
      `实例 ${records[0].instanceId}（${chargeType}）与 ${mixed.instanceId}（${mixed.doc.InternetAccessible.InternetChargeType}）的网络计费模式不同，请分开调整。`,
    );
  }
  if (records.length > 1 && (chargeType === "BANDWIDTH_PREPAID" || chargeType === "BANDWIDTH_POSTPAID_BY_HOUR")) {
    throw invalid("InvalidParameterValue.LimitExceeded", "InstanceIds", records.length, `${chargeType} bandwidth is changed one instance at a time`, `${chargeType} 带宽每次只能调整一个实例`);
  }
  let window: BandwidthChange["window"] = null;
  if (chargeType === "BANDWIDTH_PREPAID") {
    const start = p.StartTime === undefined ? isoSeconds(now) : checkTime(p.StartTime, "StartTime");
    const end = p.EndTime === undefined ? (records[0].doc.ExpiredTime ?? start) : checkTime(p.EndTime, "EndTime");
    if (Date.parse(end) <= Date.parse(start)) throw invalid("InvalidParameterValue", "EndTime", end, `it must come after StartTime (${start})`, `应晚于 StartTime（${start}）`);
    window = { start, end };
    const current = records[0].doc.InternetAccessible.InternetMaxBandwidthOut;
    if (bandwidth < current) {
      throw invalid("InvalidParameterValue", "InternetAccessible.InternetMaxBandwidthOut", bandwidth, `BANDWIDTH_PREPAID bandwidth only grows (now ${current} Mbps)`, `包月带宽只能调大（当前 ${current} Mbps）`);
    }
  } else if (p.StartTime !== undefined || p.EndTime !== undefined) {
    // Time windows apply to BANDWIDTH_PREPAID bandwidth only.
    throw invalid(
      documentedCode(action, ["UnsupportedOperation.InstanceChargeType", "InvalidParameterCombination"], "InvalidParameter"),
      p.StartTime !== undefined ? "StartTime" : "EndTime",
      p.StartTime ?? p.EndTime,
      `instance ${records[0].instanceId}'s bandwidth is ${chargeType}, not BANDWIDTH_PREPAID`,
      `实例 ${records[0].instanceId} 的带宽为 ${chargeType}，不是包月带宽`,
    );
  }
  const cap = catalog.internetChargeType(chargeType)?.maxBandwidthOut ?? Math.max(...catalog.internetChargeTypes().map((i) => i.maxBandwidthOut));
  if (bandwidth > cap) {
    throw invalid("InvalidParameterValue.Range", "InternetAccessible.InternetMaxBandwidthOut", bandwidth, `${chargeType} bandwidth is 0-${cap} Mbps`, `${chargeType} 带宽取值范围为 0-${cap} Mbps`);
  }
  return { internetChargeType: chargeType, bandwidth, window };
}

/** An ISO-8601 time (a date alone is midnight UTC), written back as the API writes times. */
function checkTime(value: string, field: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalid("InvalidParameterValue", field, value, "expected an ISO-8601 time such as 2026-12-01T00:00:00Z", "应为 ISO-8601 时间，如 2026-12-01T00:00:00Z");
  return isoSeconds(new Date(t));
}
