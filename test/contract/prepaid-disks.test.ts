// Monthly (PREPAID) cloud disks of their own, through the official CommonClient: InquiryPriceCreateDisks quotes both
// charge types; CreateDisks charges the quoted term up front (no hourly meter, nothing frozen) or creates nothing;
// at the end of the term a disk is renewed (NOTIFY_AND_AUTO_RENEW, paid) or goes to the recycle bin, where RenewDisk
// (at InquiryPriceRenewDisks' figure) brings it back, and it is destroyed 7 days later.
import { describe, expect, it } from "vitest";
import { addMonths } from "../../src/domain/dates.js";
import { generateKeyPair } from "../../src/keys.js";
import { launch, waitFor, ZONE } from "../helpers/instances.js";
import { admin, commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const DAY_MS = 86_400_000;
/** Tests that move the service clock over a month settle every hour of it, which takes seconds. */
const MONTHS_MS = 120_000;

let server: TestServer;
let cbs: ReturnType<typeof commonClient>;
let billing: ReturnType<typeof commonClient>;

serverForFile((started) => {
  server = started;
  cbs = commonClient(server, "2017-03-12");
  billing = commonClient(server, "2018-07-09");
}, { OPENCVM_TIMING: "instant" });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Disk = Record<string, any>;
const disk = async (id: string): Promise<Disk | undefined> => (await cbs.request("DescribeDisks", { DiskIds: [id] })).DiskSet[0];
/** The balance in cents, as DescribeAccountBalance reports it. */
const balance = async (): Promise<number> => (await billing.request("DescribeAccountBalance", {})).Balance;
const cents = (yuan: number) => Math.round(yuan * 100);
/** DescribeDisks' times ("2026-12-08 01:40:00") as the ISO times the service clock uses. */
const iso = (spaced: string) => `${spaced.replace(" ", "T")}Z`;

const monthly = (period: number, renewFlag?: string) => ({
  Placement: { Zone: ZONE },
  DiskChargeType: "PREPAID",
  DiskType: "CLOUD_PREMIUM",
  DiskSize: 100,
  DiskChargePrepaid: { Period: period, ...(renewFlag ? { RenewFlag: renewFlag } : {}) },
});

describe("InquiryPriceCreateDisks", () => {
  it("quotes an hourly unit price, and a monthly term with its discount, for the count asked", async () => {
    const hourly = (await cbs.request("InquiryPriceCreateDisks", { DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 100, DiskCount: 2 })).DiskPrice;
    expect(hourly.ChargeUnit).toBe("HOUR");
    expect(hourly.UnitPrice).toBeGreaterThan(0);
    const one = (await cbs.request("InquiryPriceCreateDisks", { DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 100 })).DiskPrice;
    expect(hourly.UnitPrice).toBeCloseTo(one.UnitPrice * 2, 2);
    const month = (await cbs.request("InquiryPriceCreateDisks", { DiskChargeType: "PREPAID", DiskType: "CLOUD_PREMIUM", DiskSize: 100, DiskChargePrepaid: { Period: 1 } })).DiskPrice;
    const year = (await cbs.request("InquiryPriceCreateDisks", { DiskChargeType: "PREPAID", DiskType: "CLOUD_PREMIUM", DiskSize: 100, DiskChargePrepaid: { Period: 12 } })).DiskPrice;
    expect(month).toMatchObject({ ChargeUnit: null, UnitPrice: null });
    expect(month.DiscountPrice).toBeGreaterThan(0);
    expect(year.OriginalPrice).toBeCloseTo(month.OriginalPrice * 12, 2);
    expect(year.DiscountPrice).toBeLessThanOrEqual(year.OriginalPrice);
  });

  it("refuses a monthly quote without a term or with a period not sold, naming the field", async () => {
    expect((await sdkError(cbs.request("InquiryPriceCreateDisks", { DiskChargeType: "PREPAID", DiskType: "CLOUD_PREMIUM", DiskSize: 100 }))).code).toBe("MissingParameter");
    const bad = await sdkError(cbs.request("InquiryPriceCreateDisks", { DiskChargeType: "PREPAID", DiskType: "CLOUD_PREMIUM", DiskSize: 100, DiskChargePrepaid: { Period: 13 } }));
    expect(bad.code).toBe("InvalidParameterValue");
    expect(bad.message).toContain("DiskChargePrepaid.Period");
    // A term for a pay-as-you-go disk is refused, not dropped.
    const termed = { DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 100, DiskChargePrepaid: { Period: 1 } };
    const quoted = await sdkError(cbs.request("InquiryPriceCreateDisks", termed));
    expect([quoted.code, quoted.message]).toEqual(["InvalidParameterValue", expect.stringContaining("DiskChargePrepaid")]);
    const created = await sdkError(cbs.request("CreateDisks", { ...termed, Placement: { Zone: ZONE } }));
    expect([created.code, created.message]).toEqual(["InvalidParameterValue", expect.stringContaining("DiskChargePrepaid")]);
  });
});

describe("a monthly disk of its own", () => {
  it("is charged the quoted term up front, shows its deadline and renewal flag, and costs nothing by the hour", async () => {
    const quote = (await cbs.request("InquiryPriceCreateDisks", { DiskChargeType: "PREPAID", DiskType: "CLOUD_PREMIUM", DiskSize: 100, DiskCount: 2, DiskChargePrepaid: { Period: 3 } })).DiskPrice;
    const before = await balance();
    const { DiskIdSet } = await cbs.request("CreateDisks", { ...monthly(3, "NOTIFY_AND_AUTO_RENEW"), DiskCount: 2 });
    expect(before - (await balance())).toBe(cents(quote.DiscountPrice));
    const d = (await disk(DiskIdSet[0]))!;
    expect(d).toMatchObject({ DiskChargeType: "PREPAID", DiskState: "UNATTACHED", RenewFlag: "NOTIFY_AND_AUTO_RENEW", IsReturnable: true });
    expect(iso(d.DeadlineTime)).toBe(addMonths(iso(d.CreateTime), 3));
    const after = await balance();
    await server.timekeeper.advance(3 * 3_600_000);
    expect(await balance()).toBe(after);
    await cbs.request("TerminateDisks", { DiskIds: DiskIdSet });
  });

  it("is not created when the account cannot pay the term", async () => {
    const key = generateKeyPair();
    const account = await server.store.accounts.create(key);
    expect((await admin(server, "/_opencvm/balance", { AppId: account.appId, Amount: "1.00" })).status).toBe(200);
    const poor = commonClient(server, "2017-03-12", key);
    const err = await sdkError(poor.request("CreateDisks", monthly(12)));
    expect(err.code).toBe("InvalidAccount.InsufficientBalance");
    expect((await poor.request("DescribeDisks", {})).TotalCount).toBe(0);
  });

  it("goes to the recycle bin at its deadline, comes back with RenewDisk at the quoted price, and is destroyed 7 days after expiring again", async () => {
    const [id] = (await cbs.request("CreateDisks", monthly(1))).DiskIdSet;
    const first = (await disk(id))!;
    expect(first.RenewFlag).toBe("NOTIFY_AND_MANUAL_RENEW");
    await server.timekeeper.advance(Date.parse(iso(first.DeadlineTime)) - server.clock.nowMs() + 60_000);
    expect((await disk(id))!.DiskState).toBe("TORECYCLE");

    const quote = (await cbs.request("InquiryPriceRenewDisks", { DiskIds: [id], DiskChargePrepaids: [{ Period: 2 }] })).DiskPrice;
    expect(quote.DiscountPrice).toBeGreaterThan(0);
    const before = await balance();
    await cbs.request("RenewDisk", { DiskId: id, DiskChargePrepaid: { Period: 2 } });
    expect(before - (await balance())).toBe(cents(quote.DiscountPrice));
    const renewed = (await disk(id))!;
    // The new term starts at the old end.
    expect(renewed).toMatchObject({ DiskState: "UNATTACHED", DeadlineTime: addMonths(iso(first.DeadlineTime), 2).replace("T", " ").replace("Z", "") });

    await server.timekeeper.advance(Date.parse(iso(renewed.DeadlineTime)) - server.clock.nowMs() + 60_000);
    expect((await disk(id))!.DiskState).toBe("TORECYCLE");
    await server.timekeeper.advance(7 * DAY_MS);
    expect(await disk(id)).toBeUndefined();
  }, MONTHS_MS);

  it("flagged NOTIFY_AND_AUTO_RENEW (ModifyDisksRenewFlag) is renewed a month at its deadline and charged for it", async () => {
    const [id] = (await cbs.request("CreateDisks", monthly(1))).DiskIdSet;
    await cbs.request("ModifyDisksRenewFlag", { DiskIds: [id], RenewFlag: "NOTIFY_AND_AUTO_RENEW" });
    const d = (await disk(id))!;
    expect(d.RenewFlag).toBe("NOTIFY_AND_AUTO_RENEW");
    const month = (await cbs.request("InquiryPriceRenewDisks", { DiskIds: [id], DiskChargePrepaids: [{ Period: 1 }] })).DiskPrice;
    const before = await balance();
    await server.timekeeper.advance(Date.parse(iso(d.DeadlineTime)) - server.clock.nowMs() + 60_000);
    expect(before - (await balance())).toBe(cents(month.DiscountPrice));
    const renewed = (await disk(id))!;
    expect(renewed.DiskState).toBe("UNATTACHED");
    expect(iso(renewed.DeadlineTime)).toBe(addMonths(iso(d.DeadlineTime), 1));
    await cbs.request("TerminateDisks", { DiskIds: [id] });
  }, MONTHS_MS);

  it("is not attached (not built), and TerminateDisks sends it to the recycle bin, then destroys it", async () => {
    const cvm = cvmClient(server);
    const [ins] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [ins], "RUNNING");
    const [id] = (await cbs.request("CreateDisks", monthly(1))).DiskIdSet;
    const err = await sdkError(cbs.request("AttachDisks", { DiskIds: [id], InstanceId: ins }));
    expect(err.code).toBe("UnsupportedOperation");
    expect(err.message).toContain("DiskIds.0");
    await cbs.request("TerminateDisks", { DiskIds: [id] });
    expect((await disk(id))!.DiskState).toBe("TORECYCLE");
    await cbs.request("TerminateDisks", { DiskIds: [id] });
    expect(await disk(id)).toBeUndefined();
  });

  it("refuses RenewDisk for a pay-as-you-go disk and one that renews with its instance, naming the disk", async () => {
    const [hourly] = (await cbs.request("CreateDisks", { Placement: { Zone: ZONE }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 20 })).DiskIdSet;
    const err = await sdkError(cbs.request("RenewDisk", { DiskId: hourly, DiskChargePrepaid: { Period: 1 } }));
    expect(err.code).toBe("InvalidDisk.NotSupported");
    expect(err.message).toContain(hourly);
    const cvm = cvmClient(server);
    const [ins] = (await launch(cvm, { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 }, DataDisks: [{ DiskType: "CLOUD_PREMIUM", DiskSize: 50 }] })).InstanceIdSet!;
    const [i] = await waitFor(cvm, [ins], "RUNNING");
    const withInstance = await sdkError(cbs.request("RenewDisk", { DiskId: i.DataDisks![0].DiskId, DiskChargePrepaid: { Period: 1 } }));
    expect(withInstance.code).toBe("InvalidDisk.NotSupported");
    expect(withInstance.message).toContain(ins);
    await cbs.request("TerminateDisks", { DiskIds: [hourly] });
  });
});
