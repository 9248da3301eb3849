// The billing service (billing 2018-07-09) through the official CommonClient: balances, bill details, resource
// summaries and the summaries by product, region and pay mode, answered from what hourly settlement and monthly
// purchases wrote while the service clock moved forward.
import { describe, expect, it } from "vitest";
import { HOUR_MS } from "../../src/billing/metering.js";
import { MICRO } from "../../src/billing/rating.js";
import { generateKeyPair } from "../../src/keys.js";
import { launch, waitFor, ZONE, UBUNTU } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

type Client = ReturnType<typeof commonClient>;
type Line = Record<string, any>;

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
let en: Client;
let zh: Client;
let other: Client;
let month: string;
/** Pay-as-you-go instances launched by the first test: a full hour of either costs `hourly`. */
let hourlyIds: string[];
let hourly: number;
let projectInstance: string;
/** An EIP bound to nothing in ap-shanghai, which costs its idle fee. */
let eip: string;

const billingClient = (o: Parameters<typeof commonClient>[2] = {}) => commonClient(server, "2018-07-09", { region: null, ...o });
/** An amount the API writes (a decimal string of the currency, or cents) in micro-units. */
const micro = (amount: string | number) => Math.round(Number(amount) * MICRO);
const fromCents = (cents: number) => Math.round(cents * (MICRO / 100));
const lineCost = (l: Line) => l.ComponentSet.reduce((sum: number, c: Line) => sum + micro(c.RealCost), 0);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function details(client: Client, params: object = {}): Promise<Line[]> {
  const out: Line[] = [];
  for (let offset = 0; ; offset += 300) {
    const page = await client.request("DescribeBillDetail", { Month: month, Offset: offset, Limit: 300, ...params });
    out.push(...page.DetailSet);
    if (offset + 300 >= page.Total) return out;
  }
}

serverForFile(async (started) => {
  server = started;
  cvm = cvmClient(server);
  en = billingClient({ language: "en-US" });
  zh = billingClient({ language: "zh-CN" });
  const key = generateKeyPair();
  await server.store.accounts.create(key);
  other = billingClient({ secretId: key.secretId, secretKey: key.secretKey, language: "en-US" });
  // Everything this file bills falls in one month: start early in the next one if this one is nearly over.
  const now = server.clock.now();
  if (now.getUTCDate() >= 27) {
    const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 0, 30);
    await server.timekeeper.advance(next - now.getTime());
  }
  month = server.clock.now().toISOString().slice(0, 7);
}, { OPENCVM_TIMING: "instant" });

describe("hourly settlement", () => {
  it("bills each hour of a pay-as-you-go instance at its quoted price and takes it from the balance", async () => {
    const opening = await en.request("DescribeAccountBalance", {});
    expect(opening).toMatchObject({ OweAmount: 0, FreezeAmount: 0, IsAllowArrears: true, IsCreditLimited: false, CreditAmount: 0, CreditBalance: 0 });
    expect(opening.CashAccountBalance).toBe(server.config.balance * 100);
    const quote = await cvm.InquiryPriceRunInstances({ Placement: { Zone: ZONE }, ImageId: UBUNTU, InstanceType: "S5.MEDIUM4" });
    hourly = micro(quote.Price!.InstancePrice!.UnitPrice!);

    hourlyIds = (await launch(cvm, { InstanceCount: 2 })).InstanceIdSet!;
    projectInstance = (await launch(cvm, { Placement: { Zone: ZONE, ProjectId: 7 } })).InstanceIdSet![0];
    await waitFor(cvm, [...hourlyIds, projectInstance], "RUNNING");
    eip = (await commonClient(server, "2017-03-12", { region: "ap-shanghai" }).request("AllocateAddresses", {})).AddressSet[0];
    // An hour of each is frozen from purchase to termination.
    expect(fromCents((await en.request("DescribeAccountBalance", {})).FreezeAmount)).toBe(3 * hourly);
    await server.timekeeper.advance(2 * HOUR_MS);

    for (const id of hourlyIds) {
      const lines = await details(en, { ResourceId: id });
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const l of lines) {
        expect(l).toMatchObject({ ResourceId: id, ActionType: "postpay_deduct_h", BusinessCode: "p_cvm", ProductCode: "sp_cvm_s5", OrderId: "", Tags: [] });
        expect(l.FeeBeginTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      }
      const full = lines.filter((l) => Date.parse(`${l.FeeEndTime}Z`) - Date.parse(`${l.FeeBeginTime}Z`) === HOUR_MS);
      expect(full.length).toBeGreaterThanOrEqual(1);
      for (const l of full) {
        expect(lineCost(l)).toBe(hourly);
        expect(l.ComponentSet).toHaveLength(1);
        expect(l.ComponentSet[0]).toMatchObject({ ComponentCode: "v_cvm_instance", TimeSpan: "1", UsedAmount: "1", TimeUnitName: "hour", Discount: "1" });
        expect(micro(l.ComponentSet[0].SinglePrice)).toBe(hourly);
        expect(l.ComponentSet[0].CashPayAmount).toBe(l.ComponentSet[0].RealCost);
      }
    }

    const [idle] = await details(en, { ResourceId: eip });
    expect(idle).toMatchObject({ BusinessCode: "p_eip", BusinessCodeName: "Elastic IP", ProductCode: "sp_eip", RegionId: "2", RegionName: "East China(Shanghai)", ZoneName: "" });
    expect(idle.ComponentSet[0]).toMatchObject({ ComponentCode: "v_eip_idle", ComponentCodeName: "Idle IP fee" });

    const all = await details(en);
    const balance = await en.request("DescribeAccountBalance", {});
    // Whole cents, each member rounded on its own: the lines' exact total is within a cent of what the cash shows.
    for (const m of ["Balance", "RealBalance", "CashAccountBalance", "FreezeAmount", "OweAmount"]) expect(Number.isInteger(balance[m])).toBe(true);
    expect(Math.abs(fromCents(opening.CashAccountBalance) - fromCents(balance.CashAccountBalance) - sum(all.map(lineCost)))).toBeLessThanOrEqual(fromCents(1));
    expect(Math.abs(balance.RealBalance - (balance.CashAccountBalance - balance.FreezeAmount - balance.OweAmount))).toBeLessThanOrEqual(2);
    expect(balance.Balance).toBe(balance.RealBalance);
    expect(balance.Uin).toBe(Number(server.defaultAccount.account.uin));
  });

  it("names lines in the request's language, with the catalog's region, zone and family names", async () => {
    const [l] = await details(zh, { ResourceId: hourlyIds[0] });
    expect(l).toMatchObject({
      ActionTypeName: "按量计费小时结",
      PayModeName: "按量计费",
      BusinessCodeName: "云服务器CVM",
      ProductCodeName: "云服务器CVM-标准型S5",
      RegionName: "华南地区(广州)",
      ZoneName: "广州三区",
      ProjectName: "默认项目",
      RegionId: "1",
    });
    expect(l.ComponentSet[0]).toMatchObject({ ComponentCodeName: "计算与存储", TimeUnitName: "小时", PriceUnit: "元/个/小时" });
    const [e] = await details(en, { ResourceId: hourlyIds[0] });
    // Launched without a name: RunInstances' default name, in the request's language on the bill.
    expect(l.ResourceName).toMatch(/^未命名\d*$/);
    expect(e.ResourceName).toBe(l.ResourceName.replace("未命名", "Unnamed"));
    expect(e).toMatchObject({ ActionTypeName: "Pay-as-you-go hourly settlement", PayModeName: "Pay-As-You-Go", RegionName: "South China(Guangzhou)", ZoneName: "Guangzhou Zone 3", ProjectName: "Default Project" });
    expect(e.BillId).toBe(l.BillId);
  });
});

describe("monthly purchases", () => {
  it("shows a purchase as one pre_purchase line of the quoted discounted price", async () => {
    const prepaid = { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1, RenewFlag: "NOTIFY_AND_MANUAL_RENEW" } } as const;
    const quote = await cvm.InquiryPriceRunInstances({ Placement: { Zone: ZONE }, ImageId: UBUNTU, InstanceType: "S5.MEDIUM4", ...prepaid });
    const [id] = (await launch(cvm, prepaid)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    const lines = await details(zh, { ResourceId: id });
    expect(lines).toHaveLength(1);
    const [l] = lines;
    expect(l).toMatchObject({ ActionType: "pre_purchase", ActionTypeName: "包年包月新购", PayModeName: "包年包月", OrderId: l.BillId });
    expect(lineCost(l)).toBe(micro(quote.Price!.InstancePrice!.DiscountPrice!));
    expect(l.ComponentSet[0]).toMatchObject({ TimeSpan: "1", TimeUnitName: "月" });
  });
});

describe("summaries", () => {
  it("add up to the detail lines, per resource, product, region and pay mode", async () => {
    const all = await details(en);
    const total = sum(all.map(lineCost));
    const by = (key: (l: Line) => string) => {
      const m = new Map<string, number>();
      for (const l of all) m.set(key(l), (m.get(key(l)) ?? 0) + lineCost(l));
      return m;
    };
    const span = { BeginTime: month, EndTime: month };

    const product = await en.request("DescribeBillSummaryByProduct", span);
    expect(product.Ready).toBe(1);
    expect(micro(product.SummaryTotal.RealTotalCost)).toBe(total);
    expect(new Map(product.SummaryOverview.map((i: Line) => [i.BusinessCode, micro(i.RealTotalCost)]))).toEqual(by((l) => l.BusinessCode));
    expect(product.SummaryOverview[0]).toMatchObject({ BusinessCode: "p_cvm", BusinessCodeName: "Cloud Virtual Machine CVM", BillMonth: month });
    const hundred = (items: Line[]) => expect(Math.abs(sum(items.map((i) => Number(i.RealTotalCostRatio))) - 100)).toBeLessThanOrEqual(0.01);
    hundred(product.SummaryOverview);

    const region = (await en.request("DescribeBillSummaryByRegion", span)).SummaryOverview;
    expect(new Map(region.map((i: Line) => [i.RegionId, micro(i.CashPayAmount)]))).toEqual(by((l) => l.RegionId));
    expect(region.map((i: Line) => i.RegionName)).toEqual(["South China(Guangzhou)", "East China(Shanghai)"]);
    hundred(region);

    const modes = (await zh.request("DescribeBillSummaryByPayMode", span)).SummaryOverview;
    expect(new Map(modes.map((m: Line) => [m.PayMode, micro(m.RealTotalCost)]))).toEqual(by((l) => (l.ActionType.startsWith("pre_") ? "prePay" : "postPay")));
    hundred(modes);
    const postPay = modes.find((m: Line) => m.PayMode === "postPay");
    expect(postPay).toMatchObject({ PayModeName: "按量计费", Detail: [expect.objectContaining({ ActionType: "postpay_deduct_h", ActionTypeName: "按量计费小时结", RealTotalCostRatio: "100.00" })] });
    const types = modes.flatMap((m: Line) => m.Detail.map((d: Line) => [d.ActionType, micro(d.RealTotalCost)]));
    expect(new Map(types)).toEqual(by((l) => l.ActionType));

    const resources = await en.request("DescribeBillResourceSummary", { Month: month, Offset: 0, Limit: 1000, NeedRecordNum: 1 });
    const perResource = by((l) => `${l.ResourceId}/${l.ActionTypeName}`);
    expect(resources.Total).toBe(perResource.size);
    expect(new Map(resources.ResourceSummarySet.map((r: Line) => [`${r.ResourceId}/${r.ActionTypeName}`, micro(r.RealTotalCost)]))).toEqual(perResource);
    const first = resources.ResourceSummarySet.find((r: Line) => r.ResourceId === hourlyIds[0]);
    const itsLines = all.filter((l) => l.ResourceId === hourlyIds[0]);
    expect(first).toMatchObject({ FeeBeginTime: itsLines[0].FeeBeginTime, PayTime: itsLines.at(-1)!.PayTime, RegionId: 1, BillMonth: month });
    expect(first.ConfigDesc).toContain("InstanceType: S5.MEDIUM4");
  });

  it("refuses a summary across months, naming the field", async () => {
    for (const action of ["DescribeBillSummaryByProduct", "DescribeBillSummaryByRegion", "DescribeBillSummaryByPayMode"]) {
      const e = await sdkError(en.request(action, { BeginTime: "2024-05", EndTime: "2024-06" }));
      expect(e.code).toBe("InvalidParameterValue");
      expect(e.message).toContain("EndTime");
    }
  });
});

describe("paging and filters", () => {
  it("pages details and resource summaries", async () => {
    const all = await details(en);
    expect(all.length).toBeGreaterThan(5);
    const paged: Line[] = [];
    for (let offset = 0; offset < all.length; offset += 2) {
      const page = await en.request("DescribeBillDetail", { Month: month, Offset: offset, Limit: 2, NeedRecordNum: 1 });
      expect(page.Total).toBe(all.length);
      expect(page.Context).toBe("");
      paged.push(...page.DetailSet);
    }
    expect(paged.map((l) => l.BillId)).toEqual(all.map((l) => l.BillId));
    const whole = (await en.request("DescribeBillResourceSummary", { Month: month, Offset: 0, Limit: 1000 })).ResourceSummarySet;
    const second = await en.request("DescribeBillResourceSummary", { Month: month, Offset: 1, Limit: 1 });
    expect(second.ResourceSummarySet.map((r: Line) => r.ResourceId)).toEqual([whole[1].ResourceId]);
    expect(second.Total).toBe(whole.length);
  });

  it("filters by pay mode, resource, transaction type (name in either language, or code), product and project", async () => {
    const all = await details(en);
    const ids = (lines: Line[]) => lines.map((l) => l.BillId);
    const where = (keep: (l: Line) => boolean) => ids(all.filter(keep));
    expect(ids(await details(en, { PayMode: "postPay" }))).toEqual(where((l) => l.ActionType === "postpay_deduct_h"));
    expect(ids(await details(en, { PayMode: "prePay" }))).toEqual(where((l) => l.ActionType === "pre_purchase"));
    expect(ids(await details(en, { ResourceId: hourlyIds[1] }))).toEqual(where((l) => l.ResourceId === hourlyIds[1]));
    for (const ActionType of ["按量计费小时结", "Pay-as-you-go hourly settlement", "postpay_deduct_h"]) {
      expect(ids(await details(en, { ActionType }))).toEqual(where((l) => l.ActionType === "postpay_deduct_h"));
    }
    expect(await details(en, { ActionType: "按量计费日结" })).toEqual([]);
    expect(ids(await details(en, { BusinessCode: "p_cvm" }))).toEqual(where((l) => l.BusinessCode === "p_cvm"));
    expect(ids(await details(en, { BusinessCode: "p_eip" }))).toEqual(where((l) => l.ResourceId === eip));
    expect(await details(en, { BusinessCode: "p_cdn" })).toEqual([]);
    const project = await details(en, { ProjectId: 7 });
    expect(ids(project)).toEqual(where((l) => l.ResourceId === projectInstance));
    expect(project[0]).toMatchObject({ ProjectId: 7, ProjectName: "7" });
    // BeginTime and EndTime select their month, as documented: the whole of it.
    const { BeginTime, EndTime } = { BeginTime: `${month}-01 00:00:00`, EndTime: `${month}-02 00:00:00` };
    const byTimes = await en.request("DescribeBillDetail", { BeginTime, EndTime, Month: "2001-01", Offset: 0, Limit: 300 });
    expect(byTimes.Total).toBe(all.length);
    const summary = await en.request("DescribeBillResourceSummary", { Month: month, Offset: 0, Limit: 1000, PayMode: "prePay" });
    expect(summary.ResourceSummarySet.map((r: Line) => r.PayModeName)).toEqual(["Monthly Subscription"]);
    expect((await en.request("DescribeBillResourceSummary", { Month: month, Offset: 0, Limit: 1000, TagKey: "team" })).Total).toBe(0);
    expect((await en.request("DescribeBillSummaryByProduct", { BeginTime: month, EndTime: month, PayType: "refund" })).SummaryOverview).toEqual([]);
  });
});

describe("accounts", () => {
  it("never shows one account another's bills or money", async () => {
    expect((await other.request("DescribeBillDetail", { Month: month, Offset: 0, Limit: 300 })).Total).toBe(0);
    expect((await other.request("DescribeBillDetail", { Month: month, Offset: 0, Limit: 300, ResourceId: hourlyIds[0] })).DetailSet).toEqual([]);
    expect((await other.request("DescribeBillResourceSummary", { Month: month, Offset: 0, Limit: 1000 })).Total).toBe(0);
    for (const action of ["DescribeBillSummaryByProduct", "DescribeBillSummaryByRegion", "DescribeBillSummaryByPayMode"]) {
      expect((await other.request(action, { BeginTime: month, EndTime: month })).SummaryOverview).toEqual([]);
    }
    const balance = await other.request("DescribeAccountBalance", {});
    expect(balance).toMatchObject({ CashAccountBalance: server.config.balance * 100, FreezeAmount: 0, OweAmount: 0 });
    const e = await sdkError(other.request("DescribeBillDetail", { Month: month, Offset: 0, Limit: 10, PayerUin: server.defaultAccount.account.uin }));
    expect(e.code).toBe("InvalidParameterValue");
  });
});

describe("bad input", () => {
  const detail = (extra: object) => ({ Month: "2024-05", Offset: 0, Limit: 10, ...extra });
  it.each([
    ["DescribeBillDetail", detail({ Limit: 301 }), "InvalidParameterValue", "Limit"],
    ["DescribeBillDetail", detail({ Limit: 0 }), "InvalidParameterValue", "Limit"],
    ["DescribeBillDetail", { Offset: 0, Limit: 10 }, "MissingParameter", "Month"],
    ["DescribeBillDetail", detail({ Month: "2024-13" }), "InvalidParameterValue", "Month"],
    ["DescribeBillDetail", detail({ Month: "2024/05" }), "InvalidParameterValue", "Month"],
    ["DescribeBillDetail", detail({ BeginTime: "2024-05-01 00:00:00" }), "MissingParameter", "EndTime"],
    ["DescribeBillDetail", detail({ BeginTime: "2024-05-01 00:00:00", EndTime: "2024-06-01 00:00:00" }), "InvalidParameterValue", "EndTime"],
    ["DescribeBillDetail", detail({ BeginTime: "2024-05-10 00:00:00", EndTime: "2024-05-01 00:00:00" }), "InvalidParameterValue", "EndTime"],
    ["DescribeBillDetail", detail({ BeginTime: "2024-02-30 00:00:00", EndTime: "2024-02-28 00:00:00" }), "InvalidParameterValue", "BeginTime"],
    ["DescribeBillDetail", detail({ PayMode: "monthly" }), "InvalidParameterValue", "PayMode"],
    ["DescribeBillDetail", detail({ PeriodType: "byMoon" }), "InvalidParameterValue", "PeriodType"],
    ["DescribeBillDetail", detail({ NeedRecordNum: 2 }), "InvalidParameterValue", "NeedRecordNum"],
    ["DescribeBillDetail", detail({ ProjectId: -1 }), "InvalidParameterValue", "ProjectId"],
    ["DescribeBillResourceSummary", detail({ Limit: 1001 }), "InvalidParameterValue", "Limit"],
    ["DescribeBillResourceSummary", { Offset: 0, Limit: 10 }, "MissingParameter", "Month"],
    ["DescribeBillResourceSummary", detail({ Month: "May" }), "InvalidParameterValue", "Month"],
    ["DescribeBillSummaryByProduct", { BeginTime: "2024-5", EndTime: "2024-05" }, "InvalidParameterValue", "BeginTime"],
    ["DescribeBillSummaryByProduct", { BeginTime: "2024-05", EndTime: "2024-05", PayType: "gift" }, "InvalidParameterValue", "PayType"],
    ["DescribeBillSummaryByRegion", { BeginTime: "2024-05", EndTime: "2024-05", PayerUin: "1" }, "InvalidParameterValue", "PayerUin"],
    ["DescribeBillSummaryByPayMode", { BeginTime: "2024-05" }, "MissingParameter", "EndTime"],
  ])("%s %j answers %s naming %s", async (action, params, code, field) => {
    const e = await sdkError(en.request(action, params));
    expect(e.code).toBe(code);
    expect(e.message).toContain(field);
  });
});
