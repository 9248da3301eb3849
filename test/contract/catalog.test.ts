// The catalog's answers through the official SDK, and their agreement with RunInstances and ResetInstancesType: every
// type DescribeZoneInstanceConfigInfos says a zone sells can be launched there, every sold-out one is refused with the
// code its SoldOutReason names, and every type a zone does not offer is refused too.
import { describe as group, expect, it } from "vitest";
import { defaultCatalogData } from "../../src/catalog/index.js";
import { HPC_FAMILIES } from "../../src/actions/cvm/hpc-clusters/hpc-inputs.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { describe, launch, UBUNTU, waitFor, waitGone } from "../helpers/instances.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const ARM_IMAGE = "img-3la7wgnt";
const catalog = defaultCatalogData();
const typeOf = (name: string) => catalog.instanceTypes.find((t) => t.instanceType === name)!;
const clusters = new Map<string, string>();
/** What a launch of `type` in `zone` needs besides: an HPC family launches into an HPC cluster of the zone. */
async function clusterFor(zone: string, type: string): Promise<{ HpcClusterId?: string }> {
  if (!HPC_FAMILIES.has(typeOf(type).family)) return {};
  if (!clusters.has(zone)) clusters.set(zone, (await cvm.CreateHpcCluster({ Zone: zone, Name: `catalog-${zone}` })).HpcClusterSet![0].HpcClusterId!);
  return { HpcClusterId: clusters.get(zone) };
}
const region = (name: string) => catalog.regions.find((r) => r.region === name)!;

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
}, { OPENCVM_TIMING: "instant" });
// Every refusal of the catalog's actions and of the purchases they must agree with has a documented or common code.
const CHECKED = ["DescribeInstanceTypeConfigs", "DescribeZoneInstanceConfigInfos", "DescribeInstanceFamilyConfigs", "DescribeInternetChargeTypeConfigs", "DescribeInstanceInternetBandwidthConfigs", "RunInstances", "ResetInstancesType"];
everyRefusalDocumented(() => [server.logs], (action) => CHECKED.includes(action));

group("DescribeInstanceTypeConfigs", () => {
  it("lists every type each zone of the region offers, with its CPU, memory and GPUs", async () => {
    const out = await cvm.DescribeInstanceTypeConfigs({});
    const want = region("ap-guangzhou").zones.flatMap((z) => catalog.instanceTypes.filter((t) => t.zones[z.zone]).map((t) => `${z.zone} ${t.instanceType}`));
    expect(out.InstanceTypeConfigSet!.map((c) => `${c.Zone} ${c.InstanceType}`)).toEqual(want);
    expect(out.InstanceTypeConfigSet!.find((c) => c.InstanceType === "S5.MEDIUM4")).toEqual({ Zone: "ap-guangzhou-1", InstanceType: "S5.MEDIUM4", InstanceFamily: "S5", GPU: 0, CPU: 2, Memory: 4, FPGA: 0, GpuCount: 0 });
    expect(out.InstanceTypeConfigSet!.find((c) => c.InstanceType === "GN7.10XLARGE160")).toMatchObject({ GPU: 2, GpuCount: 2, GpuType: "NVIDIA T4", GpuMemory: 16, CPU: 40, Memory: 160 });
  });

  it.each([
    [[{ Name: "zone", Values: ["ap-guangzhou-6"] }, { Name: "instance-family", Values: ["SR1"] }], ["SR1.MEDIUM4", "SR1.LARGE8", "SR1.2XLARGE16", "SR1.4XLARGE32"]],
    [[{ Name: "instance-type", Values: ["C5.LARGE8"] }], ["C5.LARGE8", "C5.LARGE8", "C5.LARGE8"]],
    [[{ Name: "zone", Values: ["ap-guangzhou-3"] }, { Name: "instance-family", Values: ["SR1"] }], []],
    [[{ Name: "instance-type", Values: ["S5.NOPE"] }], []],
  ])("filters %j", async (Filters, types) => {
    const out = await cvm.DescribeInstanceTypeConfigs({ Filters });
    expect(out.InstanceTypeConfigSet!.map((c) => c.InstanceType)).toEqual(types);
  });

  it.each([
    [[{ Name: "zone", Values: ["ap-guangzhou-3", "ap-guangzhou-4"] }], "InvalidFilterValue.LimitExceeded", "Filters.0.Values"],
    [Array.from({ length: 11 }, () => ({ Name: "zone", Values: ["ap-guangzhou-3"] })), "InvalidFilterValue.LimitExceeded", "10"],
    [[{ Name: "instance-charge-type", Values: ["PREPAID"] }], "InvalidFilter", "instance-charge-type"],
    [[{ Name: "zone", Values: ["ap-beijing-3"] }], "InvalidZone.MismatchRegion", "ap-beijing-3"],
    [[{ Name: "instance-type", Values: ["huge"] }], "InvalidInstanceType.Malformed", "huge"],
  ])("refuses %j with %s naming %s", async (Filters, code, named) => {
    const err = await sdkError(cvm.DescribeInstanceTypeConfigs({ Filters }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(named);
  });
});

group("DescribeZoneInstanceConfigInfos", () => {
  it("describes what a zone sells per charge type, with the table's price and every field the spec declares", async () => {
    const out = await cvm.DescribeZoneInstanceConfigInfos({ Filters: [{ Name: "zone", Values: ["ap-guangzhou-3"] }, { Name: "instance-type", Values: ["S5.MEDIUM4"] }] });
    const prices = catalog.prices["ap-guangzhou"].instanceTypes["S5.MEDIUM4"];
    expect(out.InstanceTypeQuotaSet!.map((i) => i.InstanceChargeType)).toEqual(["POSTPAID_BY_HOUR", "PREPAID", "SPOTPAID"]);
    const [postpaid, prepaid, spot] = out.InstanceTypeQuotaSet!;
    expect(postpaid).toMatchObject({
      Zone: "ap-guangzhou-3",
      InstanceType: "S5.MEDIUM4",
      InstanceFamily: "S5",
      TypeName: "Standard S5",
      Cpu: 2,
      Memory: 4,
      Status: "SELL",
      SoldOutReason: "",
      StatusCategory: "EnoughStock",
      CpuType: "Intel Xeon Cascade Lake 8255C",
      Frequency: "2.5GHz/3.1GHz",
      InstanceBandwidth: 1.5,
      InstancePps: 30,
      LocalDiskTypeList: [],
      Externals: {},
      Gpu: 0,
      Fpga: 0,
      Price: { UnitPrice: prices.POSTPAID_BY_HOUR, ChargeUnit: "HOUR", UnitPriceDiscount: prices.POSTPAID_BY_HOUR, Discount: 100 },
    });
    expect(prepaid.Price).toMatchObject({ OriginalPrice: prices.PREPAID, DiscountPrice: prices.PREPAID, OriginalPriceOneYear: Math.round(prices.PREPAID! * 12 * 100) / 100, DiscountOneYear: catalog.prepaidDiscounts[12] });
    expect(spot.Price).toMatchObject({ UnitPrice: prices.SPOTPAID, ChargeUnit: "HOUR" });
  });

  it("marks what is sold out, with the code a launch is refused with, and names its family in the request's language", async () => {
    const zh = cvmClient(server, { language: "zh-CN" });
    const out = await zh.DescribeZoneInstanceConfigInfos({ Filters: [{ Name: "zone", Values: ["ap-guangzhou-3", "ap-guangzhou-1"] }, { Name: "instance-family", Values: ["GN7"] }] });
    const item = (zone: string, type: string) => out.InstanceTypeQuotaSet!.find((i) => i.Zone === zone && i.InstanceType === type)!;
    expect(item("ap-guangzhou-3", "GN7.10XLARGE160")).toMatchObject({ Status: "SOLD_OUT", SoldOutReason: "ResourcesSoldOut.SpecifiedInstanceType", StatusCategory: "WithoutStock", TypeName: "GPU计算型GN7" });
    expect(item("ap-guangzhou-3", "GN7.2XLARGE32")).toMatchObject({ Status: "SELL", Gpu: 1, GpuCount: 1 });
    // GN7 is not sold as spot instances, and ap-guangzhou-1 does not offer it.
    expect(out.InstanceTypeQuotaSet!.some((i) => i.InstanceChargeType === "SPOTPAID" || i.Zone === "ap-guangzhou-1")).toBe(false);
    const closed = await cvm.DescribeZoneInstanceConfigInfos({ Filters: [{ Name: "zone", Values: ["ap-guangzhou-1"] }] });
    expect(closed.InstanceTypeQuotaSet!.length).toBeGreaterThan(0);
    expect(closed.InstanceTypeQuotaSet!.every((i) => i.Status === "SOLD_OUT" && i.SoldOutReason === "ResourceInsufficient.AvailabilityZoneSoldOut")).toBe(true);
  });

  it("filters by charge type and sorts by the keys given", async () => {
    const out = await cvm.DescribeZoneInstanceConfigInfos({
      Filters: [
        { Name: "zone", Values: ["ap-guangzhou-3"] },
        { Name: "instance-charge-type", Values: ["PREPAID", "CDHPAID"] },
        { Name: "sort-keys", Values: ["cpu:desc", "mem:asc"] },
      ],
    });
    const items = out.InstanceTypeQuotaSet!;
    expect(items.every((i) => i.InstanceChargeType === "PREPAID")).toBe(true);
    const keys = items.map((i) => [i.Cpu!, i.Memory!]);
    expect(keys).toEqual([...keys].sort((a, b) => b[0] - a[0] || a[1] - b[1]));
    expect((await cvm.DescribeZoneInstanceConfigInfos({ Filters: [{ Name: "instance-charge-type", Values: ["CDCPAID"] }] })).InstanceTypeQuotaSet).toEqual([]);
  });

  it.each([
    [[{ Name: "zone", Values: ["ap-shanghai-2"] }], "InvalidZone.MismatchRegion"],
    [[{ Name: "instance-charge-type", Values: ["MONTHLY"] }], "InvalidParameterValue"],
    [[{ Name: "sort-keys", Values: ["price:asc"] }], "InvalidParameterValue"],
    [[{ Name: "instance-type", Values: ["s5.medium4"] }], "InvalidInstanceType.Malformed"],
    [[{ Name: "state", Values: ["SELL"] }], "InvalidFilter"],
    [[{ Name: "zone", Values: Array.from({ length: 101 }, () => "ap-guangzhou-3") }], "InvalidFilterValue.LimitExceeded"],
  ])("refuses %j with %s", async (Filters, code) => {
    expect((await sdkError(cvm.DescribeZoneInstanceConfigInfos({ Filters }))).code).toBe(code);
  });
});

group("the catalog and RunInstances agree", () => {
  it("in every zone of a region: what is SELL launches (a DryRun), SOLD_OUT is refused with its SoldOutReason, what is not offered is refused", async () => {
    const all = (await cvm.DescribeZoneInstanceConfigInfos({})).InstanceTypeQuotaSet!;
    expect(all.length).toBeGreaterThan(100);
    const checked = { sell: 0, soldOut: 0, unsold: 0 };
    for (const item of all) {
      const type = typeOf(item.InstanceType!);
      const params = {
        Placement: { Zone: item.Zone! },
        ImageId: type.architecture === "arm" ? ARM_IMAGE : UBUNTU,
        InstanceType: item.InstanceType,
        InstanceChargeType: item.InstanceChargeType,
        ...(item.InstanceChargeType === "PREPAID" ? { InstanceChargePrepaid: { Period: 1 } } : {}),
        ...(item.Status === "SELL" ? await clusterFor(item.Zone!, item.InstanceType!) : {}),
        DryRun: true,
      };
      if (item.Status === "SELL") {
        expect(await cvm.RunInstances(params), `${item.Zone} ${item.InstanceType} ${item.InstanceChargeType}`).toMatchObject({ InstanceIdSet: [] });
        checked.sell++;
      } else {
        expect((await sdkError(cvm.RunInstances(params))).code, `${item.Zone} ${item.InstanceType}`).toBe(item.SoldOutReason);
        checked.soldOut++;
      }
    }
    for (const zone of region("ap-guangzhou").zones.filter((z) => z.state === "AVAILABLE")) {
      for (const type of catalog.instanceTypes.filter((t) => !t.zones[zone.zone])) {
        const params = { Placement: { Zone: zone.zone }, ImageId: type.architecture === "arm" ? ARM_IMAGE : UBUNTU, InstanceType: type.instanceType, DryRun: true };
        expect((await sdkError(cvm.RunInstances(params))).code, `${zone.zone} ${type.instanceType}`).toBe("ResourceUnavailable.InstanceType");
        checked.unsold++;
      }
    }
    expect(checked.sell).toBeGreaterThan(100);
    expect(checked.soldOut).toBeGreaterThan(10);
    expect(checked.unsold).toBeGreaterThan(10);
  });

  it("launches a type of each family the zone sells, for real", async () => {
    const zone = "ap-guangzhou-6";
    const sold = (await cvm.DescribeZoneInstanceConfigInfos({ Filters: [{ Name: "zone", Values: [zone] }, { Name: "instance-charge-type", Values: ["POSTPAID_BY_HOUR"] }] })).InstanceTypeQuotaSet!;
    const firstOfFamily = [...new Map(sold.filter((i) => i.Status === "SELL").map((i) => [i.InstanceFamily!, i.InstanceType!])).values()];
    expect(firstOfFamily.length).toBeGreaterThanOrEqual(5);
    const ids: string[] = [];
    for (const type of firstOfFamily) {
      ids.push(...(await launch(cvm, { Placement: { Zone: zone }, InstanceType: type, ImageId: typeOf(type).architecture === "arm" ? ARM_IMAGE : UBUNTU, ...(await clusterFor(zone, type)) })).InstanceIdSet!);
    }
    const running = await waitFor(cvm, ids, "RUNNING");
    expect(running.map((i) => i.InstanceType).sort()).toEqual([...firstOfFamily].sort());
    await cvm.TerminateInstances({ InstanceIds: ids });
    await waitGone(cvm, ids);
  });

  it.each([
    [{ InstanceType: "GN7.2XLARGE32", InstanceChargeType: "SPOTPAID" }, "UnsupportedOperation.NoInstanceTypeSupportSpot", "GN7.2XLARGE32"],
    [{ InstanceType: "S5.MEDIUM4", InstanceChargeType: "SPOTPAID", InstanceMarketOptions: { MarketType: "spot", SpotOptions: { MaxPrice: "0.01" } } }, "InvalidParameterValue.InsufficientPrice", "MaxPrice"],
    [{ InternetAccessible: { InternetChargeType: "BANDWIDTH_PREPAID", InternetMaxBandwidthOut: 5 } }, "InvalidParameterCombination", "BANDWIDTH_PREPAID"],
    [{ InternetAccessible: { InternetChargeType: "BANDWIDTH_PACKAGE", InternetMaxBandwidthOut: 5 } }, "InvalidParameterValue", "BANDWIDTH_PACKAGE"],
    [{ InternetAccessible: { InternetMaxBandwidthOut: 201 } }, "InvalidParameterValue.Range", "0-200"],
    [{ SystemDisk: { DiskType: "LOCAL_BASIC" } }, "InvalidParameterValue", "SystemDisk.DiskType"],
    [{ SystemDisk: { DiskSize: 1025 } }, "InvalidParameterValue.Range", "20-1024"],
    [{ DataDisks: [{ DiskType: "CLOUD_SSD", DiskSize: 10 }] }, "InvalidParameterValue.Range", "20-32000"],
    [{ DataDisks: [{ DiskType: "FLOPPY", DiskSize: 10 }] }, "InvalidParameterValue", "DataDisks.0.DiskType"],
    [{ Placement: { Zone: "ap-guangzhou-3" }, ImageId: ARM_IMAGE }, "InvalidParameterValue.InvalidImageForGivenInstanceType", ARM_IMAGE],
  ] as const)("refuses %j with %s naming %s", async (extra, code, named) => {
    const err = await sdkError(launch(cvm, extra as never));
    expect(err.code).toBe(code);
    expect(err.message).toContain(named);
  });

  it("gives monthly instances monthly bandwidth by default, and the others traffic", async () => {
    const [prepaid] = (await launch(cvm, { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 }, InternetAccessible: { InternetMaxBandwidthOut: 2 } })).InstanceIdSet!;
    const [postpaid] = (await launch(cvm, { InternetAccessible: { InternetMaxBandwidthOut: 2 } })).InstanceIdSet!;
    const byId = new Map((await describe(cvm, [prepaid, postpaid])).map((i) => [i.InstanceId, i.InternetAccessible!.InternetChargeType]));
    expect(byId.get(prepaid)).toBe("BANDWIDTH_PREPAID");
    expect(byId.get(postpaid)).toBe("TRAFFIC_POSTPAID_BY_HOUR");
  });
});

group("ResetInstancesType and the catalog", () => {
  const stopped = async (zone: string, type = "S5.MEDIUM4") => {
    const ids = (await launch(cvm, { Placement: { Zone: zone }, InstanceType: type, ImageId: typeOf(type).architecture === "arm" ? ARM_IMAGE : UBUNTU })).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    await cvm.StopInstances({ InstanceIds: ids });
    await waitFor(cvm, ids, "STOPPED");
    return ids;
  };

  it.each([
    ["ap-guangzhou-4", "S5.MEDIUM4", "S5.4XLARGE64", "ResourcesSoldOut.SpecifiedInstanceType"],
    ["ap-guangzhou-3", "S5.MEDIUM4", "S6.MEDIUM4", "ResourceUnavailable.InstanceType"],
    ["ap-guangzhou-3", "S5.MEDIUM4", "GN7.2XLARGE32", "InvalidParameterValue.GPUInstanceFamily"],
    ["ap-guangzhou-6", "S5.MEDIUM4", "SR1.LARGE8", "UnsupportedOperation.UnsupportedChangeInstanceFamilyToARM"],
    ["ap-guangzhou-6", "SR1.MEDIUM4", "S5.LARGE8", "UnsupportedOperation.UnsupportedARMChangeInstanceFamily"],
  ])("in %s refuses %s → %s with %s, changing nothing", async (zone, from, to, code) => {
    const ids = await stopped(zone, from);
    const err = await sdkError(cvm.ResetInstancesType({ InstanceIds: ids, InstanceType: to }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(to);
    expect((await describe(cvm, ids))[0]).toMatchObject({ InstanceType: from, InstanceState: "STOPPED" });
  });

  it("takes a type the zone sells", async () => {
    const ids = await stopped("ap-guangzhou-6");
    await cvm.ResetInstancesType({ InstanceIds: ids, InstanceType: "S6.LARGE8" });
    expect((await waitFor(cvm, ids, "RUNNING"))[0]).toMatchObject({ InstanceType: "S6.LARGE8", CPU: 4, Memory: 8 });
  });
});

group("families and internet charge types", () => {
  it("lists the families the region's zones offer, named in the request's language", async () => {
    const out = await cvm.DescribeInstanceFamilyConfigs();
    expect(out.InstanceFamilyConfigSet).toContainEqual({ InstanceFamily: "S5", InstanceFamilyName: "Standard S5" });
    expect(out.InstanceFamilyConfigSet!.map((f) => f.InstanceFamily)).toEqual(["S5", "SA2", "M5", "S6", "C5", "SR1", "GN7", "HCCIC5"]);
    // São Paulo offers only the general families.
    const sp = cvmClient(server, { region: "sa-saopaulo", language: "zh-CN" });
    expect((await sp.DescribeInstanceFamilyConfigs()).InstanceFamilyConfigSet).toEqual([
      { InstanceFamily: "S5", InstanceFamilyName: "标准型S5" },
      { InstanceFamily: "M5", InstanceFamilyName: "内存型M5" },
    ]);
  });

  it("lists the internet charge types sold", async () => {
    const out = await cvm.DescribeInternetChargeTypeConfigs();
    expect(out.InternetChargeTypeConfigSet).toEqual([
      { InternetChargeType: "BANDWIDTH_PREPAID", Description: "Monthly bandwidth" },
      { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", Description: "Pay-as-you-go by traffic" },
      { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", Description: "Pay-as-you-go by bandwidth" },
    ]);
  });
});

group("DescribeInstanceInternetBandwidthConfigs", () => {
  it("reports a monthly bandwidth's settings over time, each from when it took effect", async () => {
    const [id] = (await launch(cvm, { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 }, InternetAccessible: { InternetMaxBandwidthOut: 10 } })).InstanceIdSet!;
    const [instance] = await waitFor(cvm, [id], "RUNNING");
    const first = await cvm.DescribeInstanceInternetBandwidthConfigs({ InstanceId: id });
    expect(first.InternetBandwidthConfigSet).toEqual([
      { StartTime: instance.CreatedTime, EndTime: instance.ExpiredTime, InternetAccessible: { InternetChargeType: "BANDWIDTH_PREPAID", InternetMaxBandwidthOut: 10 } },
    ]);
    await cvm.ResetInstancesInternetMaxBandwidth({ InstanceIds: [id], InternetAccessible: { InternetMaxBandwidthOut: 20 } });
    const second = (await cvm.DescribeInstanceInternetBandwidthConfigs({ InstanceId: id })).InternetBandwidthConfigSet!;
    expect(second.map((c) => c.InternetAccessible!.InternetMaxBandwidthOut)).toEqual([10, 20]);
    expect(second[0].EndTime).toBe(second[1].StartTime);
    expect(second[1].EndTime).toBe(instance.ExpiredTime);
    // Monthly bandwidth only grows.
    expect((await sdkError(cvm.ResetInstancesInternetMaxBandwidth({ InstanceIds: [id], InternetAccessible: { InternetMaxBandwidthOut: 5 } }))).code).toBe("InvalidParameterValue");
  });

  it.each([
    ["an instance whose bandwidth is not monthly", async () => (await launch(cvm)).InstanceIdSet![0], "InvalidInstance.NotSupported"],
    ["an unknown instance", async () => "ins-zzzzzzzz", "InvalidInstanceId.NotFound"],
    ["a malformed id", async () => "i-1", "InvalidParameterValue.InstanceIdMalformed"],
  ])("refuses %s", async (_what, id, code) => {
    expect((await sdkError(cvm.DescribeInstanceInternetBandwidthConfigs({ InstanceId: await id() }))).code).toBe(code);
  });
});
