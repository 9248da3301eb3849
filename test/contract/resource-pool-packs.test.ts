// Resource pool packs through the official SDK: a family's whole machine bought for a term at the inquired price;
// pay-as-you-go instances of the family draw on it (named, or automatically) and their compute is then not billed by
// the hour, only their disks; what does not fit a named pack is refused with nothing created.
import { describe, expect, it } from "vitest";
import type { BillRecord } from "../../src/store/store.js";
import { HOUR_MS } from "../../src/billing/metering.js";
import { balanceOf, fullHours, linesOf as billLines, micro } from "../helpers/bills.js";
import { describe as describeInstances, launch, waitFor, waitGone, ZONE } from "../helpers/instances.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const PACK_TYPE = "S5.4XLARGE64";

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
    await cvm.TerminateResourcePoolPacks({ DedicatedResourcePackIds: [id] });
    expect((await pack(id)).Status).toBe("RETIRED");
    expect((await sdkError(cvm.TerminateResourcePoolPacks({ DedicatedResourcePackIds: [id] }))).code).toBe("InvalidParameterValue.ResourcePoolPackStatus");
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
    expect((await sdkError(cvm.TerminateResourcePoolPacks({ DedicatedResourcePackIds: [id] }))).code).toBe("InvalidParameterValue.ResourcePoolPackStatus");
    await cvm.TerminateInstances({ InstanceIds: [...pooled, ...plain] });
    await waitGone(cvm, [...pooled, ...plain]);
    expect((await pack(id)).AvailableCapacity).toMatchObject({ Cpu: 16, Memory: 64 });
  });

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
