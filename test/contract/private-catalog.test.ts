// A private cloud's own catalog: the example file of docs/catalog.md, written to disk and named by OPENCVM_CATALOG,
// drives every answer (regions, zones, types, prices, refusals); a broken file stops the start, naming its problems.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe as group, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { start } from "../../src/main.js";
import { createLogger } from "../../src/log.js";
import { UBUNTU, waitFor } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, SECRET_ID, SECRET_KEY, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";
import { exampleCatalog } from "../helpers/example-catalog.js";


const dir = mkdtempSync(join(tmpdir(), "opencvm-catalog-"));
const file = join(dir, "catalog.json");
writeFileSync(file, exampleCatalog());

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server, { region: "dc-hangzhou", language: "en-US" });
}, { OPENCVM_CATALOG: file, OPENCVM_TIMING: "instant" });

group("a private cloud's catalog", () => {
  it("replaces the regions and zones", async () => {
    expect((await cvm.DescribeRegions()).RegionSet).toEqual([{ Region: "dc-hangzhou", RegionName: "Hangzhou data centre", RegionState: "AVAILABLE" }]);
    expect((await cvm.DescribeZones()).ZoneSet!.map((z) => [z.Zone, z.ZoneId, z.ZoneName])).toEqual([
      ["dc-hangzhou-1", "880001", "Hall 1"],
      ["dc-hangzhou-2", "880002", "Hall 2"],
    ]);
    expect((await sdkError(cvmClient(server, { region: "ap-guangzhou" }).DescribeZones())).code).toBe("UnsupportedRegion");
  });

  it("lists its own types, families and internet charge types", async () => {
    const configs = (await cvm.DescribeInstanceTypeConfigs({})).InstanceTypeConfigSet!;
    expect(configs.map((c) => `${c.Zone} ${c.InstanceType}`)).toEqual([
      "dc-hangzhou-1 G1.SMALL2",
      "dc-hangzhou-1 G1.LARGE16",
      "dc-hangzhou-2 G1.SMALL2",
      "dc-hangzhou-2 G1.LARGE16",
      "dc-hangzhou-2 A1.2XLARGE64",
    ]);
    expect(configs[4]).toMatchObject({ GPU: 1, GpuCount: 1, GpuType: "NVIDIA A10", GpuMemory: 24, CPU: 8, Memory: 64 });
    const zh = cvmClient(server, { region: "dc-hangzhou", language: "zh-CN" });
    expect((await zh.DescribeInstanceFamilyConfigs()).InstanceFamilyConfigSet).toEqual([
      { InstanceFamily: "G1", InstanceFamilyName: "通用型G1" },
      { InstanceFamily: "A1", InstanceFamilyName: "加速型A1" },
    ]);
    expect((await cvm.DescribeInternetChargeTypeConfigs()).InternetChargeTypeConfigSet).toEqual([{ InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", Description: "By traffic" }]);
  });

  it("sells at its own prices, in stock or not", async () => {
    const items = (await cvm.DescribeZoneInstanceConfigInfos({})).InstanceTypeQuotaSet!;
    const item = (zone: string, type: string, charge: string) => items.find((i) => i.Zone === zone && i.InstanceType === type && i.InstanceChargeType === charge);
    expect(item("dc-hangzhou-1", "G1.SMALL2", "POSTPAID_BY_HOUR")).toMatchObject({ Status: "SELL", Price: { UnitPrice: 0.05, ChargeUnit: "HOUR" }, CpuType: "Intel Xeon Gold 6330" });
    expect(item("dc-hangzhou-1", "G1.SMALL2", "PREPAID")!.Price).toMatchObject({ OriginalPrice: 25, OriginalPriceOneYear: 300, DiscountPriceOneYear: 270, DiscountOneYear: 90 });
    expect(item("dc-hangzhou-2", "G1.LARGE16", "POSTPAID_BY_HOUR")).toMatchObject({ Status: "SOLD_OUT", SoldOutReason: "ResourcesSoldOut.SpecifiedInstanceType" });
    expect(item("dc-hangzhou-2", "A1.2XLARGE64", "POSTPAID_BY_HOUR")).toMatchObject({
      Status: "SELL",
      Price: { UnitPrice: 4.2 },
      NetworkCard: 25,
      LocalDiskTypeList: [{ Type: "LOCAL_NVME", PartitionType: "DATA", MinSize: 100, MaxSize: 1800, Required: "OPTIONAL" }],
      Remark: "One A10 card; an optional local NVMe data disk",
    });
    expect(item("dc-hangzhou-2", "A1.2XLARGE64", "PREPAID")).toBeUndefined();
    expect(items.some((i) => i.InstanceChargeType === "SPOTPAID")).toBe(false);
  });

  it("quotes from its price table", async () => {
    const base = { Placement: { Zone: "dc-hangzhou-1" }, ImageId: UBUNTU, InstanceType: "G1.SMALL2" };
    const out = await cvm.InquiryPriceRunInstances({ ...base, InternetAccessible: { InternetMaxBandwidthOut: 10 } });
    expect(out.Price!.InstancePrice).toMatchObject({ UnitPrice: 0.1, ChargeUnit: "HOUR" }); // 0.05 + 50 GiB × 0.001
    expect(out.Price!.BandwidthPrice).toMatchObject({ UnitPrice: 0.5, ChargeUnit: "GB" });
    const year = await cvm.InquiryPriceRunInstances({ ...base, InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 12 }, DataDisks: [{ DiskType: "CLOUD_PREMIUM", DiskSize: 100 }] });
    // (25 + 50 × 0.5 + 100 × 0.2) × 12 = 840, at 90%.
    expect(year.Price!.InstancePrice).toMatchObject({ OriginalPrice: 840, DiscountPrice: 756, Discount: 90 });
    const gpu = await cvm.InquiryPriceRunInstances({ ...base, Placement: { Zone: "dc-hangzhou-2" }, InstanceType: "A1.2XLARGE64", DataDisks: [{ DiskType: "LOCAL_NVME", DiskSize: 1000 }] });
    expect(gpu.Price!.InstancePrice!.UnitPrice).toBe(4.45); // 4.2 + 50 × 0.001 + 1000 × 0.0002
  });

  it("launches what it sells, with its default disks, and refuses the rest with the documented codes", async () => {
    const ids = (await cvm.RunInstances({ Placement: { Zone: "dc-hangzhou-2" }, ImageId: UBUNTU, InstanceType: "G1.SMALL2", DataDisks: [{ DiskSize: 30 }] })).InstanceIdSet!;
    const [i] = await waitFor(cvm, ids, "RUNNING");
    expect(i).toMatchObject({ InstanceType: "G1.SMALL2", CPU: 1, Memory: 2, SystemDisk: { DiskType: "CLOUD_SSD", DiskSize: 50 }, InternetAccessible: { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR" } });
    expect(i.DataDisks![0]).toMatchObject({ DiskType: "CLOUD_SSD", DiskSize: 30 });
    const run = (extra: object) => sdkError(cvm.RunInstances({ Placement: { Zone: "dc-hangzhou-1" }, ImageId: UBUNTU, InstanceType: "G1.SMALL2", ...extra }));
    expect((await run({ Placement: { Zone: "dc-hangzhou-2" }, InstanceType: "G1.LARGE16" })).code).toBe("ResourcesSoldOut.SpecifiedInstanceType");
    expect((await run({ InstanceType: "A1.2XLARGE64" })).code).toBe("ResourceUnavailable.InstanceType");
    expect((await run({ Placement: { Zone: "dc-hangzhou-2" }, InstanceType: "A1.2XLARGE64", InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } })).code).toBe("ResourceUnavailable.InstanceType");
    expect((await run({ InstanceChargeType: "SPOTPAID" })).code).toBe("UnsupportedOperation.NoInstanceTypeSupportSpot");
    expect((await run({ InstanceType: "S5.MEDIUM4" })).code).toBe("InvalidParameterValue.InstanceTypeNotFound");
    expect((await run({ SystemDisk: { DiskType: "CLOUD_PREMIUM" } })).code).toBe("InvalidParameterValue");
    expect((await run({ SystemDisk: { DiskSize: 30 } })).code).toBe("InvalidParameterValue.Range");
    expect((await run({ DataDisks: [{ DiskType: "LOCAL_NVME", DiskSize: 100 }] })).code).toBe("InvalidParameterValue");
    expect((await run({ InternetAccessible: { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 1 } })).code).toBe("InvalidParameterValue");
    expect((await run({ InternetAccessible: { InternetMaxBandwidthOut: 101 } })).code).toBe("InvalidParameterValue.Range");
  });

  it("offers its own public images in place of the built-in ones, and launches from them", async () => {
    const images = (await cvm.DescribeImages({ Limit: 100 })).ImageSet!;
    expect(images.map((i) => [i.ImageId, i.OsName, i.ImageType])).toEqual([
      ["img-487zeit5", "Ubuntu Server 22.04 LTS 64bit", "PUBLIC_IMAGE"],
      ["img-hz0base1", "Hangzhou Base Linux 1.0", "PUBLIC_IMAGE"],
    ]);
    expect((await cvm.DescribeImageFromFamily({ ImageFamily: "hz-base" })).Image).toMatchObject({ ImageId: "img-hz0base1", ImageSize: 30 });
    // A built-in image the file does not list is unknown here.
    expect((await sdkError(cvm.RunInstances({ Placement: { Zone: "dc-hangzhou-1" }, ImageId: "img-9id7emv7", InstanceType: "G1.SMALL2" }))).code).toBe("InvalidImageId.NotFound");
    const ids = (await cvm.RunInstances({ Placement: { Zone: "dc-hangzhou-1" }, ImageId: "img-hz0base1", InstanceType: "G1.SMALL2" })).InstanceIdSet!;
    const [i] = await waitFor(cvm, ids, "RUNNING");
    expect(i).toMatchObject({ ImageId: "img-hz0base1", OsName: "Hangzhou Base Linux 1.0" });
  });

  it("serves the VPC service in its region too", async () => {
    const vpc = commonClient(server, "2017-03-12", { region: "dc-hangzhou" });
    const out = (await vpc.request("DescribeSubnets", {})) as { SubnetSet: { Zone: string }[] };
    expect(out.SubnetSet.every((s) => s.Zone.startsWith("dc-hangzhou-"))).toBe(true);
  });
});

group("a broken catalog", () => {
  it("stops the start, naming the file and every problem by its place in it", async () => {
    const broken = JSON.parse(exampleCatalog());
    broken.instanceTypes[1].zones["dc-hangzhou-3"] = "SELL";
    delete broken.prices["dc-hangzhou"].instanceTypes["G1.SMALL2"];
    const path = join(dir, "broken.json");
    writeFileSync(path, JSON.stringify(broken));
    const config = loadConfig({ OPENCVM_PORT: "0", OPENCVM_DATA: ":memory:", OPENCVM_SECRET_ID: SECRET_ID, OPENCVM_SECRET_KEY: SECRET_KEY, OPENCVM_CATALOG: path }, []);
    const failure = start(config, { log: createLogger("silent") });
    await expect(failure).rejects.toThrow(/OPENCVM_CATALOG: The catalog .*broken\.json is not valid \(2 problems\)/);
    await expect(failure).rejects.toThrow('instanceTypes[1].zones["dc-hangzhou-3"]: no zone "dc-hangzhou-3" in regions');
    await expect(failure).rejects.toThrow('prices["dc-hangzhou"].instanceTypes: no price for "G1.SMALL2", which dc-hangzhou sells');
  });

  it("stops the start when the file cannot be read or is not JSON", async () => {
    const config = (path: string) => loadConfig({ OPENCVM_PORT: "0", OPENCVM_DATA: ":memory:", OPENCVM_SECRET_ID: SECRET_ID, OPENCVM_SECRET_KEY: SECRET_KEY }, ["--catalog", path]);
    await expect(start(config(join(dir, "missing.json")), { log: createLogger("silent") })).rejects.toThrow(/OPENCVM_CATALOG: cannot read .*missing\.json/);
    writeFileSync(join(dir, "text.json"), "regions: none");
    await expect(start(config(join(dir, "text.json")), { log: createLogger("silent") })).rejects.toThrow(/is not valid JSON/);
  });
});
