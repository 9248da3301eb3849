// The catalog's answers: DescribeInstanceTypeConfigs (which types each zone offers), DescribeZoneInstanceConfigInfos
// (what each zone sells, per charge type, with its price and SELL/SOLD_OUT status), DescribeInstanceFamilyConfigs,
// DescribeInternetChargeTypeConfigs, and DescribeInstanceInternetBandwidthConfigs (an instance's BANDWIDTH_PREPAID
// settings over time). What these say is sold is exactly what RunInstances accepts: SELL means a launch there
// succeeds; a SOLD_OUT item's SoldOutReason is the code RunInstances refuses it with.
import { action, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { INSTANCE_TYPE_NAME } from "../../../domain/catalog-file.js";
import { INSTANCE_CHARGE_TYPES, type Catalog, type InstanceTypeEntry, type RegionEntry } from "../../../domain/catalog.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { listPrice } from "../../../domain/pricing.js";
import { namedInstances } from "../instances/instance-operations.js";

export function typeConfig(zone: string, t: InstanceTypeEntry): cvm.InstanceTypeConfig {
  return {
    Zone: zone,
    InstanceType: t.instanceType,
    InstanceFamily: t.family,
    GPU: t.gpu ? Math.ceil(t.gpu.count) : 0,
    CPU: t.cpu,
    Memory: t.memory,
    FPGA: t.fpga,
    GpuCount: t.gpu?.count ?? 0,
    ...(t.gpu ? { GpuType: t.gpu.type, GpuMemory: t.gpu.memory } : {}),
  };
}

interface FilterRules {
  action: string;
  names: readonly string[];
  maxFilters: number;
  maxValues: number;
}

/** The filters' values by name (filters of one name AND together: the values both allow), checked for shape. */
function readFilters(filters: readonly cvm.FilterIn[], rules: FilterRules): Map<string, Set<string>> {
  if (filters.length > rules.maxFilters) {
    throw fail("InvalidFilterValue.LimitExceeded", `\`Filters\` takes at most ${rules.maxFilters} filters, not ${filters.length}.`, `\`Filters\` 最多 ${rules.maxFilters} 个过滤条件，当前 ${filters.length} 个。`);
  }
  const out = new Map<string, Set<string>>();
  filters.forEach((f, i) => {
    if (!rules.names.includes(f.Name)) {
      throw fail("InvalidFilter", `\`Filters.${i}.Name\` = \`${f.Name}\`: ${rules.action} filters by ${rules.names.join(", ")}.`, `\`Filters.${i}.Name\` = \`${f.Name}\`：${rules.action} 支持的过滤条件为 ${rules.names.join("、")}。`);
    }
    if (f.Values.length > rules.maxValues) {
      throw fail("InvalidFilterValue.LimitExceeded", `\`Filters.${i}.Values\` takes at most ${rules.maxValues} value${rules.maxValues > 1 ? "s" : ""}, not ${f.Values.length}.`, `\`Filters.${i}.Values\` 最多 ${rules.maxValues} 个取值，当前 ${f.Values.length} 个。`);
    }
    const these = new Set(f.Values);
    const before = out.get(f.Name);
    out.set(f.Name, before ? new Set([...before].filter((v) => these.has(v))) : these);
  });
  return out;
}

/** Zone names must be zones of the request's region; instance types must be well formed. */
function checkFilterValues(region: RegionEntry, filters: readonly cvm.FilterIn[]): void {
  filters.forEach((f, i) => {
    f.Values.forEach((v, j) => {
      if (f.Name === "zone" && !region.zones.some((z) => z.zone === v)) {
        throw fail("InvalidZone.MismatchRegion", `\`Filters.${i}.Values.${j}\` = \`${v}\`: not a zone of ${region.region}.`, `\`Filters.${i}.Values.${j}\` = \`${v}\`：不是 ${region.region} 的可用区。`);
      }
      if (f.Name === "instance-type" && !INSTANCE_TYPE_NAME.test(v)) {
        throw fail("InvalidInstanceType.Malformed", `\`Filters.${i}.Values.${j}\` = \`${v}\`: expected a type such as S5.MEDIUM4.`, `\`Filters.${i}.Values.${j}\` = \`${v}\`：格式应如 S5.MEDIUM4。`);
      }
    });
  });
}

const allows = (wanted: Map<string, Set<string>>, name: string, value: string) => !wanted.has(name) || wanted.get(name)!.has(value);

/** Every (zone, type) the region offers, zone by zone in catalog order, that the filters let through. */
function offered(catalog: Catalog, region: RegionEntry, wanted: Map<string, Set<string>>): { zone: RegionEntry["zones"][number]; type: InstanceTypeEntry }[] {
  const out: { zone: RegionEntry["zones"][number]; type: InstanceTypeEntry }[] = [];
  for (const zone of region.zones) {
    if (!allows(wanted, "zone", zone.zone)) continue;
    for (const type of catalog.instanceTypes()) {
      if (catalog.stock(zone.zone, type.instanceType) === undefined) continue;
      if (allows(wanted, "instance-family", type.family) && allows(wanted, "instance-type", type.instanceType)) out.push({ zone, type });
    }
  }
  return out;
}

export const describeInstanceTypeConfigs = action<cvm.DescribeInstanceTypeConfigsRequest, cvm.DescribeInstanceTypeConfigsResponse>(
  "cvm",
  "DescribeInstanceTypeConfigs",
  (ctx, p, { catalog }) => {
    const region = catalog.region(ctx.region!)!;
    // Documented: at most 10 filters, one value each.
    const filters = p.Filters ?? [];
    const wanted = readFilters(filters, { action: ctx.action, names: ["zone", "instance-family", "instance-type"], maxFilters: 10, maxValues: 1 });
    checkFilterValues(region, filters);
    return { InstanceTypeConfigSet: offered(catalog, region, wanted).map(({ zone, type }) => typeConfig(zone.zone, type)) };
  },
);

/** The charge types the filter may name: those OpenCVM sells, and those the API knows it does not. */
const QUOTA_CHARGE_TYPES = [...INSTANCE_CHARGE_TYPES, "CDHPAID", "CDCPAID"];
const SORT_KEY = /^(cpu|mem):(asc|desc)$/;

export const describeZoneInstanceConfigInfos = action<cvm.DescribeZoneInstanceConfigInfosRequest, cvm.DescribeZoneInstanceConfigInfosResponse>(
  "cvm",
  "DescribeZoneInstanceConfigInfos",
  (ctx, p, { catalog }) => {
    const region = catalog.region(ctx.region!)!;
    // Documented: at most 10 filters of at most 100 values.
    const filters = p.Filters ?? [];
    const wanted = readFilters(filters, {
      action: ctx.action,
      names: ["zone", "instance-family", "instance-type", "instance-charge-type", "sort-keys"],
      maxFilters: 10,
      maxValues: 100,
    });
    checkFilterValues(region, filters);
    filters.forEach((f, i) =>
      f.Values.forEach((v, j) => {
        if (f.Name === "instance-charge-type" && !QUOTA_CHARGE_TYPES.includes(v)) {
          throw fail("InvalidParameterValue", `\`Filters.${i}.Values.${j}\` = \`${v}\`: use one of ${QUOTA_CHARGE_TYPES.join(", ")}.`, `\`Filters.${i}.Values.${j}\` = \`${v}\`：取值应为 ${QUOTA_CHARGE_TYPES.join("、")}。`);
        }
        if (f.Name === "sort-keys" && !SORT_KEY.test(v)) {
          throw fail("InvalidParameterValue", `\`Filters.${i}.Values.${j}\` = \`${v}\`: a sort key is cpu or mem, a colon, and asc or desc (e.g. cpu:desc).`, `\`Filters.${i}.Values.${j}\` = \`${v}\`：排序关键字为 cpu 或 mem 加冒号和 asc 或 desc（如 cpu:desc）。`);
        }
      }),
    );
    const table = catalog.prices(region.region);
    const items: cvm.InstanceTypeQuotaItem[] = [];
    for (const { zone, type } of offered(catalog, region, wanted)) {
      for (const chargeType of catalog.chargeTypes(region.region, type.instanceType)) {
        if (!allows(wanted, "instance-charge-type", chargeType)) continue;
        const soldOut = zone.state !== "AVAILABLE" ? "ResourceInsufficient.AvailabilityZoneSoldOut" : catalog.stock(zone.zone, type.instanceType) === "SOLD_OUT" ? "ResourcesSoldOut.SpecifiedInstanceType" : "";
        items.push(quotaItem(ctx, zone.zone, type, chargeType, listPrice(table!, (m) => catalog.prepaidDiscount(m), type.instanceType, chargeType), soldOut));
      }
    }
    // Sort keys in the order given; the sort is stable, so catalog order breaks ties.
    const keys = [...(p.Filters ?? []).filter((f) => f.Name === "sort-keys").flatMap((f) => f.Values)];
    items.sort((a, b) => {
      for (const k of keys) {
        const [field, dir] = k.split(":");
        const d = field === "cpu" ? a.Cpu - b.Cpu : a.Memory - b.Memory;
        if (d !== 0) return dir === "asc" ? d : -d;
      }
      return 0;
    });
    return { InstanceTypeQuotaSet: items };
  },
);

function quotaItem(ctx: RequestContext, zone: string, t: InstanceTypeEntry, chargeType: string, price: cvm.ItemPrice, soldOut: string): cvm.InstanceTypeQuotaItem {
  return {
    Zone: zone,
    InstanceType: t.instanceType,
    InstanceChargeType: chargeType,
    NetworkCard: t.network.networkCard,
    Externals: {},
    Cpu: t.cpu,
    Memory: t.memory,
    InstanceFamily: t.family,
    TypeName: t.familyName[ctx.language],
    LocalDiskTypeList: t.localDisks.map((d) => ({ Type: d.diskType, PartitionType: d.partition, MinSize: d.min, MaxSize: d.max, Required: d.required ? "REQUIRED" : "OPTIONAL" })),
    Status: soldOut ? "SOLD_OUT" : "SELL",
    Price: price,
    SoldOutReason: soldOut,
    InstanceBandwidth: t.network.bandwidth,
    InstancePps: t.network.pps,
    StorageBlockAmount: 0,
    CpuType: t.cpuType,
    Gpu: t.gpu ? Math.ceil(t.gpu.count) : 0,
    Fpga: t.fpga,
    Remark: t.remark,
    GpuCount: t.gpu?.count ?? 0,
    Frequency: t.frequency,
    StatusCategory: soldOut ? "WithoutStock" : "EnoughStock",
  };
}

export const describeInstanceFamilyConfigs = action<cvm.DescribeInstanceFamilyConfigsRequest, cvm.DescribeInstanceFamilyConfigsResponse>(
  "cvm",
  "DescribeInstanceFamilyConfigs",
  (ctx, _p, { catalog }) => {
    // The families some zone of the region offers.
    const zones = catalog.region(ctx.region!)!.zones.map((z) => z.zone);
    const here = new Set(catalog.instanceTypes().filter((t) => zones.some((z) => catalog.stock(z, t.instanceType) !== undefined)).map((t) => t.family));
    return {
      InstanceFamilyConfigSet: catalog
        .families()
        .filter((f) => here.has(f.family))
        .map((f) => ({ InstanceFamily: f.family, InstanceFamilyName: f.name[ctx.language] })),
    };
  },
);

export const describeInternetChargeTypeConfigs = action<cvm.DescribeInternetChargeTypeConfigsRequest, cvm.DescribeInternetChargeTypeConfigsResponse>(
  "cvm",
  "DescribeInternetChargeTypeConfigs",
  (ctx, _p, { catalog }) => ({
    InternetChargeTypeConfigSet: catalog.internetChargeTypes().map((i) => ({ InternetChargeType: i.internetChargeType, Description: i.description[ctx.language] })),
  }),
);

export const describeInstanceInternetBandwidthConfigs = action<cvm.DescribeInstanceInternetBandwidthConfigsRequest, cvm.DescribeInstanceInternetBandwidthConfigsResponse>(
  "cvm",
  "DescribeInstanceInternetBandwidthConfigs",
  async (ctx, p, deps) => {
    const [r] = await namedInstances(ctx, deps.store, [p.InstanceId], "InstanceId");
    const ia = r.doc.InternetAccessible;
    if (ia.InternetChargeType !== "BANDWIDTH_PREPAID") {
      throw fail(
        "InvalidInstance.NotSupported",
        `Instance ${r.instanceId}'s bandwidth is billed ${ia.InternetChargeType}; only BANDWIDTH_PREPAID bandwidth settings are reported.`,
        `实例 ${r.instanceId} 的网络计费模式为 ${ia.InternetChargeType}，仅支持查询 BANDWIDTH_PREPAID 的带宽配置。`,
      );
    }
    // Each setting the store has kept, from when it took effect to when the next did (the last one to the end of the
    // term). An instance from before settings were kept has only its current one, since its creation.
    const history = r.doc.BandwidthHistory ?? [{ Since: r.createdAt, InternetChargeType: ia.InternetChargeType, InternetMaxBandwidthOut: ia.InternetMaxBandwidthOut }];
    const end = r.doc.ExpiredTime ?? isoSeconds(ctx.now);
    const set = history.map((h, i) => ({
      StartTime: h.Since,
      EndTime: history[i + 1]?.Since ?? end,
      InternetAccessible: { InternetChargeType: h.InternetChargeType, InternetMaxBandwidthOut: h.InternetMaxBandwidthOut },
    }));
    return { InternetBandwidthConfigSet: set.filter((c) => c.InternetAccessible.InternetChargeType === "BANDWIDTH_PREPAID") };
  },
);
