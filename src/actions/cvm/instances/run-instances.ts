// RunInstances: every request member is either honoured or refused with a clear error. Instances are written as
// PENDING with their addresses and a launch operation in one transaction; the engine boots them.
import { randomUUID } from "node:crypto";
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import type { ImageEntry } from "../../../domain/catalog.js";
import type { Config } from "../../../config.js";
import { isoSeconds } from "../../../domain/dates.js";
import { payForLaunch } from "../../../instances/charges.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf, randomId } from "../../../domain/ids.js";
import { isIpv4 } from "../../../domain/ipv4.js";
import { pickAddresses } from "../../shared/subnet-addresses.js";
import { expandHostNames, expandNames, validateHostName, validateInstanceName } from "../../../domain/naming.js";
import { hashPassword } from "../../../domain/password.js";
import { validateUserData } from "../../../domain/user-data.js";
import { enhancedServices, type EnhancedServices } from "../../../domain/enhanced-service.js";
import type { InstanceRecord, PlacementGroupRecord, Store, Subnet } from "../../../store/store.js";
import { freePublicAddresses } from "../../vpc/addresses/public-addresses.js";
import { checkActionTimer, newTimers, type TimerPlan } from "./action-timer-inputs.js";
import { checkPurchase, type Purchase } from "./purchase-inputs.js";
import { quotaRoom } from "../catalog/purchase-quotas.js";
import { checkHostCapacity } from "./host-capacity.js";
import { placeOnHosts } from "../hosts/host-placement.js";
import { checkHpcFamily, placeInCluster } from "../hpc-clusters/hpc-placement.js";
import { checkPackRequest, placeInPacks, type PackLaunch } from "../pool-packs/pack-placement.js";
import { checkChcLaunch, chcHostsFor, occupy } from "../chc/chc-placement.js";
import { checkLogin, type LoginKeys } from "./instance-inputs.js";
import { checkLoginKeys, loginKeys } from "../key-pairs/key-pair-bindings.js";
import { checkGroupIds, findGroups } from "./security-group-bindings.js";
import { checkTags } from "../../shared/tag-inputs.js";
import { documentedCode, invalid, unsupported } from "../../shared/refusals.js";
import { withLaunchTemplate } from "../launch-templates/launch-template-merge.js";
import { findGroups as findPlacementGroups } from "../placement-groups/placement-group-inputs.js";
import { spreadOver } from "../placement-groups/spread.js";

/** Members of the request that are part of the API but not of what OpenCVM simulates. */
const UNSUPPORTED = ["DedicatedClusterId", "PartitionNumber", "NetworkInterfaces", "CpuTopology", "Metadata"] as const;

const GROUP_FIELD = "DisasterRecoverGroupIds";

/** Everything RunInstances decided before it writes anything: what is bought (checked against the catalog) and how. */
export interface Plan extends Purchase {
  minCount: number;
  projectId: number;
  vpc?: { vpcId: string; subnetId: string; privateIps: string[] };
  /** The groups asked for, in priority order; none = the account's default group. */
  securityGroupIds: string[];
  namePattern: string;
  hostNamePattern?: string;
  tags: { key: string; value: string }[];
  login: LoginKeys;
  userData: string | null;
  disableApiTermination: boolean;
  enhancedService: EnhancedServices;
  /** Each instance's scheduled termination (ActionTimer). */
  timer?: TimerPlan;
  /** The dedicated hosts to place the instances on (CDHPAID). */
  hostIds?: string[];
  /** The spread placement group the instances join (DisasterRecoverGroupIds). */
  group?: PlacementGroupRecord;
}

export const runInstances = action<cvm.RunInstancesRequest, cvm.RunInstancesResponse>("cvm", "RunInstances", async (ctx, asked, deps) => {
  const { request: p, passwordHash } = await withLaunchTemplate(deps.store, ctx, asked);
  const plan = await checkLaunch(ctx, p, deps);
  if (p.ClientToken !== undefined) {
    const earlier = await deps.store.clientTokens.get(ctx.account.appId, p.ClientToken);
    if (earlier) return { InstanceIdSet: earlier };
  }
  if (p.DryRun) {
    await quotaRoom(deps.store, deps.catalog, ctx, plan.zone, plan.chargeType, plan.type, plan.count, plan.minCount);
    await checkHostCapacity(deps.store, deps, plan.type, plan.minCount);
    if (plan.hostIds) await placeOnHosts(deps.store, deps.catalog, ctx, { ...plan, hostIds: plan.hostIds }, plan.count, plan.minCount);
    if (p.HpcClusterId !== undefined) await placeInCluster(deps.store, ctx, p.HpcClusterId, plan.zone, plan.minCount);
    await placeInPacks(deps.store, ctx, packLaunch(p, plan), plan.minCount, plan.minCount);
    if (plan.group) spreadOver(deps.catalog, ctx.action, plan.group, Array.from({ length: plan.count }, (_, i) => ({ instanceId: `dry-run-${i}`, zone: plan.zone })), GROUP_FIELD);
    if (p.ChcIds) await chcHostsFor(deps.store, ctx, p.ChcIds, plan.zone);
    // Everything that can be checked without writing has passed.
    return { InstanceIdSet: [] };
  }
  const records = await deps.store.transaction(async (tx) => {
    // Counted in the creating transaction: racing purchases cannot pass the quota together.
    const room = await quotaRoom(tx, deps.catalog, ctx, plan.zone, plan.chargeType, plan.type, plan.count, plan.minCount);
    await checkHostCapacity(tx, deps, plan.type, room);
    const hostOf = plan.hostIds ? await placeOnHosts(tx, deps.catalog, ctx, { ...plan, hostIds: plan.hostIds }, room, plan.minCount) : undefined;
    const count = hostOf?.length ?? room;
    const rdmaOf = p.HpcClusterId === undefined ? undefined : await placeInCluster(tx, ctx, p.HpcClusterId, plan.zone, count);
    const { packOf } = await placeInPacks(tx, ctx, packLaunch(p, plan), count, plan.minCount);
    const chcHosts = p.ChcIds ? await chcHostsFor(tx, ctx, p.ChcIds, plan.zone) : undefined;
    const created = await place(tx, ctx, { ...plan, count: Math.min(count, packOf.length) }, deps.config, hostOf);
    if (chcHosts) await occupy(tx, chcHosts, created);
    // Where each instance was placed, before it is written.
    created.forEach((r, i) => {
      if (rdmaOf) Object.assign(r.doc, { HpcClusterId: p.HpcClusterId, RdmaIpAddresses: [rdmaOf[i]] });
      if (packOf[i]) r.doc.DedicatedResourcePackId = packOf[i];
    });
    await tx.instances.insert(created);
    if (plan.group) {
      // Read again where it is written: a place another launch took meanwhile is not given twice.
      const [group] = await findPlacementGroups(tx, ctx, [plan.group.groupId], GROUP_FIELD);
      await tx.placementGroups.join(group.groupId, spreadOver(deps.catalog, ctx.action, group, created, GROUP_FIELD));
    }
    await payForLaunch(tx, deps, ctx, created, plan.period);
    if (plan.timer) await tx.actionTimers.insert(newTimers(ctx, created.map((r) => r.instanceId), plan.timer));
    // The password travels to the machine only as its hash.
    const password = p.LoginSettings?.Password;
    const hash = password !== undefined ? hashPassword(password) : passwordHash;
    const payload = { authorizedKeys: plan.login.authorizedKeys, ...(hash !== undefined ? { passwordHash: hash } : {}) };
    await tx.operations.add(created.map((r) => ({ operationId: randomUUID(), instanceId: r.instanceId, kind: ctx.action, requestId: ctx.requestId, payload })));
    if (p.ClientToken !== undefined) await tx.clientTokens.put(ctx.account.appId, p.ClientToken, created.map((r) => r.instanceId));
    return created;
  }, ctx.account.appId);
  deps.engine.kick();
  return { InstanceIdSet: records.map((r) => r.instanceId) };
});

/** Checks a launch without writing anything (launch templates check their members with it too). */
export async function checkLaunch(ctx: RequestContext, p: cvm.RunInstancesRequest, deps: Deps): Promise<Plan> {
  for (const name of UNSUPPORTED) if (p[name] !== undefined) throw unsupported(name);
  if (p.EnableJumboFrame) throw unsupported("EnableJumboFrame");
  if (p.CamRoleName !== undefined) {
    throw fail("AuthFailure.CamRoleNameAuthenticateFailed", `The CAM role \`${p.CamRoleName}\` does not exist (OpenCVM has no CAM roles).`, `CAM 角色 \`${p.CamRoleName}\` 不存在（OpenCVM 没有 CAM 角色）。`);
  }

  // What is bought, where, billed how, with which disks and bandwidth: all from the catalog.
  const purchase = await checkPurchase(ctx.action, ctx, p, deps);
  const { count, image } = purchase;
  checkHpcFamily(purchase.type, p.HpcClusterId);
  checkPackRequest(packLaunch(p, purchase));
  if (p.ChcIds) checkChcLaunch(p.ChcIds, count, p.MinCount, Boolean(p.Placement!.HostIds?.length));
  const minCount = p.MinCount ?? count;
  if (minCount < 1 || minCount > count) throw invalid("InvalidParameterValue.InvalidParameterMinCount", "MinCount", minCount, "it must be between 1 and InstanceCount", "取值应在 1 与 InstanceCount 之间");
  if (p.ClientToken !== undefined && Buffer.byteLength(p.ClientToken) > 64) throw invalid("InvalidClientToken.TooLong", "ClientToken", p.ClientToken, "it must be at most 64 bytes", "长度不能超过 64 字节");

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
    checkGroupIds(ctx.action, p.SecurityGroupIds, "SecurityGroupIds");
    securityGroupIds = (await findGroups(deps.store, ctx, p.SecurityGroupIds, "SecurityGroupIds")).map((g) => g.securityGroupId);
  }

  // Login.
  checkLoginKeys(p.LoginSettings, image);
  checkLogin(p.LoginSettings, image);
  const login = await loginKeys(deps.store, ctx, p.LoginSettings, image);

  // Names, tags, user data.
  const namePattern = p.InstanceName ?? "未命名";
  for (const n of expandNames(namePattern, count)) validateInstanceName(n, "InstanceName");
  if (p.HostName !== undefined) {
    const sample = expandHostNames(p.HostName, count, Array.from({ length: count }, () => "10.0.0.0"));
    for (const h of sample) validateHostName(h, image.family, "HostName");
  }
  const tags = checkTags(ctx.action, p.TagSpecification, "instance", "skip");
  const userData = p.UserData === undefined ? null : (validateUserData(p.UserData, "UserData"), p.UserData);
  const timer = p.ActionTimer === undefined ? undefined : checkActionTimer(ctx.action, p.ActionTimer, "ActionTimer", ctx.now);
  const groupIds = p.DisasterRecoverGroupIds ?? [];
  if (groupIds.length > 1) throw invalid("InvalidParameterValue", GROUP_FIELD, groupIds.join(","), "name one placement group", "只能指定一个置放群组");
  const [group] = await findPlacementGroups(deps.store, ctx, groupIds, GROUP_FIELD);

  return {
    ...purchase,
    minCount,
    projectId: p.Placement!.ProjectId ?? 0,
    vpc,
    securityGroupIds,
    namePattern,
    hostNamePattern: p.HostName,
    tags,
    login,
    userData,
    disableApiTermination: p.DisableApiTermination ?? false,
    enhancedService: enhancedServices(p.EnhancedService, !image.custom),
    timer,
    ...(p.Placement!.HostIds?.length ? { hostIds: p.Placement!.HostIds } : {}),
    group,
  };
}


/** What pack placement needs of a launch. */
function packLaunch(p: cvm.RunInstancesRequest, purchase: Purchase): PackLaunch {
  const { DedicatedResourcePackIds: packIds, DedicatedResourcePackTenancy: tenancy, HostIds } = p.Placement!;
  return { zone: purchase.zone, type: purchase.type, chargeType: purchase.chargeType, packIds, tenancy, onHosts: Boolean(HostIds?.length || p.ChcIds?.length) };
}

/** Allocates addresses and builds the records, inside the creating transaction. */
async function place(tx: Store, ctx: RequestContext, plan: Plan, config: Config, hostOf?: readonly string[]): Promise<InstanceRecord[]> {
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
  const createdAt = isoSeconds(ctx.now);
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
    latestOperation: ctx.action,
    latestOperationState: "OPERATING",
    latestOperationRequestId: ctx.requestId,
    latestOperationError: null,
    tags: plan.tags,
    securityGroupIds,
    keyIds: plan.login.keyIds,
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
      EnhancedService: plan.enhancedService,
      BandwidthHistory: [{ Since: createdAt, InternetChargeType: plan.internet.InternetChargeType, InternetMaxBandwidthOut: plan.internet.InternetMaxBandwidthOut }],
      ...(hostOf ? { HostId: hostOf[i] } : {}),
    },
  }));
}

/** The subnet VirtualPrivateCloud names: the caller's, in its VPC, in the instances' zone. */
export async function chosenSubnet(tx: Store, ctx: RequestContext, plan: Pick<Plan, "vpc" | "zone">): Promise<Subnet> {
  const { vpcId, subnetId } = plan.vpc!;
  const vpcs = await tx.networks.vpcs(ctx.account.appId, ctx.region!);
  if (!vpcs.some((v) => v.vpcId === vpcId)) throw invalid("InvalidParameterValue.VpcIdNotExist", "VirtualPrivateCloud.VpcId", vpcId, `no such VPC in ${ctx.region}`, `${ctx.region} 不存在该私有网络`);
  const subnet = (await tx.networks.subnets(ctx.account.appId, ctx.region!)).find((s) => s.subnetId === subnetId);
  if (!subnet) throw invalid("InvalidParameterValue.SubnetNotExist", "VirtualPrivateCloud.SubnetId", subnetId, `no such subnet in ${ctx.region}`, `${ctx.region} 不存在该子网`);
  if (subnet.vpcId !== vpcId) throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.VpcIdSubnetIdNotMatch"]), "VirtualPrivateCloud.SubnetId", subnetId, `the subnet belongs to ${subnet.vpcId}`, `该子网属于 ${subnet.vpcId}`);
  if (subnet.zone !== plan.zone) throw invalid(documentedCode(ctx.action, ["InvalidParameterValue.SubnetIdZoneIdNotMatch", "InvalidParameterValue.VpcIdZoneIdNotMatch"]), "VirtualPrivateCloud.SubnetId", subnetId, `the subnet is in ${subnet.zone}, the instances in ${plan.zone}`, `子网位于 ${subnet.zone}，实例位于 ${plan.zone}`);
  return subnet;
}

/** The requested addresses, or the lowest free ones; fewer than asked only down to MinCount. */
async function privateAddresses(tx: Store, subnet: Subnet, plan: Plan): Promise<string[]> {
  // A quota may allow fewer instances than addresses asked for (MinCount): the first ones are used.
  const out = pickAddresses(subnet.cidr, await tx.networks.allocated(subnet.subnetId), plan.count, plan.vpc?.privateIps ?? [], () => "VirtualPrivateCloud.PrivateIpAddresses");
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
