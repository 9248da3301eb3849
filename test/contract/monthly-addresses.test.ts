// Monthly EIPs (BANDWIDTH_PREPAID_BY_MONTH) through the official CommonClient for `vpc`: bought with
// AllocateAddresses, switched with ModifyAddressInternetChargeType, renewed with RenewAddresses, returned with
// ReleaseAddresses, each paying or refunding what InquiryPriceRunInstances quotes for a month of prepaid bandwidth.
import { describe, expect, it } from "vitest";
import { addMonths } from "../../src/domain/dates.js";
import { balanceOf, fullHours, linesOf, micro } from "../helpers/bills.js";
import { commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";
import { launch, waitFor } from "../helpers/instances.js";

let server: TestServer;
let vpc: ReturnType<typeof commonClient>;
let cvm: ReturnType<typeof cvmClient>;
let appId: number;
serverForFile((started) => {
  server = started;
  vpc = commonClient(server, "2017-03-12", { language: "en-US" });
  cvm = cvmClient(server);
  appId = server.defaultAccount.account.appId;
}, { OPENCVM_TIMING: "instant" });

const call = (action: string, params: object = {}) => vpc.request(action, params);
const address = async (id: string) => (await call("DescribeAddresses", { AddressIds: [id] })).AddressSet[0];
const cash = async () => (await balanceOf(server, appId)).cash;

/** What `months` of `mbps` prepaid bandwidth cost, as the CVM inquiry quotes it (micro-units). */
async function quote(mbps: number, months: number): Promise<number> {
  const q = await cvm.InquiryPriceRunInstances({
    Placement: { Zone: "ap-guangzhou-3" },
    ImageId: "img-487zeit5",
    InstanceType: "S5.MEDIUM4",
    InstanceChargeType: "PREPAID",
    InstanceChargePrepaid: { Period: months },
    InternetAccessible: { InternetChargeType: "BANDWIDTH_PREPAID", InternetMaxBandwidthOut: mbps },
  } as never);
  return micro(q.Price!.BandwidthPrice!.DiscountPrice!);
}

async function monthly(mbps = 5, months = 1, AutoRenewFlag = 0): Promise<string> {
  const out = await call("AllocateAddresses", { InternetChargeType: "BANDWIDTH_PREPAID_BY_MONTH", InternetMaxBandwidthOut: mbps, AddressChargePrepaid: { Period: months, AutoRenewFlag } });
  return out.AddressSet[0];
}

describe("monthly EIPs", () => {
  it("buys a term with AllocateAddresses, paying the quoted bandwidth, with its deadline and renewal flag shown", async () => {
    const price = await quote(5, 3);
    expect(price).toBeGreaterThan(0);
    const before = await cash();
    const id = await monthly(5, 3, 1);
    expect(before - (await cash())).toBe(price);
    const a = await address(id);
    const now = new Date(server.clock.nowMs()).toISOString().replace(/\.\d{3}Z$/, "Z");
    expect(a).toMatchObject({ InternetChargeType: "BANDWIDTH_PREPAID_BY_MONTH", Bandwidth: 5, RenewFlag: "NOTIFY_AND_AUTO_RENEW", IsArrears: false });
    expect(Math.abs(Date.parse(a.DeadlineDate) - Date.parse(addMonths(now, 3)))).toBeLessThan(5_000);
    const [line] = await linesOf(server, appId, id);
    expect(line).toMatchObject({ businessCode: "p_eip", actionType: "pre_purchase", payMode: "prePay", amount: price });
    // As the billing service shows it: an EIP's monthly purchase.
    const billing = commonClient(server, "2018-07-09", { language: "en-US" });
    const { DetailSet } = await billing.request("DescribeBillDetail", { Month: line.month, Offset: 0, Limit: 300, ResourceId: id });
    expect(DetailSet).toHaveLength(1);
    expect(DetailSet[0]).toMatchObject({ BusinessCode: "p_eip", ProductCode: "sp_eip", PayModeName: "Monthly Subscription", ActionType: "pre_purchase", ResourceId: id });
  });

  it("renews from the old deadline, charging the months' quote, and refuses what is not monthly", async () => {
    const id = await monthly();
    const deadline = (await address(id)).DeadlineDate;
    const price = await quote(5, 2);
    const before = await cash();
    await call("RenewAddresses", { AddressIds: [id], AddressChargePrepaid: { Period: 2, AutoRenewFlag: 2 } });
    expect(before - (await cash())).toBe(price);
    expect(await address(id)).toMatchObject({ DeadlineDate: addMonths(deadline, 2), RenewFlag: "DISABLE_NOTIFY_AND_MANUAL_RENEW" });
    expect((await linesOf(server, appId, id)).map((l) => l.actionType)).toEqual(["pre_purchase", "pre_renew"]);

    const [hourly] = (await call("AllocateAddresses", {})).AddressSet;
    expect((await sdkError(call("RenewAddresses", { AddressIds: [id, hourly], AddressChargePrepaid: { Period: 1 } }))).code).toBe("UnsupportedOperation.InvalidAddressInternetChargeType");
    // Refused as a whole: the monthly address named first was not renewed either.
    expect((await address(id)).DeadlineDate).toBe(addMonths(deadline, 2));
    expect((await sdkError(call("RenewAddresses", { AddressIds: [id], AddressChargePrepaid: { Period: 13 } }))).message).toContain("AddressChargePrepaid.Period");
    expect((await sdkError(call("RenewAddresses", { AddressIds: ["eip-00000000"], AddressChargePrepaid: { Period: 1 } }))).code).toBe("InvalidAddressId.NotFound");
    expect((await sdkError(call("RenewAddresses", { AddressIds: ["nope"], AddressChargePrepaid: { Period: 1 } }))).code).toBe("InvalidParameterValue.AddressIdMalformed");
  });

  it("quotes a renewal at what RenewAddresses then charges, for every EIP named, and refuses what has no term", async () => {
    const [a, b] = [await monthly(5), await monthly(2)];
    const { Price } = await call("InquiryPriceRenewAddresses", { AddressIds: [a, b], AddressChargePrepaid: { Period: 3 } });
    const expected = (await quote(5, 3)) + (await quote(2, 3));
    expect(micro(Price.AddressPrice.DiscountPrice)).toBe(expected);
    expect(Price.AddressPrice.OriginalPrice).toBeGreaterThanOrEqual(Price.AddressPrice.DiscountPrice);
    const before = await cash();
    await call("RenewAddresses", { AddressIds: [a, b], AddressChargePrepaid: { Period: 3 } });
    expect(before - (await cash())).toBe(expected);

    const [hourly] = (await call("AllocateAddresses", {})).AddressSet;
    const inquiry = (AddressIds: string[], Period = 1) => sdkError(call("InquiryPriceRenewAddresses", { AddressIds, AddressChargePrepaid: { Period } }));
    expect(await inquiry([a, hourly])).toMatchObject({ code: "UnsupportedOperation.InvalidAddressInternetChargeType", message: expect.stringContaining("AddressIds.1") });
    expect((await inquiry(["eip-00000000"])).code).toBe("InvalidAddressId.NotFound");
    expect((await inquiry([a], 13)).message).toContain("AddressChargePrepaid.Period");
  });

  it("sets the renewal flag of monthly EIPs with ModifyAddressesRenewFlag, as DescribeAddresses then shows", async () => {
    const [a, b] = [await monthly(5, 1, 0), await monthly(5, 1, 1)];
    await call("ModifyAddressesRenewFlag", { AddressIds: [a, b], RenewFlag: "DISABLE_NOTIFY_AND_MANUAL_RENEW" });
    expect((await address(a)).RenewFlag).toBe("DISABLE_NOTIFY_AND_MANUAL_RENEW");
    expect((await address(b)).RenewFlag).toBe("DISABLE_NOTIFY_AND_MANUAL_RENEW");
    await call("ModifyAddressesRenewFlag", { AddressIds: [a], RenewFlag: "NOTIFY_AND_AUTO_RENEW" });
    expect((await address(a)).RenewFlag).toBe("NOTIFY_AND_AUTO_RENEW");

    const [hourly] = (await call("AllocateAddresses", {})).AddressSet;
    const modify = (AddressIds: string[], RenewFlag = "NOTIFY_AND_MANUAL_RENEW") => sdkError(call("ModifyAddressesRenewFlag", { AddressIds, RenewFlag }));
    // Refused as a whole: the first address keeps its flag.
    expect(await modify([a, hourly])).toMatchObject({ code: "InvalidParameterValue.ResourceNotSupport", message: expect.stringContaining("AddressIds.1") });
    expect((await address(a)).RenewFlag).toBe("NOTIFY_AND_AUTO_RENEW");
    expect((await modify([a], "SOMETIMES")).message).toContain("RenewFlag");
    expect((await modify(["eip-00000000"])).code).toBe("InvalidParameterValue.AddressNotFound");
    expect((await modify(["nope"])).code).toBe("InvalidParameterValue.AddressIdMalformed");
    // Returned during its term, the address is isolated: its flag waits for a renewal.
    await call("ReleaseAddresses", { AddressIds: [b] });
    expect((await modify([b])).code).toBe("UnsupportedOperation.AddressStatusNotPermit");
  });

  it("switches an hourly EIP to monthly and back, paying the term and refunding its rest, twice at most", async () => {
    const [id] = (await call("AllocateAddresses", { InternetMaxBandwidthOut: 2 })).AddressSet;
    expect((await sdkError(call("ModifyAddressInternetChargeType", { AddressId: id, InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 2 }))).code).toBe("InvalidParameterValue.InternetChargeTypeNotChanged");
    expect((await sdkError(call("ModifyAddressInternetChargeType", { AddressId: id, InternetChargeType: "BANDWIDTH_PREPAID_BY_MONTH", InternetMaxBandwidthOut: 4 }))).code).toBe("MissingParameter");
    expect((await sdkError(call("ModifyAddressInternetChargeType", { AddressId: id, InternetChargeType: "BANDWIDTH_PACKAGE", InternetMaxBandwidthOut: 4 }))).code).toBe("InvalidParameterValue");
    expect((await sdkError(call("ModifyAddressInternetChargeType", { AddressId: id, InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 500 }))).code).toBe("InvalidParameterValue.Range");

    const price = await quote(4, 1);
    let before = await cash();
    await call("ModifyAddressInternetChargeType", { AddressId: id, InternetChargeType: "BANDWIDTH_PREPAID_BY_MONTH", InternetMaxBandwidthOut: 4, AddressChargePrepaid: { Period: 1 } });
    expect(before - (await cash())).toBe(price);
    expect(await address(id)).toMatchObject({ InternetChargeType: "BANDWIDTH_PREPAID_BY_MONTH", Bandwidth: 4, RenewFlag: "NOTIFY_AND_MANUAL_RENEW" });

    // Back to hourly at once: the whole month is left, and refunded.
    before = await cash();
    await call("ModifyAddressInternetChargeType", { AddressId: id, InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 4 });
    const refund = (await cash()) - before;
    expect(refund).toBeGreaterThan(0);
    const a = await address(id);
    expect(a).toMatchObject({ InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", DeadlineDate: "" });
    expect(a.RenewFlag).toBeUndefined();
    expect((await linesOf(server, appId, id)).map((l) => l.actionType)).toEqual(["pre_purchase", "pre_to_post"]);

    expect((await sdkError(call("ModifyAddressInternetChargeType", { AddressId: id, InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 4 }))).code).toBe("LimitExceeded.ModifyAddressInternetChargeTypeQuota");
  });

  it("refuses a term the account cannot pay with FailedOperation.BalanceInsufficient, changing nothing", async () => {
    const [id] = (await call("AllocateAddresses", {})).AddressSet;
    const held = (await call("DescribeAddresses", {})).TotalCount;
    const saved = await balanceOf(server, appId);
    await server.store.billing.setCash(appId, saved.owed + saved.frozen, micro(server.config.balance));
    try {
      const switched = await sdkError(call("ModifyAddressInternetChargeType", { AddressId: id, InternetChargeType: "BANDWIDTH_PREPAID_BY_MONTH", InternetMaxBandwidthOut: 10, AddressChargePrepaid: { Period: 12 } }));
      expect(switched.code).toBe("FailedOperation.BalanceInsufficient");
      expect(await address(id)).toMatchObject({ InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", Bandwidth: 1 });
      expect((await sdkError(monthly(10, 12))).code).toBe("FailedOperation.BalanceInsufficient");
      expect((await call("DescribeAddresses", {})).TotalCount).toBe(held);
    } finally {
      await server.store.billing.setCash(appId, saved.cash, micro(server.config.balance));
    }
    expect(await linesOf(server, appId, id)).toEqual([]);
  });

  it("charges a bandwidth change for the rest of the term", async () => {
    const id = await monthly(2, 1);
    const before = await cash();
    await call("ModifyAddressesBandwidth", { AddressIds: [id], InternetMaxBandwidthOut: 8 });
    expect(before - (await cash())).toBeGreaterThan(0);
    expect((await linesOf(server, appId, id)).map((l) => l.actionType)).toEqual(["pre_purchase", "pre_upgrade"]);
    expect((await address(id)).Bandwidth).toBe(8);
  });

  it("is isolated by its first release during the term (IsArrears, the rest refunded) and released by the second", async () => {
    const id = await monthly(5, 1);
    const before = await cash();
    await call("ReleaseAddresses", { AddressIds: [id] });
    expect((await cash()) - before).toBeGreaterThan(0);
    expect(await address(id)).toMatchObject({ AddressStatus: "UNBIND", IsArrears: true });
    expect((await linesOf(server, appId, id)).map((l) => l.actionType)).toEqual(["pre_purchase", "pre_refund"]);

    const [instanceId] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [instanceId], "RUNNING");
    expect((await sdkError(call("AssociateAddress", { AddressId: id, InstanceId: instanceId }))).code).toBe("OperationDenied.AddressInArrears");
    expect((await sdkError(call("ModifyAddressInternetChargeType", { AddressId: id, InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 5 }))).code).toBe("OperationDenied.AddressInArrears");

    await call("ReleaseAddresses", { AddressIds: [id] });
    expect((await call("DescribeAddresses", { AddressIds: [id] })).TotalCount).toBe(0);
  });

  it("comes back from isolation when renewed, with a term from now", async () => {
    const id = await monthly(3, 1);
    await call("ReleaseAddresses", { AddressIds: [id] });
    await call("RenewAddresses", { AddressIds: [id], AddressChargePrepaid: { Period: 1 } });
    const a = await address(id);
    expect(a.IsArrears).toBe(false);
    expect(Date.parse(a.DeadlineDate)).toBeGreaterThan(server.clock.nowMs() + 27 * 86_400_000);
  });

  it("at its deadline is renewed for a month when flagged to auto-renew, and isolated otherwise", async () => {
    const auto = await monthly(3, 1, 1);
    const manual = await monthly(3, 1, 0);
    const deadline = (await address(auto)).DeadlineDate;
    const price = await quote(3, 1);
    await server.timekeeper.advance(Date.parse(deadline) - server.clock.nowMs() + 60_000);
    expect(await address(auto)).toMatchObject({ DeadlineDate: addMonths(deadline, 1), IsArrears: false });
    const renewal = (await linesOf(server, appId, auto)).filter((l) => l.actionType === "pre_renew");
    expect(renewal.map((l) => l.amount)).toEqual([price]);
    expect(await address(manual)).toMatchObject({ IsArrears: true });
    // Its monthly lines: the purchase, and no renewal (the hourly lines are its idle IP's).
    expect((await linesOf(server, appId, manual)).filter((l) => l.payMode === "prePay").map((l) => l.actionType)).toEqual(["pre_purchase"]);
    // An expired address is released at once: nothing is left of its term to isolate.
    await call("ReleaseAddresses", { AddressIds: [manual] });
    expect((await call("DescribeAddresses", { AddressIds: [manual] })).TotalCount).toBe(0);
  });

  it("pays a bound instance's public bandwidth once: the monthly EIP's term, not the instance's hourly bandwidth as well", async () => {
    const { InstanceIdSet } = await launch(cvm, { InstanceChargeType: "POSTPAID_BY_HOUR", InternetAccessible: { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 5, PublicIpAssigned: true } });
    const [instanceId] = InstanceIdSet!;
    await waitFor(cvm, [instanceId], "RUNNING");
    const components = async () => fullHours(await linesOf(server, appId, instanceId)).map((l) => l.components.map((c) => c.component).sort().join("+"));
    await server.timekeeper.advance(2 * 3_600_000);
    expect((await components()).at(-1)).toBe("bandwidth+instance");

    const id = await monthly(5, 1);
    await call("AssociateAddress", { AddressId: id, InstanceId: instanceId });
    const bound = (await components()).length;
    await server.timekeeper.advance(3 * 3_600_000);
    // The hours wholly bound bill the instance's compute only; the EIP has its purchase, and hourly only the seconds
    // it sat idle before the binding.
    const during = (await components()).slice(bound + 1);
    expect(during.length).toBeGreaterThanOrEqual(2);
    expect(new Set(during)).toEqual(new Set(["instance"]));
    const eipLines = await linesOf(server, appId, id);
    expect(eipLines.filter((l) => l.payMode === "prePay").map((l) => l.actionType)).toEqual(["pre_purchase"]);
    expect(fullHours(eipLines)).toEqual([]);

    // Unbound, the instance's own bandwidth is billed again (and the idle EIP's hourly price).
    await call("DisassociateAddress", { AddressId: id });
    const unbound = (await components()).length;
    await server.timekeeper.advance(2 * 3_600_000);
    expect((await components()).slice(unbound + 1).at(-1)).toBe("bandwidth+instance");
  });
});
