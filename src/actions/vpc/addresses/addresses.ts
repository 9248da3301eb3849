// Elastic IPs (service vpc): AllocateAddresses, DescribeAddresses, AssociateAddress, DisassociateAddress,
// ReleaseAddresses, ModifyAddressAttribute, ModifyAddressesBandwidth, DescribeAddressQuota and TransformAddress.
// Changes apply at once; the TaskId they answer is a finished task DescribeTaskResult finds (tasks.ts). Monthly
// addresses' terms are monthly-addresses.ts's.
import { action, type RequestContext } from "../../../api/action.js";
import type * as vpc from "../../../api/generated/vpc-types.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { isIdOf, randomId } from "../../../domain/ids.js";
import type { AddressRecord, InstanceRecord, Store } from "../../../store/store.js";
import { checkBandwidth, ownAddress } from "./address-inputs.js";
import { checkPrepaid, isolate, isolatesOnRelease, MONTHLY, payBandwidthChange, payTerm, refuseIsolated } from "./monthly-addresses.js";
import { freePublicAddresses } from "./public-addresses.js";
import { within } from "../security-groups/security-group-inputs.js";
import { checkTags, tagSet } from "../networks/vpc-inputs.js";
import { paging } from "../../cvm/instances/describe-instances.js";
import { invalid } from "../../shared/refusals.js";
import { recordTask } from "./tasks.js";

/** EIPs per account and region (the real cloud's default). */
export const EIP_QUOTA = 20;
const MAX_PER_CALL = 20;
const MAX_NAME = 20;
const CHARGE_TYPES = ["TRAFFIC_POSTPAID_BY_HOUR", "BANDWIDTH_POSTPAID_BY_HOUR", "BANDWIDTH_PACKAGE", MONTHLY];
// IPChargeType bills the IP of a native-IP address, which OpenCVM does not allocate.
const UNSUPPORTED = ["AnycastZone", "VipCluster", "BandwidthPackageId", "DedicatedClusterId", "IsDedicatedAddressPool", "AntiDDoSPackageId", "IPChargeType"] as const;
/** The one network egress OpenCVM's addresses leave by (DescribeAddresses' Egress). */
const EGRESS = "center_egress1";

/** Null where the documentation says so: no network interface, and no private address while unbound. */
function view(a: AddressRecord, privateIp: string | null): vpc.Address {
  return {
    AddressId: a.addressId,
    AddressName: a.name,
    AddressStatus: a.status,
    AddressIp: a.ip,
    InstanceId: a.instanceId ?? "",
    CreatedTime: a.createdAt,
    NetworkInterfaceId: null,
    PrivateAddressIp: privateIp,
    IsArrears: a.isolated ?? false,
    IsBlocked: false,
    IsEipDirectConnection: false,
    AddressType: "EIP",
    CascadeRelease: false,
    EipAlgType: { Ftp: false, Sip: false },
    InternetServiceProvider: "BGP",
    LocalBgp: false,
    Bandwidth: a.bandwidth,
    InternetChargeType: a.chargeType,
    TagSet: tagSet(a.tags),
    DeadlineDate: a.term?.expiresAt ?? "",
    ...(a.term ? { RenewFlag: a.term.renewFlag } : {}),
    InstanceType: a.instanceId ? "CVM" : "",
    Egress: "center_egress1",
  };
}

async function ownInstance(store: Store, ctx: RequestContext, instanceId: string): Promise<InstanceRecord> {
  if (!isIdOf("ins", instanceId)) throw invalid("InvalidParameterValue.InstanceIdMalformed", "InstanceId", instanceId, "expected ins-xxxxxxxx", "格式应为 ins-xxxxxxxx");
  const [found] = await store.instances.find(ctx.account.appId, ctx.region!, [instanceId]);
  if (!found) throw invalid("InvalidInstanceId.NotFound", "InstanceId", instanceId, `no such instance in ${ctx.region}`, `${ctx.region} 不存在该实例`);
  return found;
}

export const allocateAddresses = action<vpc.AllocateAddressesRequest, vpc.AllocateAddressesResponse>("vpc", "AllocateAddresses", async (ctx, p, deps) => {
  for (const name of UNSUPPORTED) if (p[name] !== undefined) throw invalid("UnsupportedOperation", name, String(p[name]), "OpenCVM does not support it", "OpenCVM 不支持该参数");
  if ((p.AddressType ?? "EIP") !== "EIP") throw invalid("UnsupportedOperation", "AddressType", p.AddressType, "OpenCVM allocates plain EIPs only", "OpenCVM 仅支持普通弹性公网 IP");
  if (p.InternetServiceProvider !== undefined && p.InternetServiceProvider !== "BGP") throw invalid("UnsupportedOperation", "InternetServiceProvider", p.InternetServiceProvider, "OpenCVM's addresses are BGP", "OpenCVM 的地址均为 BGP");
  if (p.Egress !== undefined && p.Egress !== EGRESS) throw invalid("InvalidParameterValue.UnsupportedEgress", "Egress", p.Egress, `OpenCVM's addresses leave by ${EGRESS}`, `OpenCVM 的地址出口均为 ${EGRESS}`);
  if (p.ClientToken !== undefined && (p.ClientToken.length > 64 || !/^[\x20-\x7e]*$/.test(p.ClientToken))) {
    throw invalid("InvalidParameterValue.Range", "ClientToken", p.ClientToken, "it is at most 64 ASCII characters", "只能包含 ASCII 字符，且不超过 64 个");
  }
  const count = p.AddressCount ?? 1;
  if (count < 1 || count > MAX_PER_CALL) throw invalid("InvalidParameterValue.Range", "AddressCount", count, `it must be 1-${MAX_PER_CALL}`, `取值范围为 1-${MAX_PER_CALL}`);
  const chargeType = p.InternetChargeType ?? "TRAFFIC_POSTPAID_BY_HOUR";
  if (!CHARGE_TYPES.includes(chargeType)) throw invalid("InvalidParameterValue.Combination", "InternetChargeType", chargeType, `use one of ${CHARGE_TYPES.join(", ")}`, `取值应为 ${CHARGE_TYPES.join("、")}`);
  const bandwidth = p.InternetMaxBandwidthOut ?? 1;
  checkBandwidth(bandwidth, "InternetMaxBandwidthOut", ctx.action);
  if (p.AddressChargePrepaid !== undefined && chargeType !== MONTHLY) {
    throw invalid("InvalidParameterValue.Combination", "AddressChargePrepaid", JSON.stringify(p.AddressChargePrepaid), `it goes with ${MONTHLY} only`, `仅适用于 ${MONTHLY}`);
  }
  const prepaid = chargeType === MONTHLY ? checkPrepaid(ctx.action, p.AddressChargePrepaid, "AddressChargePrepaid") : undefined;
  if (p.AddressName !== undefined && p.AddressName.length > MAX_NAME) throw invalid("InvalidParameterValue.Range", "AddressName", p.AddressName, `at most ${MAX_NAME} characters`, `最多 ${MAX_NAME} 个字符`);
  // AllocateAddresses documents one code for every fault of a tag.
  const tags = within(ctx.action, "InvalidParameterValue.InvalidTag", () => checkTags(p.Tags, "Tags"));
  return deps.store.transaction(async (tx) => {
    // A retry with the ClientToken of an earlier call answers what that call allocated, and allocates nothing.
    const earlier = p.ClientToken === undefined ? undefined : await tx.tasks.byClientToken(ctx.account.appId, ctx.action, p.ClientToken);
    if (earlier) return { AddressSet: earlier.resourceIds, TaskId: String(earlier.taskId) };
    // Counted and allocated in one transaction: racing calls cannot pass the quota together.
    const held = (await tx.addresses.list(ctx.account.appId, ctx.region!)).length;
    if (held + count > EIP_QUOTA) throw fail("AddressQuotaLimitExceeded", `You hold ${held} of ${EIP_QUOTA} EIPs in ${ctx.region}; ${count} more do not fit.`, `您在 ${ctx.region} 已有 ${held} 个弹性公网 IP（配额 ${EIP_QUOTA}），无法再申请 ${count} 个。`);
    const ips = await freePublicAddresses(tx, deps.config, count, "ResourceInsufficient");
    const made: AddressRecord[] = ips.map((ip) => ({
      addressId: randomId("eip"),
      appId: ctx.account.appId,
      region: ctx.region!,
      ip,
      status: "UNBIND",
      instanceId: null,
      createdAt: isoSeconds(ctx.now),
      name: p.AddressName ?? "",
      bandwidth,
      chargeType,
      tags,
    }));
    // A monthly address's term is paid as it is allocated; an account that cannot pay gets none.
    if (prepaid) for (const a of made) a.term = await payTerm(tx, deps, ctx, a, "pre_purchase", prepaid.months, isoSeconds(ctx.now), prepaid.renewFlag);
    await tx.networks.allocatePublic(ctx.account.appId, made.map((a) => ({ ip: a.ip, instanceId: a.addressId })));
    await tx.addresses.insert(made);
    const ids = made.map((a) => a.addressId);
    return { AddressSet: ids, TaskId: String(await recordTask(tx, ctx, ctx.action, ids, p.ClientToken ?? null)) };
  }, ctx.account.appId);
});

export const describeAddresses = action<vpc.DescribeAddressesRequest, vpc.DescribeAddressesResponse>("vpc", "DescribeAddresses", async (ctx, p, deps) => {
  const { offset, limit } = paging(p);
  if ((p.Filters ?? []).length > 10) throw fail("LimitExceeded.NumberOfFilters", "At most 10 filters.", "过滤条件最多 10 个。");
  if (p.AddressIds?.length && p.Filters?.some((f) => f.Name === "address-id")) {
    throw fail("InvalidParameter", "AddressIds and the address-id filter cannot be given together.", "AddressIds 与 address-id 过滤条件不能同时指定。");
  }
  for (const [i, id] of (p.AddressIds ?? []).entries()) {
    if (!isIdOf("eip", id)) throw invalid("InvalidParameterValue.AddressIdMalformed", `AddressIds.${i}`, id, "expected eip-xxxxxxxx", "格式应为 eip-xxxxxxxx");
  }
  const matchers: Record<string, (a: AddressRecord, v: string) => boolean> = {
    "address-id": (a, v) => a.addressId === v,
    "address-name": (a, v) => a.name.includes(v),
    "address-ip": (a, v) => a.ip === v,
    "address-status": (a, v) => a.status === v,
    "instance-id": (a, v) => a.instanceId === v,
    "address-type": (_a, v) => v === "EIP",
    // Terraform asks for CDC addresses when one is not found elsewhere: OpenCVM's are ordinary ones, of no business.
    "business-type": () => false,
    "is-arrears": (_a, v) => v.toUpperCase() === "FALSE",
    "tag-key": (a, v) => a.tags.some((t) => t.key === v),
  };
  let found = await deps.store.addresses.list(ctx.account.appId, ctx.region!);
  if (p.AddressIds?.length) found = found.filter((a) => p.AddressIds!.includes(a.addressId));
  for (const [i, f] of (p.Filters ?? []).entries()) {
    const key = f.Name.startsWith("tag:") ? f.Name.slice(4) : undefined;
    const match = key ? (a: AddressRecord, v: string) => a.tags.some((t) => t.key === key && t.value === v) : Object.hasOwn(matchers, f.Name) ? matchers[f.Name] : undefined;
    if (!match) throw fail("InvalidParameter.InvalidFilter", `Unknown filter \`${f.Name}\` (Filters.${i}); use ${Object.keys(matchers).join(", ")} or tag:<key>.`, `不支持过滤条件 \`${f.Name}\`（Filters.${i}）。`);
    if (f.Values.length > 100) throw fail("InvalidParameterValue.LimitExceeded", `Filter \`${f.Name}\` takes at most 100 values.`, `过滤条件 \`${f.Name}\` 最多 100 个取值。`);
    found = found.filter((a) => f.Values.some((v) => match(a, v)));
  }
  const page = found.slice(offset, offset + limit);
  const bound = await deps.store.instances.getMany(page.flatMap((a) => (a.instanceId ? [a.instanceId] : [])));
  const privateIp = new Map(bound.map((i) => [i.instanceId, i.privateIp]));
  return { TotalCount: found.length, AddressSet: page.map((a) => view(a, (a.instanceId && privateIp.get(a.instanceId)) || null)) };
});

export const associateAddress = action<vpc.AssociateAddressRequest, vpc.AssociateAddressResponse>("vpc", "AssociateAddress", async (ctx, p, deps) => {
  if (p.NetworkInterfaceId !== undefined || p.PrivateIpAddress !== undefined) throw invalid("InvalidParameterValue.ResourceNotSupport", "NetworkInterfaceId", p.NetworkInterfaceId ?? p.PrivateIpAddress, "OpenCVM binds EIPs to instances only", "OpenCVM 仅支持将弹性公网 IP 绑定到实例");
  return deps.store.transaction(async (tx) => {
    const address = await ownAddress(tx, ctx, p.AddressId, "AddressId");
    if (!p.InstanceId) throw fail("InvalidParameterValue.MissingAssociateEntity", "Give the `InstanceId` to bind the EIP to.", "请指定要绑定的 `InstanceId`。");
    refuseIsolated(ctx.action, address, "AddressId");
    if (address.status !== "UNBIND") throw invalid("UnsupportedOperation.AddressStatusNotPermit", "AddressId", p.AddressId, `the EIP is ${address.status} (to ${address.instanceId})`, `该弹性公网 IP 处于 ${address.status} 状态`);
    const instance = await ownInstance(tx, ctx, p.InstanceId!);
    if (instance.state !== "RUNNING" && instance.state !== "STOPPED") {
      throw invalid("InvalidParameterValue.InvalidInstanceState", "InstanceId", p.InstanceId, `the instance is ${instance.state}`, `实例处于 ${instance.state} 状态`);
    }
    if (await tx.addresses.byInstance(instance.instanceId)) throw invalid("InvalidInstanceId.AlreadyBindEip", "InstanceId", p.InstanceId, "the instance has an EIP already", "该实例已绑定弹性公网 IP");
    // As in the real cloud, binding an EIP releases the instance's ordinary public address.
    if (instance.publicIp) await tx.networks.releasePublicIp(instance.publicIp);
    await tx.instances.update(instance.instanceId, { publicIp: address.ip });
    await tx.addresses.update({ ...address, status: "BIND", instanceId: instance.instanceId });
    return { TaskId: String(await recordTask(tx, ctx, ctx.action, [address.addressId])) };
  }, ctx.account.appId);
});

export const disassociateAddress = action<vpc.DisassociateAddressRequest, vpc.DisassociateAddressResponse>("vpc", "DisassociateAddress", async (ctx, p, deps) => {
  return deps.store.transaction(async (tx) => {
    const address = await ownAddress(tx, ctx, p.AddressId, "AddressId");
    if (address.status !== "BIND" || !address.instanceId) throw invalid("InvalidAddressIdStatus.NotPermit", "AddressId", p.AddressId, "the EIP is not bound", "该弹性公网 IP 未绑定");
    const fresh = p.ReallocateNormalPublicIp ? (await freePublicAddresses(tx, deps.config, 1))[0] : null;
    if (fresh) await tx.networks.allocatePublic(ctx.account.appId, [{ ip: fresh, instanceId: address.instanceId }]);
    await tx.instances.update(address.instanceId, { publicIp: fresh });
    await tx.addresses.update({ ...address, status: "UNBIND", instanceId: null });
    return { TaskId: String(await recordTask(tx, ctx, ctx.action, [address.addressId])) };
  }, ctx.account.appId);
});

export const releaseAddresses = action<vpc.ReleaseAddressesRequest, vpc.ReleaseAddressesResponse>("vpc", "ReleaseAddresses", async (ctx, p, deps) => {
  return deps.store.transaction(async (tx) => {
    for (const [i, id] of p.AddressIds.entries()) {
      const address = await ownAddress(tx, ctx, id, `AddressIds.${i}`);
      if (address.status !== "UNBIND") throw invalid("InvalidAddressState", `AddressIds.${i}`, id, `the EIP is bound to ${address.instanceId}; unbind it first`, `该弹性公网 IP 已绑定 ${address.instanceId}，请先解绑`);
      if (isolatesOnRelease(address, ctx.now)) {
        await isolate(tx, deps, ctx, address);
        continue;
      }
      await tx.networks.releasePublicIp(address.ip);
      await tx.addresses.remove(address.addressId);
    }
    return { TaskId: String(await recordTask(tx, ctx, ctx.action, p.AddressIds)) };
  }, ctx.account.appId);
});

export const modifyAddressAttribute = action<vpc.ModifyAddressAttributeRequest, vpc.ModifyAddressAttributeResponse>("vpc", "ModifyAddressAttribute", async (ctx, p, deps) => {
  if (p.EipDirectConnection !== undefined) throw invalid("UnsupportedOperation.ModifyAddressAttribute", "EipDirectConnection", p.EipDirectConnection, "OpenCVM has no direct-connection EIPs", "OpenCVM 不支持 EIP 直通");
  const address = await ownAddress(deps.store, ctx, p.AddressId, "AddressId");
  if (p.AddressName !== undefined && p.AddressName.length > MAX_NAME) throw invalid("InvalidParameterValue.TooLong", "AddressName", p.AddressName, `at most ${MAX_NAME} characters`, `最多 ${MAX_NAME} 个字符`);
  await deps.store.addresses.update({ ...address, name: p.AddressName ?? address.name });
  return {};
});

export const modifyAddressesBandwidth = action<vpc.ModifyAddressesBandwidthRequest, vpc.ModifyAddressesBandwidthResponse>("vpc", "ModifyAddressesBandwidth", async (ctx, p, deps) => {
  if (p.StartTime !== undefined || p.EndTime !== undefined) throw invalid("InvalidParameterValue.ResourceNotSupport", "StartTime", p.StartTime ?? p.EndTime, "applies to monthly bandwidth, which OpenCVM does not sell", "仅适用于包月带宽，OpenCVM 不支持");
  checkBandwidth(p.InternetMaxBandwidthOut, "InternetMaxBandwidthOut", ctx.action);
  return deps.store.transaction(async (tx) => {
    for (const [i, id] of p.AddressIds.entries()) {
      const address = await ownAddress(tx, ctx, id, `AddressIds.${i}`);
      refuseIsolated(ctx.action, address, `AddressIds.${i}`);
      await payBandwidthChange(tx, deps, ctx, address, p.InternetMaxBandwidthOut);
      await tx.addresses.update({ ...address, bandwidth: p.InternetMaxBandwidthOut });
    }
    return { TaskId: String(await recordTask(tx, ctx, ctx.action, p.AddressIds)) };
  }, ctx.account.appId);
});

export const describeAddressQuota = action<vpc.DescribeAddressQuotaRequest, vpc.DescribeAddressQuotaResponse>("vpc", "DescribeAddressQuota", async (ctx, _p, deps) => {
  const held = (await deps.store.addresses.list(ctx.account.appId, ctx.region!)).length;
  return { QuotaSet: [{ QuotaId: "TOTAL_EIP_QUOTA", QuotaCurrent: held, QuotaLimit: EIP_QUOTA }] };
});

export const transformAddress = action<vpc.TransformAddressRequest, vpc.TransformAddressResponse>("vpc", "TransformAddress", async (ctx, p, deps) => {
  const addressId = randomId("eip");
  return deps.store.transaction(async (tx) => {
    const instance = await ownInstance(tx, ctx, p.InstanceId);
    if (instance.state !== "RUNNING" && instance.state !== "STOPPED") {
      throw invalid("InvalidParameterValue.InvalidInstanceState", "InstanceId", p.InstanceId, `the instance is ${instance.state}`, `实例处于 ${instance.state} 状态`);
    }
    if (await tx.addresses.byInstance(instance.instanceId)) throw invalid("InvalidInstanceId.AlreadyBindEip", "InstanceId", p.InstanceId, "the instance's address is an EIP already", "该实例的公网 IP 已是弹性公网 IP");
    if (!instance.publicIp) throw invalid("InvalidParameterValue.InstanceNoWanIP", "InstanceId", p.InstanceId, "the instance has no public address", "该实例没有公网 IP");
    if ((await tx.addresses.list(ctx.account.appId, ctx.region!)).length >= EIP_QUOTA) {
      throw fail("AddressQuotaLimitExceeded", `You hold ${EIP_QUOTA} EIPs in ${ctx.region}, the quota.`, `您在 ${ctx.region} 的弹性公网 IP 已达配额 ${EIP_QUOTA} 个。`);
    }
    await tx.networks.setPublicHolder(instance.publicIp, addressId);
    await tx.addresses.insert([
      {
        addressId,
        appId: ctx.account.appId,
        region: ctx.region!,
        ip: instance.publicIp,
        status: "BIND",
        instanceId: instance.instanceId,
        createdAt: isoSeconds(ctx.now),
        name: "",
        bandwidth: instance.doc.InternetAccessible.InternetMaxBandwidthOut,
        chargeType: instance.doc.InternetAccessible.InternetChargeType,
        tags: [],
      },
    ]);
    return { TaskId: await recordTask(tx, ctx, ctx.action, [addressId]), AddressId: addressId };
  }, ctx.account.appId);
});
