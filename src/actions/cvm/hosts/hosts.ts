// Dedicated hosts (CDH): AllocateHosts, DescribeHosts and ModifyHostsAttribute. A host is a physical machine of a
// catalog host type, bought by the month for one account: instances placed on it (RunInstances with
// Placement.HostIds, billed CDHPAID) take its CPU, memory and disk, and only the host is billed.
import { randomInt } from "node:crypto";
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { billedHost, chargeInstance, hostTermPrice } from "../../../billing/ledger.js";
import { addMonths, isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { randomId } from "../../../domain/ids.js";
import type { HostRecord } from "../../../store/store.js";
import { invalid } from "../../shared/refusals.js";
import { checkTags } from "../../shared/tag-inputs.js";
import { checkRenewFlag, DEFAULT_RENEW_FLAG } from "../instances/instance-inputs.js";
import { checkProject } from "../key-pairs/key-pair-inputs.js";
import { hostFilter } from "./host-filters.js";
import { checkHostPrepaid, findHosts } from "./host-inputs.js";
import { hostView } from "./host-view.js";

/** Hosts one AllocateHosts buys at most. */
const MAX_HOST_COUNT = 100;
const DEFAULT_HOST_TYPE = "HS1";
const DEFAULT_HOST_NAME = "未命名";
const MAX_HOST_NAME = 60;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

export const allocateHosts = action<cvm.AllocateHostsRequest, cvm.AllocateHostsResponse>("cvm", "AllocateHosts", async (ctx, p, deps) => {
  const { catalog } = deps;
  const region = ctx.region!;
  const zone = catalog.zone(region, p.Placement.Zone);
  if (!zone) throw invalid("InvalidZone.MismatchRegion", "Placement.Zone", p.Placement.Zone, `it is not a zone of ${region}`, `不是 ${region} 的可用区`);
  if (zone.state !== "AVAILABLE") throw invalid("InvalidParameterValue.ZoneNotSupported", "Placement.Zone", zone.zone, "the zone sells nothing now", "该可用区暂不售卖");
  for (const member of ["HostIds", "HostId", "DedicatedResourcePackTenancy", "DedicatedResourcePackIds", "RackId"] as const) {
    if (p.Placement[member] !== undefined) throw invalid("InvalidParameter", `Placement.${member}`, JSON.stringify(p.Placement[member]), "AllocateHosts places by Zone and ProjectId only", "AllocateHosts 仅按 Zone 与 ProjectId 放置");
  }
  const projectId = checkProject(ctx.action, p.Placement.ProjectId ?? 0);
  const chargeType = p.HostChargeType ?? "PREPAID";
  if (chargeType !== "PREPAID") throw invalid("InvalidParameterValue", "HostChargeType", chargeType, "dedicated hosts are sold PREPAID only", "专用宿主机仅支持包年包月（PREPAID）");
  const { period, renewFlag } = checkHostPrepaid(p.HostChargePrepaid, "HostChargePrepaid");
  const hostType = catalog.hostType(p.HostType ?? DEFAULT_HOST_TYPE);
  if (!hostType) {
    const sold = catalog.hostTypes().map((h) => h.hostType);
    throw invalid("InvalidParameterValue", "HostType", p.HostType, `use one of ${sold.join(", ")}`, `取值应为 ${sold.join("、")}`);
  }
  if (!catalog.sellsHost(zone.zone, hostType)) {
    throw invalid("ResourceInsufficient.ZoneSoldOutForSpecifiedInstance", "HostType", hostType.hostType, `${zone.zone} has no ${hostType.hostType} host to sell`, `${zone.zone} 暂无可售的 ${hostType.hostType} 宿主机`);
  }
  const count = p.HostCount ?? 1;
  if (count < 1 || count > MAX_HOST_COUNT) throw invalid("InvalidParameterValue.Range", "HostCount", count, `it must be between 1 and ${MAX_HOST_COUNT}`, `取值范围为 1 到 ${MAX_HOST_COUNT}`);
  const tags = checkTags(ctx.action, p.TagSpecification, "host", "refuse");
  if (p.ClientToken !== undefined && Buffer.byteLength(p.ClientToken) > 64) throw invalid("InvalidParameterValue", "ClientToken", p.ClientToken, "it must be at most 64 bytes", "长度不能超过 64 字节");

  const ids = await deps.store.transaction(async (tx) => {
    // The same token answers with the hosts it bought, once.
    if (p.ClientToken !== undefined) {
      const earlier = await tx.clientTokens.get(ctx.account.appId, p.ClientToken);
      if (earlier) return earlier;
    }
    const createdAt = isoSeconds(ctx.now);
    const expiredTime = addMonths(createdAt, period);
    const hosts: HostRecord[] = Array.from({ length: count }, () => ({
      hostId: randomId("host"),
      appId: ctx.account.appId,
      region,
      zone: zone.zone,
      hostType: hostType.hostType,
      hostName: DEFAULT_HOST_NAME,
      projectId,
      state: "RUNNING",
      renewFlag: renewFlag ?? DEFAULT_RENEW_FLAG,
      hostIp: `10.${128 + randomInt(128)}.${randomInt(256)}.${1 + randomInt(254)}`,
      cpu: hostType.cpu,
      memory: hostType.memory,
      disk: hostType.disk,
      diskType: hostType.diskType,
      createdAt,
      expiredTime,
      tags,
    }));
    await tx.hosts.insert(hosts);
    const price = hostTermPrice(catalog, hostType.hostType, period)!;
    for (const h of hosts) await chargeInstance(tx, deps, ctx.now, { instance: billedHost(h), actionType: "pre_purchase", amount: price.discounted, months: period, from: createdAt, to: expiredTime });
    const hostIds = hosts.map((h) => h.hostId);
    if (p.ClientToken !== undefined) await tx.clientTokens.put(ctx.account.appId, p.ClientToken, hostIds);
    return hostIds;
  });
  return { HostIdSet: ids };
});

export const describeHosts = action<cvm.DescribeHostsRequest, cvm.DescribeHostsResponse>("cvm", "DescribeHosts", async (ctx, p, deps) => {
  const offset = p.Offset ?? 0;
  const limit = p.Limit ?? DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) throw invalid("InvalidParameterValue", "Limit", limit, `it must be between 0 and ${MAX_LIMIT}`, `取值范围为 0 到 ${MAX_LIMIT}`);
  const matches = hostFilter(ctx, deps.catalog, p.Filters ?? []);
  const hosts = (await deps.store.hosts.list(ctx.account.appId, ctx.region!)).filter(matches);
  const page = hosts.slice(offset, offset + limit);
  const usage = await deps.store.hosts.usage(page.map((h) => h.hostId));
  return { TotalCount: hosts.length, HostSet: page.map((h) => hostView(h, usage.get(h.hostId)!)) };
});

export const modifyHostsAttribute = action<cvm.ModifyHostsAttributeRequest, cvm.ModifyHostsAttributeResponse>("cvm", "ModifyHostsAttribute", async (ctx, p, deps) => {
  if (p.HostName === undefined && p.RenewFlag === undefined && p.ProjectId === undefined) {
    throw fail("MissingParameter", "Give `HostName`, `RenewFlag` or `ProjectId`.", "需指定 `HostName`、`RenewFlag` 或 `ProjectId`。");
  }
  if (p.HostName !== undefined && (p.HostName.length < 1 || p.HostName.length > MAX_HOST_NAME)) {
    throw invalid("InvalidParameterValue", "HostName", p.HostName, `a host name has 1-${MAX_HOST_NAME} characters`, `名称长度为 1-${MAX_HOST_NAME} 个字符`);
  }
  const renewFlag = p.RenewFlag === undefined ? undefined : checkRenewFlag(p.RenewFlag, "RenewFlag");
  const projectId = p.ProjectId === undefined ? undefined : checkProject(ctx.action, p.ProjectId);
  await deps.store.transaction(async (tx) => {
    for (const h of await findHosts(tx, ctx, p.HostIds, "HostIds")) await tx.hosts.update(h.hostId, { hostName: p.HostName, renewFlag, projectId });
  });
  return {};
});
