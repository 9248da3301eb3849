// Billing on the service clock: what purchases freeze and charge, what an hour of each state costs, monthly terms,
// expiry, the recycle bin and arrears, watched through the official SDK while the admin clock moves time forward.
import { describe, expect, it } from "vitest";
import { serviceSpec } from "../../src/api/spec.js";
import { INSUFFICIENT_BALANCE } from "../../src/billing/ledger.js";
import { MICRO } from "../../src/billing/rating.js";
import { HOUR_MS } from "../../src/billing/metering.js";
import type { BillRecord } from "../../src/store/store.js";
import { describe as describeInstances, launch, waitFor, waitGone } from "../helpers/instances.js";
import { admin, commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const DAY_MS = 24 * HOUR_MS;
const micro = (amount: number) => Math.round(amount * MICRO);

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
let appId: number;

serverForFile((started) => {
  server = started;
  cvm = cvmClient(server);
  appId = server.defaultAccount.account.appId;
}, { OPENCVM_TIMING: "instant" });

const balance = () => server.store.billing.balance(appId, micro(server.config.balance));
async function linesOf(resourceId: string): Promise<BillRecord[]> {
  const out: BillRecord[] = [];
  const months = new Set([0, 1, 2, 3].map((back) => new Date(server.clock.nowMs() - back * 28 * DAY_MS).toISOString().slice(0, 7)));
  for (const month of months) {
    out.push(...(await server.store.billing.bills(appId, { month, resourceId }, 0, 10_000)).records);
  }
  return out.sort((a, b) => a.payTime.localeCompare(b.payTime) || a.billId.localeCompare(b.billId));
}
const fullHours = (lines: BillRecord[]) => lines.filter((l) => Date.parse(l.feeEnd) - Date.parse(l.feeBegin) === HOUR_MS);

async function hourlyPrice(extra: Parameters<typeof launch>[1] = {}): Promise<number> {
  const q = await cvm.InquiryPriceRunInstances({ Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4", ...extra } as never);
  return micro(q.Price!.InstancePrice!.UnitPrice!);
}

describe("pay-as-you-go", () => {
  it("freezes an hour at purchase, bills each hour at the quoted price while running, and nothing after termination", async () => {
    const before = await balance();
    const rate = await hourlyPrice();
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    expect((await balance()).frozen - before.frozen).toBe(rate);

    await server.timekeeper.advance(3 * HOUR_MS);
    const lines = await linesOf(id);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => l.payMode === "postPay" && l.actionType === "postpay_deduct_h" && l.businessCode === "p_cvm")).toBe(true);
    expect(fullHours(lines).length).toBeGreaterThanOrEqual(2);
    for (const l of fullHours(lines)) expect(l.amount).toBe(rate);
    const paid = lines.reduce((s, l) => s + l.amount, 0);
    expect(before.cash - (await balance()).cash).toBe(paid);

    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm, [id]);
    expect((await balance()).frozen).toBe(before.frozen);
    const settled = (await linesOf(id)).length;
    await server.timekeeper.advance(3 * HOUR_MS);
    // The hour it was terminated in is settled for the part it ran; nothing after.
    expect((await linesOf(id)).length).toBeLessThanOrEqual(settled + 1);
    await server.timekeeper.advance(2 * HOUR_MS);
    const after = await linesOf(id);
    await server.timekeeper.advance(2 * HOUR_MS);
    expect(await linesOf(id)).toHaveLength(after.length);
  });

  it("bills only the disks of an instance stopped with STOP_CHARGING, and everything when stopped keeping charges", async () => {
    const [keep, stop] = (await launch(cvm, { InstanceCount: 2 })).InstanceIdSet!;
    await waitFor(cvm, [keep, stop], "RUNNING");
    const rate = await hourlyPrice();
    await cvm.StopInstances({ InstanceIds: [keep], StoppedMode: "KEEP_CHARGING" });
    await cvm.StopInstances({ InstanceIds: [stop], StoppedMode: "STOP_CHARGING" });
    await waitFor(cvm, [keep, stop], "STOPPED");
    const [k0, s0] = [(await linesOf(keep)).length, (await linesOf(stop)).length];
    await server.timekeeper.advance(3 * HOUR_MS);
    const kept = fullHours((await linesOf(keep)).slice(k0));
    const stopped = fullHours((await linesOf(stop)).slice(s0));
    expect(kept.length).toBeGreaterThanOrEqual(2);
    for (const l of kept) expect(l.amount).toBe(rate);
    // S5.MEDIUM4 with its default 50 GiB premium system disk: 50 × 0.0007 an hour, to the cent.
    for (const l of stopped) {
      expect(l.amount).toBe(micro(0.04));
      expect(l.components.map((c) => c.component)).toEqual(["disks"]);
    }
    await cvm.TerminateInstances({ InstanceIds: [keep, stop] });
    await waitGone(cvm, [keep, stop]);
  });

  it("bills hourly bandwidth with the instance at the quoted price, and follows a change of it from that instant", async () => {
    const internet = { InternetAccessible: { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 10, PublicIpAssigned: true } };
    const q = await cvm.InquiryPriceRunInstances({ Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4", ...internet } as never);
    const perHour = micro(q.Price!.InstancePrice!.UnitPrice!) + micro(q.Price!.BandwidthPrice!.UnitPrice!);
    const [id] = (await launch(cvm, internet as never)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    await server.timekeeper.advance(3 * HOUR_MS);
    const lines = fullHours(await linesOf(id));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) {
      expect(l.amount).toBe(perHour);
      expect(l.components.map((c) => c.component).sort()).toEqual(["bandwidth", "instance"]);
    }
    const change = { InstanceIds: [id], InternetAccessible: { InternetMaxBandwidthOut: 2 } };
    const bandwidthQuote = await cvm.InquiryPriceResetInstancesInternetMaxBandwidth(change);
    await cvm.ResetInstancesInternetMaxBandwidth(change);
    const before = (await linesOf(id)).length;
    await server.timekeeper.advance(3 * HOUR_MS);
    const after = fullHours((await linesOf(id)).slice(before + 1));
    expect(after.length).toBeGreaterThanOrEqual(1);
    for (const l of after) expect(l.amount).toBe(micro(q.Price!.InstancePrice!.UnitPrice!) + micro(bandwidthQuote.Price!.BandwidthPrice!.UnitPrice!));
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm, [id]);
  });

  it("bills a spot instance each hour at the quoted spot price", async () => {
    const spot = { InstanceChargeType: "SPOTPAID", InstanceMarketOptions: { MarketType: "spot", SpotOptions: { MaxPrice: "1" } } } as never;
    const rate = await hourlyPrice(spot);
    expect(rate).toBeLessThan(await hourlyPrice());
    const [id] = (await launch(cvm, spot)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    await server.timekeeper.advance(3 * HOUR_MS);
    const lines = fullHours(await linesOf(id));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatchObject({ payMode: "postPay", amount: rate });
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm, [id]);
  });

  it("refuses a purchase whose frozen hour the balance cannot cover, and writes nothing", async () => {
    const rate = await hourlyPrice();
    const before = await balance();
    await server.store.billing.setCash(appId, before.owed + before.frozen + rate - 1, micro(server.config.balance));
    const count = (await cvm.DescribeInstances({})).TotalCount;
    const err = await sdkError(launch(cvmClient(server, { language: "en-US" })));
    expect(err.code).toBe("InvalidAccount.InsufficientBalance");
    // The cost, and the balance exactly as DescribeAccountBalance reports it; no instance id, no operator tool.
    const { Balance } = await commonClient(server, "2018-07-09").request("DescribeAccountBalance", {});
    expect(err.message).toContain(`a Balance of ${Balance} cents`);
    expect(err.message).toContain(`costs ${(rate / MICRO).toFixed(2)} CNY`);
    expect(err.message).not.toMatch(/ins-|opencvm/);
    expect((await cvm.DescribeInstances({})).TotalCount).toBe(count);
    expect((await balance()).frozen).toBe(before.frozen);
    await server.store.billing.setCash(appId, before.cash, micro(server.config.balance));
  });
});

describe("refusals", () => {
  it("use a code every action that charges documents", () => {
    const charging = ["RunInstances", "RenewInstances", "ModifyInstancesChargeType", "ResetInstancesType", "ResizeInstanceDisks", "ResetInstance", "ResetInstancesInternetMaxBandwidth"];
    for (const action of charging) expect(serviceSpec("cvm").actions[action].errors, action).toContain(INSUFFICIENT_BALANCE);
  });
});

describe("racing purchases", () => {
  it("never spend more than the balance: of 20 launches racing for 5 frozen hours, exactly 5 succeed", async () => {
    const rate = await hourlyPrice();
    const before = await balance();
    await server.store.billing.setCash(appId, before.owed + before.frozen + 5 * rate, micro(server.config.balance));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => launch(cvm)));
    const won = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<{ InstanceIdSet?: string[] }>).value.InstanceIdSet![0]);
    const lost = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code);
    expect(won).toHaveLength(5);
    expect(new Set(lost)).toEqual(new Set(["InvalidAccount.InsufficientBalance"]));
    const after = await balance();
    expect(after.frozen - before.frozen).toBe(5 * rate);
    expect(after.cash - after.owed - after.frozen).toBe(0);
    await waitFor(cvm, won, "RUNNING");
    await cvm.TerminateInstances({ InstanceIds: won });
    await waitGone(cvm, won);
    await server.store.billing.setCash(appId, before.cash, micro(server.config.balance));
  });
});

describe("monthly instances", () => {
  it("pays the quoted price at purchase and on renewal, and refunds the days left when returned", async () => {
    const prepaid = { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1, RenewFlag: "NOTIFY_AND_MANUAL_RENEW" } };
    const quote = await cvm.InquiryPriceRunInstances({ Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4", ...prepaid } as never);
    const before = await balance();
    const [id] = (await launch(cvm, prepaid as never)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    const price = micro(quote.Price!.InstancePrice!.DiscountPrice!);
    expect(before.cash - (await balance()).cash).toBe(price);
    expect((await linesOf(id)).map((l) => [l.actionType, l.amount])).toEqual([["pre_purchase", price]]);

    const renewal = await cvm.InquiryPriceRenewInstances({ InstanceIds: [id], InstanceChargePrepaid: { Period: 2 } });
    const cash = (await balance()).cash;
    await cvm.RenewInstances({ InstanceIds: [id], InstanceChargePrepaid: { Period: 2 } });
    expect(cash - (await balance()).cash).toBe(micro(renewal.Price!.InstancePrice!.DiscountPrice!));

    const refund = (await cvm.InquiryPriceTerminateInstances({ InstanceIds: [id] })).InstanceRefundsSet![0].Refunds!;
    const beforeReturn = (await balance()).cash;
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitFor(cvm, [id], "SHUTDOWN");
    expect((await balance()).cash - beforeReturn).toBe(micro(refund));
    expect((await linesOf(id)).map((l) => l.actionType)).toEqual(["pre_purchase", "pre_renew", "pre_refund"]);
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm, [id]);
  });

  it("pays the difference quoted for a type change and a disk resize for the rest of the term", async () => {
    const prepaid = { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } } as never;
    const [id] = (await launch(cvm, prepaid)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    await cvm.StopInstances({ InstanceIds: [id] });
    await waitFor(cvm, [id], "STOPPED");
    const typeQuote = await cvm.InquiryPriceResetInstancesType({ InstanceIds: [id], InstanceType: "S5.LARGE8" });
    let cash = (await balance()).cash;
    await cvm.ResetInstancesType({ InstanceIds: [id], InstanceType: "S5.LARGE8" });
    expect(cash - (await balance()).cash).toBe(micro(typeQuote.Price!.InstancePrice!.DiscountPrice!));
    await waitFor(cvm, [id], "RUNNING");
    const diskQuote = await cvm.InquiryPriceResizeInstanceDisks({ InstanceId: id, SystemDisk: { DiskSize: 100 } } as never);
    cash = (await balance()).cash;
    await cvm.ResizeInstanceDisks({ InstanceId: id, SystemDisk: { DiskSize: 100 }, ForceStop: true } as never);
    expect(cash - (await balance()).cash).toBe(micro(diskQuote.Price!.InstancePrice!.DiscountPrice!));
    expect((await linesOf(id)).map((l) => l.actionType)).toEqual(["pre_purchase", "pre_upgrade", "pre_upgrade"]);
    await waitFor(cvm, [id], "RUNNING");
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitFor(cvm, [id], "SHUTDOWN");
    await cvm.TerminateInstances({ InstanceIds: [id] });
  });

  it("charges the quoted first term when a pay-as-you-go instance is switched to monthly, and stops metering it", async () => {
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    const frozen = (await balance()).frozen;
    const change = { InstanceIds: [id], InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 2 } };
    const quote = await cvm.InquiryPriceModifyInstancesChargeType(change);
    const cash = (await balance()).cash;
    await cvm.ModifyInstancesChargeType(change);
    expect(cash - (await balance()).cash).toBe(micro(quote.Price!.InstancePrice!.DiscountPrice!));
    // Its frozen hour is released, and no hour after the switch is metered.
    expect(frozen - (await balance()).frozen).toBe(await hourlyPrice());
    const before = (await linesOf(id)).length;
    await server.timekeeper.advance(3 * HOUR_MS);
    expect((await linesOf(id)).length).toBeLessThanOrEqual(before + 1);
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitFor(cvm, [id], "SHUTDOWN");
    await cvm.TerminateInstances({ InstanceIds: [id] });
  });

  it("refunds the rest of the term when switched to pay-as-you-go, then bills it by the hour", async () => {
    const [id] = (await launch(cvm, { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 3 } } as never)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    await server.timekeeper.advance(5 * DAY_MS);
    const refund = (await cvm.InquiryPriceTerminateInstances({ InstanceIds: [id] })).InstanceRefundsSet![0].Refunds!;
    expect(refund).toBeGreaterThan(0);
    const cash = (await balance()).cash;
    await cvm.ModifyInstancesChargeType({ InstanceIds: [id], InstanceChargeType: "POSTPAID_BY_HOUR" });
    expect((await balance()).cash - cash).toBe(micro(refund));
    expect((await linesOf(id)).map((l) => l.actionType)).toEqual(["pre_purchase", "pre_to_post"]);
    await server.timekeeper.advance(3 * HOUR_MS);
    const hourly = fullHours(await linesOf(id));
    expect(hourly.length).toBeGreaterThanOrEqual(2);
    for (const l of hourly) expect(l).toMatchObject({ payMode: "postPay", amount: await hourlyPrice() });
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm, [id]);
  });

  it("charges a monthly bandwidth increase for its window at the quoted price", async () => {
    const monthly = { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 }, InternetAccessible: { InternetChargeType: "BANDWIDTH_PREPAID", InternetMaxBandwidthOut: 2, PublicIpAssigned: true } };
    const [id] = (await launch(cvm, monthly as never)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    const change = { InstanceIds: [id], InternetAccessible: { InternetMaxBandwidthOut: 8 } };
    const quote = await cvm.InquiryPriceResetInstancesInternetMaxBandwidth(change);
    const cash = (await balance()).cash;
    await cvm.ResetInstancesInternetMaxBandwidth(change);
    expect(cash - (await balance()).cash).toBe(micro(quote.Price!.BandwidthPrice!.DiscountPrice!));
    expect((await linesOf(id)).map((l) => l.actionType)).toEqual(["pre_purchase", "pre_upgrade"]);
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitFor(cvm, [id], "SHUTDOWN");
    await cvm.TerminateInstances({ InstanceIds: [id] });
  });

  it("renews a flagged instance at expiry, recycles an unflagged one, and destroys it after 7 days in the recycle bin", async () => {
    const term = (flag: string) => ({ InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1, RenewFlag: flag } }) as never;
    const [auto] = (await launch(cvm, term("NOTIFY_AND_AUTO_RENEW"))).InstanceIdSet!;
    const [manual] = (await launch(cvm, term("NOTIFY_AND_MANUAL_RENEW"))).InstanceIdSet!;
    await waitFor(cvm, [auto, manual], "RUNNING");
    const [a0, m0] = await describeInstances(cvm, [auto, manual]).then((s) => [s.find((i) => i.InstanceId === auto)!, s.find((i) => i.InstanceId === manual)!]);
    const expiry = Date.parse(m0.ExpiredTime!);

    await server.timekeeper.advance(expiry - server.clock.nowMs() + 60_000);
    const [a1] = await describeInstances(cvm, [auto]);
    expect(Date.parse(a1.ExpiredTime!)).toBeGreaterThan(Date.parse(a0.ExpiredTime!));
    expect(a1.InstanceState).toBe("RUNNING");
    expect((await linesOf(auto)).map((l) => l.actionType)).toEqual(["pre_purchase", "pre_renew"]);
    const [m1] = await waitFor(cvm, [manual], "SHUTDOWN");
    expect(m1).toMatchObject({ IsolatedSource: "EXPIRE", RestrictState: "EXPIRED" });

    await server.timekeeper.advance(6 * DAY_MS);
    expect(await describeInstances(cvm, [manual])).toHaveLength(1);
    await server.timekeeper.advance(DAY_MS);
    await waitGone(cvm, [manual]);
    await cvm.TerminateInstances({ InstanceIds: [auto] });
  });
});

describe("arrears", () => {
  it("isolates pay-as-you-go instances two hours into debt, and brings them back STOPPED when the debt is paid", async () => {
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    // No cash: the next settlement runs into debt.
    await server.store.billing.setCash(appId, 0, micro(server.config.balance));
    await server.timekeeper.advance(HOUR_MS + 60_000);
    const debt = await balance();
    expect(debt.owed).toBeGreaterThan(0);
    expect(debt.arrearsSince).not.toBeNull();
    expect((await describeInstances(cvm, [id]))[0].InstanceState).toBe("RUNNING");

    await server.timekeeper.advance(2 * HOUR_MS);
    const [isolated] = await waitFor(cvm, [id], "SHUTDOWN");
    expect(isolated).toMatchObject({ IsolatedSource: "ARREAR" });
    // Isolated, it costs nothing more: once the hour it was isolated in is settled (its last seconds of running are
    // billed there, rounded with that hour's line), later hours add nothing.
    await server.timekeeper.advance(HOUR_MS);
    const owed = (await balance()).owed;
    await server.timekeeper.advance(3 * HOUR_MS);
    expect((await balance()).owed).toBe(owed);
    await expect(cvm.StartInstances({ InstanceIds: [id] })).rejects.toMatchObject({ code: "UnsupportedOperation.InstanceStateShutdown" });

    const res = await admin(server, "/_opencvm/balance", { AppId: appId, Amount: "1000000" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ Owed: "0.00", ArrearsSince: null });
    const [back] = await waitFor(cvm, [id], "STOPPED");
    expect(back).toMatchObject({ IsolatedSource: "NOTISOLATED", RestrictState: "NORMAL" });
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm, [id]);
  });
});

describe("EIPs", () => {
  it("bill the idle fee per hour while bound to nothing, and nothing while bound to an instance", async () => {
    const vpc = commonClient(server, "2017-03-12");
    const call = (action: string, params: object) => vpc.request(action, params) as Promise<{ AddressSet: string[] }>;
    const [eip] = (await call("AllocateAddresses", {})).AddressSet;
    await server.timekeeper.advance(3 * HOUR_MS);
    const idle = fullHours(await linesOf(eip));
    expect(idle.length).toBeGreaterThanOrEqual(2);
    // The built-in price table's idle EIP in ap-guangzhou: 0.2 CNY an hour.
    const idleRate = micro(0.2);
    for (const l of idle) expect(l).toMatchObject({ businessCode: "p_eip", amount: idleRate });

    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    await call("AssociateAddress", { AddressId: eip, InstanceId: id });
    const billed = (await linesOf(eip)).length;
    await server.timekeeper.advance(3 * HOUR_MS);
    // At most the hour it was bound in, for the minutes before.
    expect((await linesOf(eip)).length).toBeLessThanOrEqual(billed + 1);
    await call("DisassociateAddress", { AddressId: eip });
    await call("ReleaseAddresses", { AddressIds: [eip] });
    await cvm.TerminateInstances({ InstanceIds: [id] });
  });

  it("bill their own hourly bandwidth with the idle fee while unbound, at the price table's tiers", async () => {
    const vpc = commonClient(server, "2017-03-12");
    const [eip] = ((await vpc.request("AllocateAddresses", { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 10 })) as { AddressSet: string[] }).AddressSet;
    await server.timekeeper.advance(3 * HOUR_MS);
    const lines = fullHours(await linesOf(eip));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    // 5 Mbps at 0.063 and 5 at 0.25 an hour (ap-guangzhou's tiers: 1.565, to the cent 1.57), and the idle fee.
    for (const l of lines) {
      expect(l.amount).toBe(micro(0.2) + micro(1.57));
      expect(l.components.map((c) => c.component).sort()).toEqual(["eip-bandwidth", "eip-idle"]);
    }
    await vpc.request("ReleaseAddresses", { AddressIds: [eip] });
  });
});

describe("the billing invariants", () => {
  it("hold after everything above, and catch a meter that disagrees with its record", async () => {
    const { billingProblems } = await import("../trust/billing-invariants.js");
    const { database } = await import("../trust/invariants.js");
    const db = database(server.store);
    await server.engine.idle();
    expect(await billingProblems(db)).toEqual([]);
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    await db.updateTable("meters").set({ rate: 1 }).where("resource_id", "=", id).where("until", "is", null).execute();
    expect((await billingProblems(db)).join("\n")).toContain(id);
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm, [id]);
    expect(await billingProblems(db)).toEqual([]);
  });
});
