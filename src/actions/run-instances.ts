// RunInstances: every request member is either honoured or refused with a clear error. Instances are written as
// PENDING with their addresses and a launch operation in one transaction; the engine boots them.
import { randomUUID } from "node:crypto";
import { action, type Deps, type RequestContext } from "../api/action.js";
import type * as cvm from "../api/generated/cvm-types.js";
import type { ImageEntry, InstanceTypeEntry } from "../domain/catalog.js";
import type { Config } from "../config.js";
import { addMonths, isoSeconds } from "../domain/dates.js";
import { fail } from "../domain/errors.js";
import { isIdOf, randomId } from "../domain/ids.js";
import { intToIp, inCidr, ipToInt, isIpv4, usableHosts } from "../domain/ipv4.js";
import { expandHostNames, expandNames, validateHostName, validateInstanceName } from "../domain/naming.js";
import { validateUserData } from "../domain/user-data.js";
import type { InstanceDoc, InstanceRecord, Store, Subnet } from "../store/store.js";
import { freePublicAddresses } from "./public-addresses.js";
import { quotaRoom } from "./purchase-quotas.js";
import { checkArchitecture, checkInstanceType, checkLogin, findImage, checkPrepaid, checkRenewFlag, DEFAULT_RENEW_FLAG, invalid, unsupported } from "./instance-inputs.js";
import { checkLoginKeys, loginKeys } from "./key-pair-bindings.js";
import { checkGroupIds, findGroups } from "./security-group-bindings.js";
import { checkTags } from "./tag-inputs.js";

const CHARGE_TYPES = ["POSTPAID_BY_HOUR", "PREPAID", "SPOTPAID"];
const DISK_TYPES = ["LOCAL_BASIC", "LOCAL_SSD", "CLOUD_BASIC", "CLOUD_SSD", "CLOUD_PREMIUM", "CLOUD_BSSD", "CLOUD_HSSD", "CLOUD_TSSD"];
const INTERNET_CHARGE_TYPES = ["TRAFFIC_POSTPAID_BY_HOUR", "BANDWIDTH_POSTPAID_BY_HOUR", "BANDWIDTH_PREPAID", "BANDWIDTH_PACKAGE"];
const MAX_INSTANCES_PER_CALL = 100;
const MAX_DATA_DISKS = 20;
const MAX_BANDWIDTH_MBPS = 200;
/** Members of the request that are part of the API but not of what OpenCVM simulates. */
const UNSUPPORTED = ["ActionTimer", "DisasterRecoverGroupIds", "HpcClusterId", "LaunchTemplate", "DedicatedClusterId", "ChcIds", "PartitionNumber", "NetworkInterfaces", "CpuTopology", "Metadata"] as const;

/** Everything RunInstances decided before it writes anything. */
interface Plan {
  count: number;
  minCount: number;
  zone: string;
  zoneIndex: number;
  type: InstanceTypeEntry;
  image: ImageEntry;
  chargeType: string;
  projectId: number;
  expiredTime: string | null;
  renewFlag: string | null;
  systemDisk: { DiskType: string; DiskSize: number };
  dataDisks: { DiskType: string; DiskSize: number; DeleteWithInstance: boolean }[];
  internet: InstanceDoc["InternetAccessible"];
  vpc?: { vpcId: string; subnetId: string; privateIps: string[] };
  /** The groups asked for, in priority order; none = the account's default group. */
  securityGroupIds: string[];
  namePattern: string;
  hostNamePattern?: string;
  tags: { key: string; value: string }[];
  keyIds: string[];
  userData: string | null;
  disableApiTermination: boolean;
}

export const runInstances = action<cvm.RunInstancesRequest, cvm.RunInstancesResponse>("cvm", "RunInstances", async (ctx, p, deps) => {
  const plan = await check(ctx, p, deps);
  const keys = await loginKeys(deps.store, ctx, p.LoginSettings);
  if (p.ClientToken !== undefined) {
    const earlier = await deps.store.clientTokens.get(ctx.account.appId, p.ClientToken);
    if (earlier) return { InstanceIdSet: earlier };
  }
  if (p.DryRun) {
    await quotaRoom(deps.store, deps.catalog, ctx, plan.zone, plan.chargeType, plan.type, plan.count, plan.minCount);
    // Everything that can be checked without writing has passed.
    return { InstanceIdSet: [] };
  }
  const records = await deps.store.transaction(async (tx) => {
    // Counted in the creating transaction: racing purchases cannot pass the quota together.
    const room = await quotaRoom(tx, deps.catalog, ctx, plan.zone, plan.chargeType, plan.type, plan.count, plan.minCount);
    const created = await place(tx, ctx, { ...plan, count: room }, deps.config);
    await tx.instances.insert(created);
    const payload = { authorizedKeys: keys.map((k) => k.publicKey) };
    await tx.operations.add(created.map((r) => ({ operationId: randomUUID(), instanceId: r.instanceId, kind: "RunInstances", requestId: ctx.requestId, payload })));
    if (p.ClientToken !== undefined) await tx.clientTokens.put(ctx.account.appId, p.ClientToken, created.map((r) => r.instanceId));
    return created;
  });
  deps.engine.kick();
  return { InstanceIdSet: records.map((r) => r.instanceId) };
});

async function check(ctx: RequestContext, p: cvm.RunInstancesRequest, deps: Deps): Promise<Plan> {
  const { catalog } = deps;
  for (const name of UNSUPPORTED) if (p[name] !== undefined) throw unsupported(name);
  if (p.EnableJumboFrame) throw unsupported("EnableJumboFrame");
  if (p.Placement?.HostIds?.length) throw unsupported("Placement.HostIds");
  if (p.Placement?.DedicatedResourcePackIds?.length) throw unsupported("Placement.DedicatedResourcePackIds");
  if (p.CamRoleName !== undefined) {
    throw fail("AuthFailure.CamRoleNameAuthenticateFailed", `The CAM role \`${p.CamRoleName}\` does not exist (OpenCVM has no CAM roles).`, `CAM 角色 \`${p.CamRoleName}\` 不存在（OpenCVM 没有 CAM 角色）。`);
  }

  const count = p.InstanceCount ?? 1;
  if (count < 1 || count > MAX_INSTANCES_PER_CALL) throw invalid("InvalidParameterValue.Range", "InstanceCount", count, `it must be between 1 and ${MAX_INSTANCES_PER_CALL}`, `取值范围为 1 到 ${MAX_INSTANCES_PER_CALL}`);
  const minCount = p.MinCount ?? count;
  if (minCount < 1 || minCount > count) throw invalid("InvalidParameterValue.InvalidParameterMinCount", "MinCount", minCount, "it must be between 1 and InstanceCount", "取值应在 1 与 InstanceCount 之间");
  if (p.ClientToken !== undefined && Buffer.byteLength(p.ClientToken) > 64) throw invalid("InvalidClientToken.TooLong", "ClientToken", p.ClientToken, "it must be at most 64 bytes", "长度不能超过 64 字节");

  // Where and what.
  if (!p.Placement?.Zone) throw fail("MissingParameter", "The request is missing the required parameter `Placement.Zone`.", "缺少必需参数 `Placement.Zone`。");
  const region = catalog.region(ctx.region!)!;
  const zoneIndex = region.zones.findIndex((z) => z.zone === p.Placement!.Zone);
  if (zoneIndex < 0) throw invalid("InvalidZone.MismatchRegion", "Placement.Zone", p.Placement.Zone, `it is not a zone of ${ctx.region}`, `不是 ${ctx.region} 的可用区`);
  if (region.zones[zoneIndex].state !== "AVAILABLE") throw invalid("ResourceInsufficient.AvailabilityZoneSoldOut", "Placement.Zone", p.Placement.Zone, "the zone is sold out", "该可用区已售罄");
  // The real default is S1.SMALL1, a family OpenCVM does not sell; the smallest standard type stands in.
  const type = checkInstanceType(catalog, p.InstanceType ?? "S5.SMALL1", "InstanceType", "RunInstances");
  if (!p.ImageId) throw fail("MissingParameter", "The request is missing the required parameter `ImageId`.", "缺少必需参数 `ImageId`。");
  const image = await findImage(deps, ctx, p.ImageId, "ImageId");
  checkArchitecture(image, type, "ImageId");

  // Billing.
  const chargeType = p.InstanceChargeType ?? "POSTPAID_BY_HOUR";
  if (!CHARGE_TYPES.includes(chargeType)) throw invalid("InvalidParameterValue", "InstanceChargeType", chargeType, `use one of ${CHARGE_TYPES.join(", ")}`, `取值应为 ${CHARGE_TYPES.join("、")}`);
  let expiredTime: string | null = null;
  let renewFlag: string | null = null;
  if (chargeType === "PREPAID") {
    const prepaid = checkPrepaid(p.InstanceChargePrepaid, "PREPAID instances need a Period", "包年包月实例需要指定购买时长");
    renewFlag = checkRenewFlag(prepaid.RenewFlag ?? DEFAULT_RENEW_FLAG, "InstanceChargePrepaid.RenewFlag");
    expiredTime = addMonths(isoSeconds(), prepaid.Period);
  } else if (p.InstanceChargePrepaid !== undefined) {
    throw fail("InvalidParameterCombination", "`InstanceChargePrepaid` applies to PREPAID instances only.", "`InstanceChargePrepaid` 仅适用于包年包月实例。");
  }
  if (p.InstanceMarketOptions !== undefined) {
    if (chargeType !== "SPOTPAID") throw fail("InvalidParameterCombination", "`InstanceMarketOptions` applies to SPOTPAID instances only.", "`InstanceMarketOptions` 仅适用于竞价实例。");
    if (p.InstanceMarketOptions.MarketType !== "spot") throw invalid("InvalidParameterValue", "InstanceMarketOptions.MarketType", p.InstanceMarketOptions.MarketType, "use spot", "取值应为 spot");
  }

  // Disks.
  // The system disk holds at least the image: a custom image's disk may be larger than the default 50 GiB.
  const systemDisk = { DiskType: p.SystemDisk?.DiskType ?? "CLOUD_PREMIUM", DiskSize: p.SystemDisk?.DiskSize ?? Math.max(50, image.imageSize) };
  if (!DISK_TYPES.includes(systemDisk.DiskType)) throw invalid("InvalidParameterValue", "SystemDisk.DiskType", systemDisk.DiskType, `use one of ${DISK_TYPES.join(", ")}`, `取值应为 ${DISK_TYPES.join("、")}`);
  if (systemDisk.DiskSize < Math.max(20, image.imageSize) || systemDisk.DiskSize > 1024) {
    const min = Math.max(20, image.imageSize);
    throw invalid("InvalidParameterValue.Range", "SystemDisk.DiskSize", systemDisk.DiskSize, `it must be ${min}-1024 GiB for this image`, `该镜像的系统盘取值范围为 ${min}-1024 GiB`);
  }
  // A custom image's data disks come first, then those asked for.
  const given: cvm.DataDiskIn[] = [...image.dataDisks, ...(p.DataDisks ?? [])];
  if (given.length > MAX_DATA_DISKS) throw invalid("InvalidParameterValue.LimitExceeded", "DataDisks", given.length, `at most ${MAX_DATA_DISKS} data disks`, `最多 ${MAX_DATA_DISKS} 块数据盘`);
  const dataDisks = given.map((d, i) => {
    if (d.SnapshotId !== undefined) throw invalid("InvalidParameter.SnapshotNotFound", `DataDisks.${i - image.dataDisks.length}.SnapshotId`, d.SnapshotId, "OpenCVM has no snapshots", "OpenCVM 没有快照");
    const disk = { DiskType: d.DiskType ?? "CLOUD_PREMIUM", DiskSize: d.DiskSize ?? 0, DeleteWithInstance: d.DeleteWithInstance ?? true };
    if (!DISK_TYPES.includes(disk.DiskType)) throw invalid("InvalidParameterValue", `DataDisks.${i - image.dataDisks.length}.DiskType`, disk.DiskType, `use one of ${DISK_TYPES.join(", ")}`, `取值应为 ${DISK_TYPES.join("、")}`);
    if (disk.DiskSize < 10 || disk.DiskSize > 32000 || disk.DiskSize % 10 !== 0) {
      throw invalid("InvalidParameterValue.Range", `DataDisks.${i - image.dataDisks.length}.DiskSize`, disk.DiskSize, "it must be 10-32000 GiB in steps of 10", "取值范围为 10-32000 GiB，且为 10 的倍数");
    }
    return disk;
  });

  // Network.
  const ia = p.InternetAccessible;
  const bandwidth = ia?.InternetMaxBandwidthOut ?? 0;
  const internetChargeType = ia?.InternetChargeType ?? "TRAFFIC_POSTPAID_BY_HOUR";
  if (!INTERNET_CHARGE_TYPES.includes(internetChargeType)) throw invalid("InvalidParameterValue", "InternetAccessible.InternetChargeType", internetChargeType, `use one of ${INTERNET_CHARGE_TYPES.join(", ")}`, `取值应为 ${INTERNET_CHARGE_TYPES.join("、")}`);
  if (bandwidth < 0 || bandwidth > MAX_BANDWIDTH_MBPS) throw invalid("InvalidParameterValue.Range", "InternetAccessible.InternetMaxBandwidthOut", bandwidth, `it must be 0-${MAX_BANDWIDTH_MBPS} Mbps`, `取值范围为 0-${MAX_BANDWIDTH_MBPS} Mbps`);
  if (ia?.BandwidthPackageId !== undefined) throw invalid("InvalidParameterValue.BandwidthPackageIdNotFound", "InternetAccessible.BandwidthPackageId", ia.BandwidthPackageId, "OpenCVM has no bandwidth packages", "OpenCVM 没有共享带宽包");
  const publicIp = ia?.PublicIpAssigned ?? bandwidth > 0;
  if (publicIp && bandwidth === 0) throw fail("InvalidParameterCombination", "A public IP needs `InternetAccessible.InternetMaxBandwidthOut` above 0.", "分配公网 IP 需要 `InternetAccessible.InternetMaxBandwidthOut` 大于 0。");
  const internet = { InternetChargeType: internetChargeType, InternetMaxBandwidthOut: bandwidth, PublicIpAssigned: publicIp };

  let vpc: Plan["vpc"];
  if (p.VirtualPrivateCloud) {
    const v = p.VirtualPrivateCloud;
    if (!isIdOf("vpc", v.VpcId)) throw invalid("InvalidParameterValue.VpcIdMalformed", "VirtualPrivateCloud.VpcId", v.VpcId, "expected vpc-xxxxxxxx", "格式应为 vpc-xxxxxxxx");
    if (!isIdOf("subnet", v.SubnetId)) throw invalid("InvalidParameterValue.SubnetIdMalformed", "VirtualPrivateCloud.SubnetId", v.SubnetId, "expected subnet-xxxxxxxx", "格式应为 subnet-xxxxxxxx");
    if (v.AsVpcGateway) throw unsupported("VirtualPrivateCloud.AsVpcGateway");
    if (v.Ipv6AddressCount) throw invalid("InvalidParameterValue.VpcNotSupportIpv6Address", "VirtualPrivateCloud.Ipv6AddressCount", v.Ipv6AddressCount, "the VPC has no IPv6 range", "该私有网络未分配 IPv6 网段");
    const ips = v.PrivateIpAddresses ?? [];
    const bad = ips.find((ip) => !isIpv4(ip));
    if (bad !== undefined) throw invalid("InvalidParameterValue.IPAddressMalformed", "VirtualPrivateCloud.PrivateIpAddresses", bad, "not an IPv4 address", "不是合法的 IPv4 地址");
    if (ips.length && ips.length !== count) throw invalid("InvalidParameterValue", "VirtualPrivateCloud.PrivateIpAddresses", ips.length, `give one address per instance (${count})`, `应为每个实例指定一个地址（共 ${count} 个）`);
    if (new Set(ips).size !== ips.length) throw invalid("InvalidParameterValue.Duplicate", "VirtualPrivateCloud.PrivateIpAddresses", ips.join(","), "an address is given twice", "地址重复");
    vpc = { vpcId: v.VpcId, subnetId: v.SubnetId, privateIps: ips };
  }
  let securityGroupIds: string[] = [];
  if (p.SecurityGroupIds?.length) {
    checkGroupIds("RunInstances", p.SecurityGroupIds, "SecurityGroupIds");
    securityGroupIds = (await findGroups(deps.store, ctx, p.SecurityGroupIds, "SecurityGroupIds")).map((g) => g.securityGroupId);
  }

  // Login.
  checkLoginKeys(p.LoginSettings, image);
  checkLogin(p.LoginSettings, image);

  // Names, tags, user data.
  const namePattern = p.InstanceName ?? "未命名";
  for (const n of expandNames(namePattern, count)) validateInstanceName(n, "InstanceName");
  if (p.HostName !== undefined) {
    const sample = expandHostNames(p.HostName, count, Array.from({ length: count }, () => "10.0.0.0"));
    for (const h of sample) validateHostName(h, image.family, "HostName");
  }
  const tags = checkTags("RunInstances", p.TagSpecification, "instance", "skip");
  const userData = p.UserData === undefined ? null : (validateUserData(p.UserData, "UserData"), p.UserData);

  return {
    count,
    minCount,
    zone: p.Placement.Zone,
    zoneIndex,
    type,
    image,
    chargeType,
    projectId: p.Placement.ProjectId ?? 0,
    expiredTime,
    renewFlag,
    systemDisk,
    dataDisks,
    internet,
    vpc,
    securityGroupIds,
    namePattern,
    hostNamePattern: p.HostName,
    tags,
    keyIds: p.LoginSettings?.KeyIds ?? [],
    userData,
    disableApiTermination: p.DisableApiTermination ?? false,
  };
}

/** Allocates addresses and builds the records, inside the creating transaction. */
async function place(tx: Store, ctx: RequestContext, plan: Plan, config: Config): Promise<InstanceRecord[]> {
  const appId = ctx.account.appId;
  const subnet = plan.vpc ? await chosenSubnet(tx, ctx, plan) : await tx.networks.defaultSubnet(appId, ctx.region!, plan.zone, plan.zoneIndex);
  const privateIps = await privateAddresses(tx, subnet, plan);
  const count = privateIps.length;
  const ids = Array.from({ length: count }, () => randomId("ins"));
  await tx.networks.allocate(subnet.subnetId, ids.map((instanceId, i) => ({ ip: privateIps[i], instanceId })));
  // The groups asked for, looked up again with the write (one deleted meanwhile is refused, not bound); none asked
  // for: the account's default group in the region, created with the first instance that needs it.
  const securityGroupIds = plan.securityGroupIds.length
    ? (await findGroups(tx, ctx, plan.securityGroupIds, "SecurityGroupIds")).map((g) => g.securityGroupId)
    : [(await tx.securityGroups.defaultGroup(appId, ctx.region!)).securityGroupId];
  const publicIps = plan.internet.PublicIpAssigned ? await freePublicAddresses(tx, config, count) : [];
  await tx.networks.allocatePublic(appId, publicIps.map((ip, i) => ({ ip, instanceId: ids[i] })));

  const names = expandNames(plan.namePattern, count);
  const hostNames = plan.hostNamePattern
    ? expandHostNames(plan.hostNamePattern, count, privateIps)
    : privateIps.map((ip) => defaultHostName(ip, plan.image));
  const createdAt = isoSeconds();
  return ids.map((instanceId, i) => ({
    instanceId,
    appId,
    region: ctx.region!,
    zone: plan.zone,
    state: "PENDING",
    instanceName: names[i],
    instanceType: plan.type.instanceType,
    instanceFamily: plan.type.family,
    imageId: plan.image.imageId,
    chargeType: plan.chargeType,
    projectId: plan.projectId,
    vpcId: subnet.vpcId,
    subnetId: subnet.subnetId,
    privateIp: privateIps[i],
    publicIp: publicIps[i] ?? null,
    uuid: randomUUID(),
    createdAt,
    latestOperation: "RunInstances",
    latestOperationState: "OPERATING",
    latestOperationRequestId: ctx.requestId,
    latestOperationError: null,
    tags: plan.tags,
    securityGroupIds,
    keyIds: plan.keyIds,
    doc: {
      CPU: plan.type.cpu,
      Memory: plan.type.memory,
      OsName: plan.image.osName,
      Platform: plan.image.family,
      SystemDisk: { ...plan.systemDisk, DiskId: randomId("disk") },
      DataDisks: plan.dataDisks.map((d) => ({ ...d, DiskId: randomId("disk") })),
      InternetAccessible: plan.internet,
      HostName: hostNames[i],
      DisableApiTermination: plan.disableApiTermination,
      StopChargingMode: "NOT_APPLICABLE",
      ExpiredTime: plan.expiredTime,
      RenewFlag: plan.renewFlag,
      DefaultLoginUser: plan.image.loginUser,
      DefaultLoginPort: plan.image.family === "WINDOWS" ? 3389 : 22,
      UserData: plan.userData,
      IsolatedSource: "NOTISOLATED",
    },
  }));
}

/** The subnet VirtualPrivateCloud names: the caller's, in its VPC, in the instances' zone. */
async function chosenSubnet(tx: Store, ctx: RequestContext, plan: Plan): Promise<Subnet> {
  const { vpcId, subnetId } = plan.vpc!;
  const vpcs = await tx.networks.vpcs(ctx.account.appId, ctx.region!);
  if (!vpcs.some((v) => v.vpcId === vpcId)) throw invalid("InvalidParameterValue.VpcIdNotExist", "VirtualPrivateCloud.VpcId", vpcId, `no such VPC in ${ctx.region}`, `${ctx.region} 不存在该私有网络`);
  const subnet = (await tx.networks.subnets(ctx.account.appId, ctx.region!)).find((s) => s.subnetId === subnetId);
  if (!subnet) throw invalid("InvalidParameterValue.SubnetNotExist", "VirtualPrivateCloud.SubnetId", subnetId, `no such subnet in ${ctx.region}`, `${ctx.region} 不存在该子网`);
  if (subnet.vpcId !== vpcId) throw invalid("InvalidParameterValue.VpcIdSubnetIdNotMatch", "VirtualPrivateCloud.SubnetId", subnetId, `the subnet belongs to ${subnet.vpcId}`, `该子网属于 ${subnet.vpcId}`);
  if (subnet.zone !== plan.zone) throw invalid("InvalidParameterValue.SubnetIdZoneIdNotMatch", "VirtualPrivateCloud.SubnetId", subnetId, `the subnet is in ${subnet.zone}, the instances in ${plan.zone}`, `子网位于 ${subnet.zone}，实例位于 ${plan.zone}`);
  return subnet;
}

/** The requested addresses, or the lowest free ones; fewer than asked only down to MinCount. */
async function privateAddresses(tx: Store, subnet: Subnet, plan: Plan): Promise<string[]> {
  const used = await tx.networks.allocated(subnet.subnetId);
  if (plan.vpc?.privateIps.length) {
    for (const ip of plan.vpc.privateIps) {
      const { first, last } = usableHosts(subnet.cidr);
      if (!inCidr(ip, subnet.cidr) || ipToInt(ip) < first || ipToInt(ip) > last) throw invalid("VpcAddrNotInSubNet", "VirtualPrivateCloud.PrivateIpAddresses", ip, `it is not a usable address of ${subnet.cidr}`, `不是子网 ${subnet.cidr} 的可用地址`);
      if (used.has(ip)) throw invalid("VpcIpIsUsed", "VirtualPrivateCloud.PrivateIpAddresses", ip, "the address is in use", "该地址已被占用");
    }
    // A quota may allow fewer instances than addresses asked for (MinCount): the first ones are used.
    return plan.vpc.privateIps.slice(0, plan.count);
  }
  const { first, last } = usableHosts(subnet.cidr);
  const out: string[] = [];
  for (let n = first; n <= last && out.length < plan.count; n++) {
    const ip = intToIp(n);
    if (!used.has(ip)) out.push(ip);
  }
  if (out.length < plan.minCount) {
    throw fail("FailedOperation.NoAvailableIpAddressCountInSubnet", `Subnet ${subnet.subnetId} (${subnet.cidr}) has ${out.length} free addresses, fewer than the ${plan.minCount} needed.`, `子网 ${subnet.subnetId}（${subnet.cidr}）仅剩 ${out.length} 个可用地址，少于所需的 ${plan.minCount} 个。`);
  }
  return out;
}

/** The real cloud's default host name: VM-<third octet>-<fourth octet>-<os>, e.g. VM-0-3-ubuntu. */
function defaultHostName(ip: string, image: ImageEntry): string {
  const [, , c, d] = ip.split(".");
  return image.family === "WINDOWS" ? `VM-${c}-${d}` : `VM-${c}-${d}-${image.platform.toLowerCase()}`;
}
