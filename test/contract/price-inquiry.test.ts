// The InquiryPrice* actions through the official SDK: every figure is worked out here from the default catalog's
// price table (not through src/domain/pricing.ts), and each refusal answers the code the inquiry documents.
import { describe as group, expect, it } from "vitest";
import { defaultCatalogData } from "../../src/catalog/index.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { describe, launch, UBUNTU, waitFor, ZONE } from "../helpers/instances.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const table = defaultCatalogData().prices["ap-guangzhou"];
const discount = defaultCatalogData().prepaidDiscounts;
const type = (name: string) => table.instanceTypes[name];
const disk = (name: string) => table.disks[name];
/** To the cent, as the price table's rules say. */
const cents = (x: number) => Math.round(x * 100 + 1e-7) / 100;
/** A default launch's system disk: 50 GiB of CLOUD_PREMIUM. */
const SYSTEM_HOUR = 50 * disk("CLOUD_PREMIUM").perGiBHour;
const SYSTEM_MONTH = 50 * disk("CLOUD_PREMIUM").perGiBMonth;
const DAY = 86_400_000;
const daysLeft = (expired: string) => Math.ceil((Date.parse(expired) - Date.now()) / DAY);

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
}, { OPENCVM_TIMING: "instant" });
// Every refusal of an inquiry, in every test, has a code the inquiry documents or a common one.
everyRefusalDocumented(() => [server.logs], (action) => action.startsWith("InquiryPrice"));

const monthly = async (extra: object = {}) => {
  const ids = (await launch(cvm, { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 }, ...extra })).InstanceIdSet!;
  return (await waitFor(cvm, ids, "RUNNING"))[0];
};
const hourly = async (extra: object = {}) => (await waitFor(cvm, (await launch(cvm, extra)).InstanceIdSet!, "RUNNING"))[0];

group("InquiryPriceRunInstances", () => {
  it("prices pay-as-you-go instances by the hour: the type and each GiB of disk, times the count", async () => {
    const out = await cvm.InquiryPriceRunInstances({ Placement: { Zone: ZONE }, ImageId: UBUNTU, InstanceType: "S5.MEDIUM4", InstanceCount: 3 });
    const each = cents(type("S5.MEDIUM4").POSTPAID_BY_HOUR! + SYSTEM_HOUR);
    expect(each).toBe(0.4);
    expect(out.Price!.InstancePrice).toEqual({ UnitPrice: cents(each * 3), ChargeUnit: "HOUR", UnitPriceDiscount: cents(each * 3), OriginalPrice: 0, DiscountPrice: 0, Discount: 100 });
    expect(out.Price!.BandwidthPrice).toMatchObject({ UnitPrice: 0, ChargeUnit: "GB" });
  });

  it("prices data disks, spot instances and bandwidth from the table", async () => {
    const dataDisks = [{ DiskType: "CLOUD_SSD", DiskSize: 100 }];
    const out = await cvm.InquiryPriceRunInstances({
      Placement: { Zone: ZONE },
      ImageId: UBUNTU,
      InstanceType: "S5.LARGE8",
      InstanceChargeType: "SPOTPAID",
      DataDisks: dataDisks,
      InternetAccessible: { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 10 },
    });
    expect(out.Price!.InstancePrice!.UnitPrice).toBe(cents(type("S5.LARGE8").SPOTPAID! + SYSTEM_HOUR + 100 * disk("CLOUD_SSD").perGiBHour));
    const [low, high] = table.bandwidth.BANDWIDTH_POSTPAID_BY_HOUR!.perMbpsHour;
    expect(out.Price!.BandwidthPrice).toMatchObject({ UnitPrice: cents(5 * low.price + 5 * high.price), ChargeUnit: "HOUR" });
    const traffic = await cvm.InquiryPriceRunInstances({ Placement: { Zone: ZONE }, ImageId: UBUNTU, InternetAccessible: { InternetMaxBandwidthOut: 1 } });
    expect(traffic.Price!.BandwidthPrice).toMatchObject({ UnitPrice: table.bandwidth.TRAFFIC_POSTPAID_BY_HOUR!.perGB, ChargeUnit: "GB" });
  });

  it("prices monthly instances up front, with the period's discount on the instance and its monthly bandwidth", async () => {
    const out = await cvm.InquiryPriceRunInstances({
      Placement: { Zone: ZONE },
      ImageId: UBUNTU,
      InstanceType: "S5.MEDIUM4",
      InstanceChargeType: "PREPAID",
      InstanceChargePrepaid: { Period: 12 },
      InternetAccessible: { InternetMaxBandwidthOut: 10 },
      InstanceCount: 2,
    });
    const original = cents(cents(type("S5.MEDIUM4").PREPAID! + SYSTEM_MONTH) * 12 * 2);
    expect(out.Price!.InstancePrice).toMatchObject({ OriginalPrice: original, DiscountPrice: cents((original * discount[12]) / 100), Discount: discount[12] });
    const [low, high] = table.bandwidth.BANDWIDTH_PREPAID!.perMbpsMonth;
    const bandwidth = cents(cents(5 * low.price + 5 * high.price) * 12 * 2);
    expect(out.Price!.BandwidthPrice).toMatchObject({ OriginalPrice: bandwidth, DiscountPrice: cents((bandwidth * discount[12]) / 100), Discount: discount[12] });
  });

  it("quotes what DescribeZoneInstanceConfigInfos lists for the type, plus the disk", async () => {
    const [item] = (await cvm.DescribeZoneInstanceConfigInfos({ Filters: [{ Name: "zone", Values: [ZONE] }, { Name: "instance-type", Values: ["M5.LARGE32"] }, { Name: "instance-charge-type", Values: ["POSTPAID_BY_HOUR"] }] })).InstanceTypeQuotaSet!;
    const out = await cvm.InquiryPriceRunInstances({ Placement: { Zone: ZONE }, ImageId: UBUNTU, InstanceType: "M5.LARGE32", SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskSize: 20 } });
    expect(out.Price!.InstancePrice!.UnitPrice).toBe(cents(item.Price!.UnitPrice! + 20 * disk("CLOUD_PREMIUM").perGiBHour));
  });

  it.each([
    [{ InstanceType: "GN7.10XLARGE160" }, "ResourcesSoldOut.SpecifiedInstanceType"],
    [{ InstanceType: "SR1.LARGE8" }, "ResourceUnavailable.InstanceType"],
    [{ InstanceType: "S5.HUGE999" }, "InvalidParameterValue.InstanceTypeNotFound"],
    [{ Placement: { Zone: "ap-guangzhou-1" } }, "InvalidParameterValue.ZoneNotSupported"],
    [{ Placement: { Zone: "ap-shanghai-2" } }, "InvalidZone.MismatchRegion"],
    [{ InstanceType: "GN7.2XLARGE32", InstanceChargeType: "SPOTPAID" }, "UnsupportedOperation.NoInstanceTypeSupportSpot"],
    [{ InstanceChargeType: "PREPAID" }, "MissingParameter"],
    [{ InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 13 } }, "InvalidPeriod"],
    [{ ImageId: "img-3la7wgnt" }, "InvalidParameter.InstanceImageNotSupport"],
    [{ DataDisks: [{ DiskSize: 15 }] }, "InvalidParameterValue.Range"],
    [{ InternetAccessible: { InternetChargeType: "BANDWIDTH_PREPAID", InternetMaxBandwidthOut: 1 } }, "InvalidParameterCombination"],
    [{ InstanceCount: 101 }, "InvalidParameterValue.Range"],
    // It documents no launch template code.
    [{ LaunchTemplate: { LaunchTemplateId: "lt-12345678" } }, "InvalidParameterValue"],
  ])("refuses %j with %s", async (extra, code) => {
    expect((await sdkError(cvm.InquiryPriceRunInstances({ Placement: { Zone: ZONE }, ImageId: UBUNTU, ...extra } as never))).code).toBe(code);
  });
});

group("inquiries about an instance", () => {
  it("InquiryPriceResetInstancesType: the new hourly price, or the monthly difference for the days left", async () => {
    const postpaid = await hourly();
    const out = await cvm.InquiryPriceResetInstancesType({ InstanceIds: [postpaid.InstanceId!], InstanceType: "S5.LARGE8" });
    expect(out.Price!.InstancePrice).toMatchObject({ UnitPrice: cents(type("S5.LARGE8").POSTPAID_BY_HOUR! + SYSTEM_HOUR), ChargeUnit: "HOUR" });

    const prepaid = await monthly();
    const up = await cvm.InquiryPriceResetInstancesType({ InstanceIds: [prepaid.InstanceId!], InstanceType: "S5.LARGE8" });
    const diff = cents(type("S5.LARGE8").PREPAID! + SYSTEM_MONTH) - cents(type("S5.MEDIUM4").PREPAID! + SYSTEM_MONTH);
    const amount = cents((diff * daysLeft(prepaid.ExpiredTime!)) / 30);
    expect(up.Price!.InstancePrice).toMatchObject({ OriginalPrice: amount, DiscountPrice: amount, Discount: 100 });
  });

  it("InquiryPriceResizeInstanceDisks: the price with the larger disk", async () => {
    const i = await hourly({ DataDisks: [{ DiskType: "CLOUD_SSD", DiskSize: 50 }] });
    const out = await cvm.InquiryPriceResizeInstanceDisks({ InstanceId: i.InstanceId!, DataDisks: [{ DiskSize: 200 }] });
    expect(out.Price!.InstancePrice!.UnitPrice).toBe(cents(type("S5.MEDIUM4").POSTPAID_BY_HOUR! + SYSTEM_HOUR + 200 * disk("CLOUD_SSD").perGiBHour));
    const sys = await cvm.InquiryPriceResizeInstanceDisks({ InstanceId: i.InstanceId!, SystemDisk: { DiskSize: 100 } });
    expect(sys.Price!.InstancePrice!.UnitPrice).toBe(cents(type("S5.MEDIUM4").POSTPAID_BY_HOUR! + 100 * disk("CLOUD_PREMIUM").perGiBHour + 50 * disk("CLOUD_SSD").perGiBHour));
    expect((await sdkError(cvm.InquiryPriceResizeInstanceDisks({ InstanceId: i.InstanceId!, DataDisks: [{ DiskId: "disk-zzzzzzzz", DiskSize: 200 }] }))).code).toBe("UnsupportedOperation.InvalidDisk");
    expect((await sdkError(cvm.InquiryPriceResizeInstanceDisks({ InstanceId: i.InstanceId!, DataDisks: [{ DiskSize: 40 }] }))).code).toBe("InvalidParameterValue");
    expect((await sdkError(cvm.InquiryPriceResizeInstanceDisks({ InstanceId: i.InstanceId! }))).code).toBe("MissingParameter.AtLeastOne");
  });

  it("InquiryPriceResetInstance: the price with the system disk it would have", async () => {
    const i = await hourly();
    expect((await cvm.InquiryPriceResetInstance({ InstanceId: i.InstanceId! })).Price!.InstancePrice!.UnitPrice).toBe(cents(type("S5.MEDIUM4").POSTPAID_BY_HOUR! + SYSTEM_HOUR));
    const bigger = await cvm.InquiryPriceResetInstance({ InstanceId: i.InstanceId!, ImageId: "img-9id7emv7", SystemDisk: { DiskSize: 80 } });
    expect(bigger.Price!.InstancePrice!.UnitPrice).toBe(cents(type("S5.MEDIUM4").POSTPAID_BY_HOUR! + 80 * disk("CLOUD_PREMIUM").perGiBHour));
    expect((await sdkError(cvm.InquiryPriceResetInstance({ InstanceId: i.InstanceId!, ImageId: "img-3la7wgnt" }))).code).toBe("InvalidParameterValue.InvalidImageIdForRetsetInstance");
    expect((await sdkError(cvm.InquiryPriceResetInstance({ InstanceId: i.InstanceId!, ImageId: "img-00000000" }))).code).toBe("InvalidImageId.NotFound");
  });

  it("InquiryPriceModifyInstancesChargeType: a period of monthly billing, or the hourly price", async () => {
    const [a, b] = [await hourly(), await hourly({ InstanceType: "S5.LARGE8" })];
    const out = await cvm.InquiryPriceModifyInstancesChargeType({ InstanceIds: [a.InstanceId!, b.InstanceId!], InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 12 } });
    const original = cents(cents(type("S5.MEDIUM4").PREPAID! + SYSTEM_MONTH) * 12 + cents(type("S5.LARGE8").PREPAID! + SYSTEM_MONTH) * 12);
    expect(out.Price!.InstancePrice).toMatchObject({ OriginalPrice: original, Discount: discount[12] });
    const prepaid = await monthly();
    const back = await cvm.InquiryPriceModifyInstancesChargeType({ InstanceIds: [prepaid.InstanceId!], InstanceChargeType: "POSTPAID_BY_HOUR" });
    expect(back.Price!.InstancePrice).toMatchObject({ UnitPrice: cents(type("S5.MEDIUM4").POSTPAID_BY_HOUR! + SYSTEM_HOUR), ChargeUnit: "HOUR" });
    expect((await sdkError(cvm.InquiryPriceModifyInstancesChargeType({ InstanceIds: [prepaid.InstanceId!], InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } }))).code).toBe("UnsupportedOperation.InstanceChargeType");
    expect((await sdkError(cvm.InquiryPriceModifyInstancesChargeType({ InstanceIds: [a.InstanceId!], InstanceChargeType: "PREPAID" }))).code).toBe("MissingParameter");
  });

  it("InquiryPriceRenewInstances: months of the instance and its monthly bandwidth, with the discount", async () => {
    const i = await monthly({ InternetAccessible: { InternetMaxBandwidthOut: 10 } });
    const out = await cvm.InquiryPriceRenewInstances({ InstanceIds: [i.InstanceId!], InstanceChargePrepaid: { Period: 12 } });
    const original = cents(cents(type("S5.MEDIUM4").PREPAID! + SYSTEM_MONTH) * 12);
    expect(out.Price!.InstancePrice).toMatchObject({ OriginalPrice: original, DiscountPrice: cents((original * discount[12]) / 100), Discount: discount[12] });
    const [low, high] = table.bandwidth.BANDWIDTH_PREPAID!.perMbpsMonth;
    expect(out.Price!.BandwidthPrice).toMatchObject({ OriginalPrice: cents(cents(5 * low.price + 5 * high.price) * 12) });
    const postpaid = await hourly();
    expect((await sdkError(cvm.InquiryPriceRenewInstances({ InstanceIds: [postpaid.InstanceId!], InstanceChargePrepaid: { Period: 1 } }))).code).toBe("InvalidInstance.NotSupported");
    expect((await sdkError(cvm.InquiryPriceRenewInstances({ InstanceIds: [i.InstanceId!, postpaid.InstanceId!], InstanceChargePrepaid: { Period: 1 } }))).code).toBe("InvalidParameterValue.InstanceNotSupportedMixPricingModel");
    expect((await sdkError(cvm.InquiryPriceRenewInstances({ InstanceIds: [i.InstanceId!], InstanceChargePrepaid: { Period: 7 * 12 } }))).code).toBe("InvalidPeriod");
  });

  it("InquiryPriceResetInstancesInternetMaxBandwidth: by the GB, by the hour, or the monthly difference over the window", async () => {
    const traffic = await hourly({ InternetAccessible: { InternetMaxBandwidthOut: 5 } });
    const t = await cvm.InquiryPriceResetInstancesInternetMaxBandwidth({ InstanceIds: [traffic.InstanceId!], InternetAccessible: { InternetMaxBandwidthOut: 50 } });
    expect(t.Price!.BandwidthPrice).toMatchObject({ UnitPrice: table.bandwidth.TRAFFIC_POSTPAID_BY_HOUR!.perGB, ChargeUnit: "GB" });

    const byHour = await hourly({ InternetAccessible: { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 5 } });
    const [low, high] = table.bandwidth.BANDWIDTH_POSTPAID_BY_HOUR!.perMbpsHour;
    const h = await cvm.InquiryPriceResetInstancesInternetMaxBandwidth({ InstanceIds: [byHour.InstanceId!], InternetAccessible: { InternetMaxBandwidthOut: 8 } });
    expect(h.Price!.BandwidthPrice).toMatchObject({ UnitPrice: cents(5 * low.price + 3 * high.price), ChargeUnit: "HOUR" });

    const prepaid = await monthly({ InternetAccessible: { InternetMaxBandwidthOut: 10 } });
    const [ml, mh] = table.bandwidth.BANDWIDTH_PREPAID!.perMbpsMonth;
    const m = await cvm.InquiryPriceResetInstancesInternetMaxBandwidth({
      InstanceIds: [prepaid.InstanceId!],
      InternetAccessible: { InternetMaxBandwidthOut: 20 },
      StartTime: "2030-01-01T00:00:00Z",
      EndTime: "2030-01-16T00:00:00Z",
    });
    const diff = cents(5 * ml.price + 15 * mh.price) - cents(5 * ml.price + 5 * mh.price);
    expect(m.Price!.BandwidthPrice).toMatchObject({ OriginalPrice: cents((diff * 15) / 30), DiscountPrice: cents((diff * 15) / 30) });

    const call = (ids: string[], extra: object = {}) => cvm.InquiryPriceResetInstancesInternetMaxBandwidth({ InstanceIds: ids, InternetAccessible: { InternetMaxBandwidthOut: 20 }, ...extra });
    expect((await sdkError(call([traffic.InstanceId!, byHour.InstanceId!]))).code).toBe("InvalidParameterCombination");
    expect((await sdkError(call([traffic.InstanceId!], { StartTime: "2030-01-01T00:00:00Z" }))).code).toBe("InvalidParameterCombination");
    expect((await sdkError(call([traffic.InstanceId!], { InternetAccessible: { InternetMaxBandwidthOut: 201 } }))).code).toBe("InvalidParameterValue.Range");
    expect((await sdkError(call([prepaid.InstanceId!], { InternetAccessible: { InternetMaxBandwidthOut: 5 } }))).code).toBe("InvalidParameterValue");
    const another = await hourly({ InternetAccessible: { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 5 } });
    expect((await sdkError(call([byHour.InstanceId!, another.InstanceId!]))).code).toBe("InvalidParameterValue.LimitExceeded");
  });

  it("InquiryPriceTerminateInstances: a monthly instance's days left refunded, nothing for pay-as-you-go", async () => {
    const prepaid = await monthly({ InternetAccessible: { InternetMaxBandwidthOut: 1 } });
    const out = await cvm.InquiryPriceTerminateInstances({ InstanceIds: [prepaid.InstanceId!] });
    const perMonth = cents(type("S5.MEDIUM4").PREPAID! + SYSTEM_MONTH) + table.bandwidth.BANDWIDTH_PREPAID!.perMbpsMonth[0].price;
    const days = daysLeft(prepaid.ExpiredTime!);
    expect(out.InstanceRefundsSet).toEqual([{ InstanceId: prepaid.InstanceId, Refunds: cents((perMonth * days) / 30), PriceDetail: expect.stringContaining(`${days} day(s) left`) }]);
    const postpaid = await hourly();
    expect((await cvm.InquiryPriceTerminateInstances({ InstanceIds: [postpaid.InstanceId!] })).InstanceRefundsSet).toEqual([
      { InstanceId: postpaid.InstanceId, Refunds: 0, PriceDetail: expect.stringContaining("nothing is refunded") },
    ]);
    expect((await sdkError(cvm.InquiryPriceTerminateInstances({ InstanceIds: [prepaid.InstanceId!, postpaid.InstanceId!] }))).code).toBe("UnsupportedOperation.InstanceMixedPricingModel");
  });

  it("changes nothing", async () => {
    const i = await hourly();
    await cvm.InquiryPriceResetInstancesType({ InstanceIds: [i.InstanceId!], InstanceType: "S5.LARGE8" });
    await cvm.InquiryPriceModifyInstancesChargeType({ InstanceIds: [i.InstanceId!], InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } });
    await cvm.InquiryPriceTerminateInstances({ InstanceIds: [i.InstanceId!] });
    expect((await describe(cvm, [i.InstanceId!]))[0]).toMatchObject({ InstanceType: "S5.MEDIUM4", InstanceChargeType: "POSTPAID_BY_HOUR", InstanceState: "RUNNING", LatestOperation: "RunInstances" });
  });

  it.each([
    ["InquiryPriceResetInstancesType", () => cvm.InquiryPriceResetInstancesType({ InstanceIds: ["ins-zzzzzzzz"], InstanceType: "S5.LARGE8" }), "InvalidInstanceId.NotFound"],
    ["InquiryPriceResetInstancesType", () => cvm.InquiryPriceResetInstancesType({ InstanceIds: ["i-1"], InstanceType: "S5.LARGE8" }), "InvalidParameterValue.InstanceIdMalformed"],
    ["InquiryPriceRenewInstances", () => cvm.InquiryPriceRenewInstances({ InstanceIds: ["ins-zzzzzzzz"], InstanceChargePrepaid: { Period: 1 } }), "InvalidInstanceId.NotFound"],
    ["InquiryPriceTerminateInstances", () => cvm.InquiryPriceTerminateInstances({ InstanceIds: Array.from({ length: 101 }, (_, i) => `ins-${String(i).padStart(8, "0")}`) }), "InvalidParameterValue.LimitExceeded"],
  ])("%s refuses with %s", async (_action, call, code) => {
    expect((await sdkError(call())).code).toBe(code);
  });

  it("InquiryPriceResetInstancesType refuses what ResetInstancesType would", async () => {
    const gz4 = await hourly({ Placement: { Zone: "ap-guangzhou-4" } });
    expect((await sdkError(cvm.InquiryPriceResetInstancesType({ InstanceIds: [gz4.InstanceId!], InstanceType: "S5.4XLARGE64" }))).code).toBe("ResourcesSoldOut.SpecifiedInstanceType");
    expect((await sdkError(cvm.InquiryPriceResetInstancesType({ InstanceIds: [gz4.InstanceId!], InstanceType: "GN7.2XLARGE32" }))).code).toBe("InvalidParameterValue.GPUInstanceFamily");
    expect((await sdkError(cvm.InquiryPriceResetInstancesType({ InstanceIds: [gz4.InstanceId!], InstanceType: "SR1.LARGE8" }))).code).toBe("ResourceUnavailable.InstanceType");
    expect((await sdkError(cvm.InquiryPriceResetInstancesType({ InstanceIds: [gz4.InstanceId!], InstanceType: "S5.MEDIUM4" }))).code).toBe("InvalidParameterValue");
  });
});
