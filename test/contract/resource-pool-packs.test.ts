// Resource pool packs through the official SDK: a family's whole machine bought for a term at the inquired price;
// pay-as-you-go instances of the family draw on it (named, or automatically) and their compute is then not billed by
// the hour, only their disks; what does not fit a named pack is refused with nothing created. At the end of a term a
// pack renews itself (NOTIFY_AND_AUTO_RENEW) or retires; terminated early it refunds the days left; either way its
// instances run on in the public pool, billed by the hour.
import { describe, expect, it } from "vitest";
import type { BillRecord } from "../../src/store/store.js";
import { HOUR_MS } from "../../src/billing/metering.js";
import { balanceOf, fullHours, linesOf as billLines, micro } from "../helpers/bills.js";
import { describe as describeInstances, launch, waitFor, waitGone, ZONE } from "../helpers/instances.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const PACK_TYPE = "S5.4XLARGE64";
/** A test that moves the clock over a month with an instance billed settles every hour of it: seconds, more on PostgreSQL. */
const MONTH_MS = 120_000;

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
let appId: number;

serverForFile((started) => {
  server = started;
  cvm = cvmClient(server);
  appId = server.defaultAccount.account.appId;
}, { OPENCVM_TIMING: "instant" });

const balance = () => balanceOf(server, appId);
const linesOf = (resourceId: string): Promise<BillRecord[]> => billLines(server, appId, resourceId);
const pack = async (id: string) => (await cvm.DescribeResourcePoolPacks({ Filters: [{ Name: "dedicated-resource-pack-id", Values: [id] }] })).DedicatedResourcePackSet![0];

describe("resource pool packs", () => {
  it("are sold as each family's whole machine, at the price InquirePricePurchaseResourcePoolPacks quotes", async () => {
    const types = (await cvm.DescribeResourcePoolPackTypeConfigs({ Filters: [{ Name: "zone", Values: [ZONE] }, { Name: "instance-family", Values: ["S5"] }] })).InstanceTypeConfigSet!;
    expect(types.map((t) => t.InstanceType)).toEqual([PACK_TYPE]);
    const before = (await balance()).cash;
    const { Price } = await cvm.InquirePricePurchaseResourcePoolPacks({ Zone: ZONE, InstanceType: PACK_TYPE, InstanceCount: 1, Period: 1 });
    const [id] = (await cvm.PurchaseResourcePoolPacks({ Zone: ZONE, InstanceType: PACK_TYPE, InstanceCount: 1, Period: 1, DedicatedResourcePoolPackName: "pool-a" })).DedicatedResourcePackIdSet!;
    expect(id).toMatch(/^rpp-[a-z0-9]{8}$/);
    expect(before - (await balance()).cash).toBe(micro(Price!.DiscountPrice!));
    expect(await pack(id)).toMatchObject({ DedicatedResourcePackName: "pool-a", Zone: ZONE, InstanceType: PACK_TYPE, InstanceFamily: "S5", Status: "ACTIVE", ResourcePoolPackType: "EXCLUSIVE", AutoPlacement: true, TotalCapacity: { Cpu: 16, Memory: 64 }, AvailableCapacity: { Cpu: 16, Memory: 64 } });
    expect((await sdkError(cvm.PurchaseResourcePoolPacks({ Zone: ZONE, InstanceType: "S5.MEDIUM4", InstanceCount: 1, Period: 1 }))).code).toBe("InvalidParameter.InstanceTypeNotSupport");
    expect((await sdkError(cvm.PurchaseResourcePoolPacks({ Zone: ZONE, InstanceType: PACK_TYPE, InstanceCount: 1, Period: 61 }))).code).toBe("InvalidPeriod");
    // Terminated early: the record goes, and the days left of the term come back (pre_refund, by the day at the
    // month's list price, 30 to the month).
    const paid = (await balance()).cash;
    const end = (await pack(id)).EndTime!;
    await cvm.TerminateResourcePoolPacks({ DedicatedResourcePackIds: [id] });
    expect((await cvm.DescribeResourcePoolPacks({ Filters: [{ Name: "dedicated-resource-pack-id", Values: [id] }] })).DedicatedResourcePackSet).toEqual([]);
    const refund = (await linesOf(id)).filter((l) => l.actionType === "pre_refund");
    expect(refund).toHaveLength(1);
    const days = Math.ceil((Date.parse(end) - server.clock.nowMs()) / (24 * HOUR_MS));
    expect(refund[0].amount).toBe(-micro(Math.round(((Price!.OriginalPrice! * days) / 30) * 100) / 100));
    expect((await balance()).cash - paid).toBe(-refund[0].amount);
    expect((await sdkError(cvm.TerminateResourcePoolPacks({ DedicatedResourcePackIds: [id] }))).code).toBe("ResourceNotFound.ResourcePoolPackIdNotFound");
    expect((await sdkError(cvm.TerminateResourcePoolPacks({ DedicatedResourcePackIds: ["rpp-00000000"] }))).code).toBe("ResourceNotFound.ResourcePoolPackIdNotFound");
  });

  it("absorb the hourly charge of the instances drawing on them: only their disks are billed by the hour", async () => {
    const [id] = (await cvm.PurchaseResourcePoolPacks({ Zone: ZONE, InstanceType: PACK_TYPE, InstanceCount: 1, Period: 1, AutoPlacement: false })).DedicatedResourcePackIdSet!;
    const pooled = (await launch(cvm, { Placement: { Zone: ZONE, DedicatedResourcePackTenancy: "ResourcePool", DedicatedResourcePackIds: [id] } })).InstanceIdSet!;
    const plain = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [...pooled, ...plain], "RUNNING");
    expect((await pack(id)).AvailableCapacity).toMatchObject({ Cpu: 14, Memory: 60 });
    expect((await cvm.DescribeResourcePoolPackInstances({ DedicatedResourcePackIds: [id] })).DedicatedResourcePackInstanceSet).toEqual([{ DedicatedResourcePackId: id, InstanceIdSet: pooled, InstanceFamily: "S5", InstanceType: PACK_TYPE, Zone: ZONE }]);

    const [p0, q0] = [(await linesOf(pooled[0])).length, (await linesOf(plain[0])).length];
    await server.timekeeper.advance(3 * HOUR_MS);
    const pooledHours = fullHours((await linesOf(pooled[0])).slice(p0));
    const plainHours = fullHours((await linesOf(plain[0])).slice(q0));
    expect(pooledHours.length).toBeGreaterThanOrEqual(2);
    expect(plainHours.length).toBe(pooledHours.length);
    const { Price } = await cvm.InquiryPriceRunInstances({ Placement: { Zone: ZONE }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4" });
    for (const l of plainHours) expect(l.amount).toBe(micro(Price!.InstancePrice!.UnitPrice!));
    // S5.MEDIUM4's default 50 GiB premium system disk: 50 × 0.0007 an hour; its compute is the pack's.
    for (const l of pooledHours) {
      expect(l.components.map((c) => c.component)).toEqual(["disks"]);
      expect(l.amount).toBe(micro(0.04));
    }

    // A named pack without room refuses the launch, and nothing is created.
    const count = (await cvm.DescribeInstances({ Limit: 100 })).TotalCount;
    const err = await sdkError(launch(cvm, { InstanceType: "S5.4XLARGE64", Placement: { Zone: ZONE, DedicatedResourcePackTenancy: "ResourcePool", DedicatedResourcePackIds: [id] } }));
    expect(err.code).toBe("ResourceInsufficient.SpecifiedInstanceType");
    expect((await cvm.DescribeInstances({ Limit: 100 })).TotalCount).toBe(count);
    await cvm.TerminateInstances({ InstanceIds: [...pooled, ...plain] });
    await waitGone(cvm, [...pooled, ...plain]);
    expect((await pack(id)).AvailableCapacity).toMatchObject({ Cpu: 16, Memory: 64 });
  });

  it("once terminated, leave their instances running in the public pool, billed by the hour from then on", async () => {
    const [id] = (await cvm.PurchaseResourcePoolPacks({ Zone: ZONE, InstanceType: PACK_TYPE, InstanceCount: 1, Period: 1, AutoPlacement: false })).DedicatedResourcePackIdSet!;
    const pooled = (await launch(cvm, { Placement: { Zone: ZONE, DedicatedResourcePackTenancy: "ResourcePool", DedicatedResourcePackIds: [id] } })).InstanceIdSet!;
    await waitFor(cvm, pooled, "RUNNING");
    const frozen = (await balance()).frozen;
    await cvm.TerminateResourcePoolPacks({ DedicatedResourcePackIds: [id] });
    // Not destroyed: the same instance, running, now with an hour of its cost frozen like any pay-as-you-go one.
    const [mine] = await describeInstances(cvm, pooled);
    expect(mine.InstanceState).toBe("RUNNING");
    expect((await balance()).frozen).toBeGreaterThan(frozen);
    const before = (await linesOf(pooled[0])).length;
    await server.timekeeper.advance(3 * HOUR_MS);
    const hours = fullHours((await linesOf(pooled[0])).slice(before));
    expect(hours.length).toBeGreaterThanOrEqual(2);
    const { Price } = await cvm.InquiryPriceRunInstances({ Placement: { Zone: ZONE }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4" });
    for (const l of hours) expect(l.amount).toBe(micro(Price!.InstancePrice!.UnitPrice!));
    await cvm.TerminateInstances({ InstanceIds: pooled });
    await waitGone(cvm, pooled);
  });

  it("renew themselves at the end of the term when flagged NOTIFY_AND_AUTO_RENEW and paid for; otherwise retire and let their instances go", async () => {
    const renewing = (await cvm.PurchaseResourcePoolPacks({ Zone: ZONE, InstanceType: PACK_TYPE, InstanceCount: 1, Period: 1, AutoPlacement: false, RenewFlag: "NOTIFY_AND_AUTO_RENEW" })).DedicatedResourcePackIdSet![0];
    const lapsing = (await cvm.PurchaseResourcePoolPacks({ Zone: ZONE, InstanceType: PACK_TYPE, InstanceCount: 1, Period: 1, AutoPlacement: false })).DedicatedResourcePackIdSet![0];
    const pooled = (await launch(cvm, { Placement: { Zone: ZONE, DedicatedResourcePackTenancy: "ResourcePool", DedicatedResourcePackIds: [lapsing] } })).InstanceIdSet!;
    await waitFor(cvm, pooled, "RUNNING");
    const end = (await pack(renewing)).EndTime!;
    expect((await pack(lapsing)).EndTime).toBe(end);
    await server.timekeeper.advance(Date.parse(end) - server.clock.nowMs() + 60_000);

    const renewed = await pack(renewing);
    expect(renewed.Status).toBe("ACTIVE");
    expect(Date.parse(renewed.EndTime!)).toBeGreaterThan(Date.parse(end) + 27 * 24 * HOUR_MS);
    const { Price } = await cvm.InquirePricePurchaseResourcePoolPacks({ Zone: ZONE, InstanceType: PACK_TYPE, InstanceCount: 1, Period: 1 });
    const renewal = (await linesOf(renewing)).filter((l) => l.actionType === "pre_renew");
    expect(renewal).toHaveLength(1);
    expect(renewal[0]).toMatchObject({ amount: micro(Price!.DiscountPrice!), feeBegin: end, feeEnd: renewed.EndTime });

    const retired = await pack(lapsing);
    expect(retired.Status).toBe("RETIRED");
    expect(retired.AvailableCapacity).toMatchObject({ Cpu: 16, Memory: 64 });
    expect((await describeInstances(cvm, pooled))[0].InstanceState).toBe("RUNNING");
    const err = await sdkError(launch(cvm, { Placement: { Zone: ZONE, DedicatedResourcePackTenancy: "ResourcePool", DedicatedResourcePackIds: [lapsing] } }));
    expect(err.code).toBe("InvalidParameterValue.DedicatedResourcePackNotValid");
    // The instance's compute is billed by the hour from the end of the pack's term.
    const before = (await linesOf(pooled[0])).length;
    await server.timekeeper.advance(2 * HOUR_MS);
    expect(fullHours((await linesOf(pooled[0])).slice(before)).every((l) => l.components.some((c) => c.component === "instance"))).toBe(true);
    expect((await sdkError(cvm.TerminateResourcePoolPacks({ DedicatedResourcePackIds: [lapsing] }))).code).toBe("InvalidParameterValue.ResourcePoolPackStatus");
    await cvm.TerminateInstances({ InstanceIds: pooled });
    await waitGone(cvm, pooled);
  }, MONTH_MS);

  it("take pay-as-you-go launches of their family and zone automatically, as far as they have room", async () => {
    const [id] = (await cvm.PurchaseResourcePoolPacks({ Zone: "ap-guangzhou-6", InstanceType: PACK_TYPE, InstanceCount: 1, Period: 1 })).DedicatedResourcePackIdSet!;
    const ids = (await launch(cvm, { Placement: { Zone: "ap-guangzhou-6" }, InstanceType: "S5.2XLARGE32", InstanceCount: 3 })).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    const inPack = (await cvm.DescribeResourcePoolPackInstances({ DedicatedResourcePackIds: [id] })).DedicatedResourcePackInstanceSet![0].InstanceIdSet!;
    expect(inPack).toHaveLength(2);
    expect((await pack(id)).AvailableCapacity).toMatchObject({ Cpu: 0, Memory: 0 });
    const frozen = (await balance()).frozen;
    const outside = ids.filter((i) => !inPack.includes(i));
    expect(outside).toHaveLength(1);
    await cvm.TerminateInstances({ InstanceIds: outside });
    await waitGone(cvm, outside);
    // Only the instance outside the pack had an hour frozen.
    expect((await balance()).frozen).toBeLessThan(frozen);
    const [mine] = await describeInstances(cvm, [inPack[0]]);
    expect(mine.InstanceChargeType).toBe("POSTPAID_BY_HOUR");
    await cvm.TerminateInstances({ InstanceIds: inPack });
  });
});
