// Resource pool packs: PurchaseResourcePoolPacks, InquirePricePurchaseResourcePoolPacks, DescribeResourcePoolPacks,
// DescribeResourcePoolPackTypeConfigs, DescribeResourcePoolPackInstances and TerminateResourcePoolPacks. A pack is one
// whole machine of a family (its largest type) in a zone, paid for its term up front; pay-as-you-go instances of the
// family draw on it (pack-placement.ts) and their compute is then not billed by the hour (billing/rating.ts).
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { billedPack, chargeInstance, packTermPrice } from "../../../billing/ledger.js";
import { leavePacks } from "../../../instances/pack-release.js";
import { addMonths, isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { randomId } from "../../../domain/ids.js";
import { proRata, remainingDays, upfrontItem } from "../../../domain/pricing.js";
import type { PoolPackRecord } from "../../../store/store.js";
import { documentedCode, invalid } from "../../shared/refusals.js";
import { typeConfig } from "../catalog/instance-type-configs.js";
import { checkInstanceType, checkRenewFlag, DEFAULT_RENEW_FLAG } from "../instances/instance-inputs.js";
import { checkPackIds, findPacks, packTypes } from "./pack-inputs.js";

const MAX_COUNT = 100;
const MAX_PERIOD = 60;
const MAX_NAME = 60;
const MAX_FILTERS = 10;
const PACK_NAME = /^[\p{Script=Han}A-Za-z0-9_-]+$/u;

interface PackPurchase {
  zone: string;
  type: { instanceType: string; family: string; cpu: number; memory: number };
  count: number;
  period: number;
  price: { original: number; discounted: number; discount: number };
}

/** What a purchase (or its inquiry) asks for: a zone of the region, a pack type it sells in stock, a count and a term. */
function checkPurchase(ctx: RequestContext, deps: Deps, p: Pick<cvm.PurchaseResourcePoolPacksRequest, "Zone" | "InstanceType" | "InstanceCount" | "Period">): PackPurchase {
  const region = ctx.region!;
  const zone = deps.catalog.zone(region, p.Zone);
  if (!zone) throw invalid("InvalidZone.MismatchRegion", "Zone", p.Zone, `it is not a zone of ${region}`, `不是 ${region} 的可用区`);
  const type = checkInstanceType(deps.catalog, p.InstanceType, "InstanceType", ctx.action);
  if (!packTypes(deps.catalog, zone.zone).some((t) => t.instanceType === type.instanceType)) {
    const sold = packTypes(deps.catalog, zone.zone).map((t) => t.instanceType);
    throw invalid("InvalidParameter.InstanceTypeNotSupport", "InstanceType", type.instanceType, `a pack is a family's whole machine; ${zone.zone} sells ${sold.join(", ") || "none"}`, `资源池仅支持整机规格；${zone.zone} 可选 ${sold.join("、") || "无"}`);
  }
  if (zone.state !== "AVAILABLE" || type.zones[zone.zone] !== "SELL") {
    throw invalid(documentedCode(ctx.action, ["ResourceInsufficient.SpecifiedInstanceType"]), "InstanceType", type.instanceType, `it is sold out in ${zone.zone}`, `该规格在 ${zone.zone} 已售罄`);
  }
  if (p.InstanceCount < 1 || p.InstanceCount > MAX_COUNT) throw invalid("InvalidParameterValue.Range", "InstanceCount", p.InstanceCount, `it must be between 1 and ${MAX_COUNT}`, `取值范围为 1 到 ${MAX_COUNT}`);
  if (!Number.isInteger(p.Period) || p.Period < 1 || p.Period > MAX_PERIOD) throw invalid("InvalidPeriod", "Period", p.Period, `use 1-${MAX_PERIOD} months`, `取值范围为 1-${MAX_PERIOD}（月）`);
  const price = packTermPrice(deps.catalog, region, type.instanceType, p.Period, p.InstanceCount);
  if (!price) throw invalid("InvalidParameter.InstanceTypeNotSupport", "InstanceType", type.instanceType, `it has no monthly price in ${region}`, `该规格在 ${region} 无包月价格`);
  return { zone: zone.zone, type, count: p.InstanceCount, period: p.Period, price };
}

function packView(p: PoolPackRecord, used: { cpu: number; memory: number }): cvm.ResourcePoolPack {
  return {
    DedicatedResourcePackId: p.packId,
    DedicatedResourcePackName: p.packName,
    Zone: p.zone,
    InstanceType: p.instanceType,
    InstanceFamily: p.instanceFamily,
    ResourcePoolPackType: p.packType,
    Status: p.status,
    TotalCapacity: { Cpu: p.cpu, Memory: p.memory, Gpu: 0, Disk: 0 },
    AvailableCapacity: { Cpu: p.cpu - used.cpu, Memory: p.memory - used.memory, Gpu: 0, Disk: 0 },
    // The real cloud shows the machine's place encrypted; a simulated pack has none.
    HostIp: "",
    RackId: "",
    SwitchId: "",
    AutoPlacement: p.autoPlacement,
    RenewFlag: p.renewFlag,
    StartTime: p.startTime,
    EndTime: p.endTime,
  };
}

export const inquirePricePurchaseResourcePoolPacks = action<cvm.InquirePricePurchaseResourcePoolPacksRequest, cvm.InquirePricePurchaseResourcePoolPacksResponse>(
  "cvm",
  "InquirePricePurchaseResourcePoolPacks",
  (ctx, p, deps) => {
    const { price } = checkPurchase(ctx, deps, p);
    return { Price: upfrontItem(price.original, price.discounted, price.discount) };
  },
);

export const purchaseResourcePoolPacks = action<cvm.PurchaseResourcePoolPacksRequest, cvm.PurchaseResourcePoolPacksResponse>("cvm", "PurchaseResourcePoolPacks", async (ctx, p, deps) => {
  const bought = checkPurchase(ctx, deps, p);
  const packType = p.ResourcePoolPackType ?? "EXCLUSIVE";
  if (packType !== "EXCLUSIVE") throw invalid("InvalidParameterValue.ResourcePoolPackTypeNotSupported", "ResourcePoolPackType", packType, "only EXCLUSIVE packs are sold", "仅支持独享（EXCLUSIVE）类型");
  const name = p.DedicatedResourcePoolPackName ?? "未命名";
  if (name.length < 1 || name.length > MAX_NAME || !PACK_NAME.test(name)) {
    throw invalid("InvalidParameterValue.DedicatedResourcePackName", "DedicatedResourcePoolPackName", name, `1-${MAX_NAME} letters, digits, Chinese characters, - and _`, `1-${MAX_NAME} 个中文、英文、数字、- 或 _`);
  }
  const renewFlag = checkRenewFlag(p.RenewFlag ?? DEFAULT_RENEW_FLAG, "RenewFlag");
  if (p.DryRun) return { DedicatedResourcePackIdSet: [] };
  const startTime = isoSeconds(ctx.now);
  const endTime = addMonths(startTime, bought.period);
  const packs: PoolPackRecord[] = Array.from({ length: bought.count }, () => ({
    packId: randomId("rpp"),
    appId: ctx.account.appId,
    region: ctx.region!,
    zone: bought.zone,
    packName: name,
    instanceType: bought.type.instanceType,
    instanceFamily: bought.type.family,
    packType,
    status: "ACTIVE",
    cpu: bought.type.cpu,
    memory: bought.type.memory,
    autoPlacement: p.AutoPlacement ?? true,
    renewFlag,
    startTime,
    endTime,
  }));
  const each = packTermPrice(deps.catalog, ctx.region!, bought.type.instanceType, bought.period, 1)!;
  await deps.store.transaction(async (tx) => {
    await tx.poolPacks.insert(packs);
    for (const pack of packs) {
      await chargeInstance(tx, deps, ctx.now, { instance: billedPack(pack), actionType: "pre_purchase", amount: each.discounted, months: bought.period, from: startTime, to: endTime });
    }
  });
  return { DedicatedResourcePackIdSet: packs.map((x) => x.packId) };
});

export const describeResourcePoolPacks = action<cvm.DescribeResourcePoolPacksRequest, cvm.DescribeResourcePoolPacksResponse>("cvm", "DescribeResourcePoolPacks", async (ctx, p, deps) => {
  const max = p.MaxResults ?? 10;
  if (max < 10 || max > 100) throw invalid("InvalidParameterValue.LimitExceeded", "MaxResults", max, "it must be between 10 and 100", "取值范围为 10 到 100");
  const offset = p.NextToken === undefined || p.NextToken === "" ? 0 : Number(p.NextToken);
  if (!Number.isInteger(offset) || offset < 0) throw invalid("InvalidParameterValue", "NextToken", p.NextToken, "not a token this listing gave", "不是本接口返回的分页标记");
  const filters = p.Filters ?? [];
  if (filters.length > MAX_FILTERS) throw fail("InvalidFilterValue.LimitExceeded", `At most ${MAX_FILTERS} filters, not ${filters.length}.`, `过滤条件最多 ${MAX_FILTERS} 个，当前 ${filters.length} 个。`);
  const tests = filters.map(({ Name: name, Values: values }, i): ((x: PoolPackRecord) => boolean) => {
    switch (name) {
      case "dedicated-resource-pack-id":
        checkPackIds(values, `Filters.${i}.Values`);
        return (x) => values.includes(x.packId);
      case "zone": {
        const foreign = values.find((z) => !deps.catalog.zone(ctx.region!, z));
        if (foreign !== undefined) throw invalid("InvalidZone.MismatchRegion", `Filters.${i}.Values`, foreign, `it is not a zone of ${ctx.region}`, `不是 ${ctx.region} 的可用区`);
        return (x) => values.includes(x.zone);
      }
      case "instance-family":
        return (x) => values.includes(x.instanceFamily);
      case "instance-type":
        return (x) => values.includes(x.instanceType);
      case "status":
        return (x) => values.includes(x.status);
    }
    throw fail("InvalidFilter", `Unknown filter \`${name}\`; DescribeResourcePoolPacks filters on dedicated-resource-pack-id, zone, instance-family, instance-type, status.`, `不支持过滤条件 \`${name}\`。`);
  });
  const packs = (await deps.store.poolPacks.list(ctx.account.appId, ctx.region!)).filter((x) => tests.every((t) => t(x)));
  const page = packs.slice(offset, offset + max);
  const usage = await deps.store.poolPacks.usage(page.map((x) => x.packId));
  const next = offset + max < packs.length ? String(offset + max) : null;
  return { DedicatedResourcePackSet: page.map((x) => packView(x, usage.get(x.packId)!)), NextToken: next };
});

export const describeResourcePoolPackTypeConfigs = action<cvm.DescribeResourcePoolPackTypeConfigsRequest, cvm.DescribeResourcePoolPackTypeConfigsResponse>("cvm", "DescribeResourcePoolPackTypeConfigs", (ctx, p, deps) => {
  if (p.Filters.length > MAX_FILTERS) throw fail("InvalidFilterValue.LimitExceeded", `At most ${MAX_FILTERS} filters, not ${p.Filters.length}.`, `过滤条件最多 ${MAX_FILTERS} 个，当前 ${p.Filters.length} 个。`);
  const values = (name: string) => p.Filters.filter((f) => f.Name === name).flatMap((f) => f.Values);
  const unknown = p.Filters.find((f) => !["zone", "instance-family", "instance-type"].includes(f.Name));
  if (unknown) throw fail("InvalidFilter", `Unknown filter \`${unknown.Name}\`; this action filters on zone, instance-family and instance-type.`, `不支持过滤条件 \`${unknown.Name}\`。`);
  const zones = values("zone");
  if (zones.length === 0) throw fail("MissingParameter", "The `zone` filter is required.", "必须指定 `zone` 过滤条件。");
  const foreign = zones.find((z) => !deps.catalog.zone(ctx.region!, z));
  if (foreign !== undefined) throw invalid("InvalidParameterValue", "Filters.zone", foreign, `it is not a zone of ${ctx.region}`, `不是 ${ctx.region} 的可用区`);
  const families = values("instance-family");
  const types = values("instance-type");
  const out = zones.flatMap((zone) =>
    packTypes(deps.catalog, zone)
      .filter((t) => (!families.length || families.includes(t.family)) && (!types.length || types.includes(t.instanceType)))
      .map((t) => typeConfig(zone, t)),
  );
  return { InstanceTypeConfigSet: out };
});

export const describeResourcePoolPackInstances = action<cvm.DescribeResourcePoolPackInstancesRequest, cvm.DescribeResourcePoolPackInstancesResponse>("cvm", "DescribeResourcePoolPackInstances", async (ctx, p, deps) => {
  const packs = await findPacks(deps.store, ctx, p.DedicatedResourcePackIds, "DedicatedResourcePackIds", "InvalidParameterValue");
  const usage = await deps.store.poolPacks.usage(packs.map((x) => x.packId));
  return {
    DedicatedResourcePackInstanceSet: packs.map((x) => ({ DedicatedResourcePackId: x.packId, InstanceIdSet: usage.get(x.packId)!.instanceIds, InstanceFamily: x.instanceFamily, InstanceType: x.instanceType, Zone: x.zone })),
  };
});

export const terminateResourcePoolPacks = action<cvm.TerminateResourcePoolPacksRequest, cvm.TerminateResourcePoolPacksResponse>("cvm", "TerminateResourcePoolPacks", async (ctx, p, deps) => {
  await deps.store.transaction(async (tx) => {
    const packs = await findPacks(tx, ctx, p.DedicatedResourcePackIds, "DedicatedResourcePackIds", "ResourceNotFound.ResourcePoolPackIdNotFound");
    const retired = packs.find((x) => x.status !== "ACTIVE");
    if (retired) throw invalid("InvalidParameterValue.ResourcePoolPackStatus", "DedicatedResourcePackIds", retired.packId, `the pack is ${retired.status}`, `该实例资源池状态为 ${retired.status}`);
    // As documented: the instances are not destroyed but run on in the public pool (billed by the hour from now),
    // and the pack's record goes. What is left of the term paid up front is refunded, by the day as for a monthly
    // instance returned early.
    await leavePacks(tx, packs.map((x) => x.packId));
    for (const x of packs) {
      const monthly = packTermPrice(deps.catalog, x.region, x.instanceType, 1)?.original ?? 0;
      const refund = proRata(monthly, remainingDays(ctx.now, x.endTime));
      await chargeInstance(tx, deps, ctx.now, { instance: billedPack(x), actionType: "pre_refund", amount: -refund, from: isoSeconds(ctx.now), to: x.endTime });
    }
    await tx.poolPacks.remove(packs.map((x) => x.packId));
  }, ctx.account.appId);
  return {};
});
