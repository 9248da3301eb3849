// Dedicated hosts (CDH) through the official SDK: bought monthly through the ledger, described with what their
// instances leave of them, placed on by RunInstances (CDHPAID), refusing an instance that does not fit with nothing
// created, freed when an instance ends, renewed, and expired by billing's terms when not renewed: an expired host's
// instances are out of service until it is renewed, and destroyed with it 7 days after its expiry.
import { describe, expect, it } from "vitest";
import { HOUR_MS } from "../../src/billing/metering.js";
import { balanceOf, micro } from "../helpers/bills.js";
import { describe as describeInstances, launch, waitFor, waitGone, ZONE } from "../helpers/instances.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const DAY_MS = 24 * HOUR_MS;

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;

serverForFile((started) => {
  server = started;
  cvm = cvmClient(server);
}, { OPENCVM_TIMING: "instant" });

const balance = async () => (await balanceOf(server, server.defaultAccount.account.appId)).cash;
const month = { HostChargePrepaid: { Period: 1 } };
async function host(id: string) {
  const { HostSet } = await cvm.DescribeHosts({ Filters: [{ Name: "host-id", Values: [id] }] });
  expect(HostSet).toHaveLength(1);
  return HostSet![0];
}
const onHost = (hostId: string, extra: Parameters<typeof launch>[1] = {}) => launch(cvm, { InstanceChargeType: "CDHPAID", Placement: { Zone: ZONE, HostIds: [hostId] }, ...extra });

describe("dedicated hosts", () => {
  it("are bought by the month at the price InquiryPriceRenewHosts quotes, and described with their capacity", async () => {
    const before = await balance();
    const { HostIdSet } = await cvm.AllocateHosts({ Placement: { Zone: ZONE }, HostType: "HS1", ...month, TagSpecification: [{ ResourceType: "host", Tags: [{ Key: "team", Value: "hpc" }] }] });
    expect(HostIdSet).toHaveLength(1);
    const [id] = HostIdSet!;
    expect(id).toMatch(/^host-[a-z0-9]{8}$/);
    const { Price } = await cvm.InquiryPriceRenewHosts({ HostIds: [id], ...month });
    expect(Price!.HostPrice!.DiscountPrice).toBeGreaterThan(0);
    expect(before - (await balance())).toBe(micro(Price!.HostPrice!.DiscountPrice!));

    const h = await host(id);
    expect(h).toMatchObject({ HostId: id, HostType: "HS1", HostState: "RUNNING", HostChargeType: "PREPAID", RenewFlag: "NOTIFY_AND_MANUAL_RENEW", InstanceIds: [], Placement: { Zone: ZONE, ProjectId: 0 }, Tags: [{ Key: "team", Value: "hpc" }] });
    expect(h.HostResource).toMatchObject({ CpuTotal: 96, CpuAvailable: 96, MemTotal: 384, MemAvailable: 384, DiskTotal: 4000, DiskAvailable: 4000 });
    expect(Date.parse(h.ExpiredTime!) - Date.parse(h.CreatedTime!)).toBeGreaterThanOrEqual(28 * DAY_MS);
    const tagged = await cvm.DescribeHosts({ Filters: [{ Name: "tag:team", Values: ["hpc"] }, { Name: "host-type", Values: ["HS1"] }] });
    expect(tagged.HostSet!.map((x) => x.HostId)).toContain(id);
    expect((await cvm.DescribeHosts({ Filters: [{ Name: "host-state", Values: ["EXPIRED"] }] })).HostSet!.map((x) => x.HostId)).not.toContain(id);

    await cvm.ModifyHostsAttribute({ HostIds: [id], HostName: "cdh-one", RenewFlag: "NOTIFY_AND_AUTO_RENEW" });
    expect(await host(id)).toMatchObject({ HostName: "cdh-one", RenewFlag: "NOTIFY_AND_AUTO_RENEW" });
  });

  it("take instances up to their capacity, refuse the one that does not fit with nothing created, and free what ends", async () => {
    const [id] = (await cvm.AllocateHosts({ Placement: { Zone: ZONE }, HostType: "HS1", ...month })).HostIdSet!;
    const cashBefore = await balance();
    // 96 vCPU, 384 GiB: five 16-vCPU, 64-GiB instances fit, with 16 vCPU and 64 GiB left.
    const big = await onHost(id, { InstanceType: "S5.4XLARGE64", InstanceCount: 5 });
    await waitFor(cvm, big.InstanceIdSet!, "RUNNING");
    const [first] = await describeInstances(cvm, [big.InstanceIdSet![0]]);
    expect(first.InstanceChargeType).toBe("CDHPAID");
    expect(first.Placement!.HostId).toBe(id);
    let h = await host(id);
    expect(h.InstanceIds!.sort()).toEqual([...big.InstanceIdSet!].sort());
    expect(h.HostResource).toMatchObject({ CpuAvailable: 16, MemAvailable: 64 });

    const count = (await cvm.DescribeInstances({ Limit: 100 })).TotalCount;
    const err = await sdkError(onHost(id, { InstanceType: "S5.4XLARGE64", InstanceCount: 2 }));
    expect(err.code).toBe("ResourceInsufficient.SpecifiedInstanceType");
    expect(err.message).toContain(id);
    expect((await cvm.DescribeInstances({ Limit: 100 })).TotalCount).toBe(count);
    expect((await host(id)).InstanceIds).toHaveLength(5);
    // MinCount: as many as fit, when at least MinCount do.
    const some = await onHost(id, { InstanceType: "S5.4XLARGE64", InstanceCount: 2, MinCount: 1 });
    expect(some.InstanceIdSet).toHaveLength(1);
    await waitFor(cvm, some.InstanceIdSet!, "RUNNING");
    expect((await host(id)).HostResource).toMatchObject({ CpuAvailable: 0, MemAvailable: 0 });

    // Instances on a host cost nothing of their own: only the host is billed.
    await server.timekeeper.advance(2 * HOUR_MS);
    expect(await balance()).toBe(cashBefore);

    await cvm.TerminateInstances({ InstanceIds: some.InstanceIdSet! });
    await waitGone(cvm, some.InstanceIdSet!);
    h = await host(id);
    expect(h.InstanceIds).toHaveLength(5);
    expect(h.HostResource).toMatchObject({ CpuAvailable: 16, MemAvailable: 64 });
  });

  it("refuse what the API refuses: another family, CDHPAID without hosts, an unknown or foreign host", async () => {
    const [id] = (await cvm.AllocateHosts({ Placement: { Zone: ZONE }, HostType: "HS1", ...month })).HostIdSet!;
    expect((await sdkError(onHost(id, { InstanceType: "SA2.MEDIUM4" }))).code).toBe("InvalidParameter.HostIdInstanceTypeNotSupport");
    expect((await sdkError(launch(cvm, { InstanceChargeType: "CDHPAID" })).then((e) => e.code))).toBe("InvalidParameterCombination");
    expect((await sdkError(launch(cvm, { Placement: { Zone: ZONE, HostIds: [id] } }))).code).toBe("InvalidParameterCombination");
    expect((await sdkError(onHost("host-00000000"))).code).toBe("InvalidHostId.NotFound");
    expect((await sdkError(onHost("i-am-no-host"))).code).toBe("InvalidHostId.Malformed");
    expect((await sdkError(launch(cvm, { InstanceChargeType: "CDHPAID", Placement: { Zone: "ap-guangzhou-4", HostIds: [id] } }))).code).toBe("InvalidParameterCombination");
    expect((await sdkError(cvm.AllocateHosts({ Placement: { Zone: ZONE }, HostType: "NOPE", ...month }))).code).toBe("InvalidParameterValue");
    expect((await sdkError(cvm.AllocateHosts({ Placement: { Zone: ZONE }, HostChargePrepaid: { Period: 13 } }))).code).toBe("InvalidPeriod");
    expect((await sdkError(cvm.AllocateHosts({ Placement: { Zone: "ap-shanghai-2" }, ...month }))).code).toBe("InvalidZone.MismatchRegion");
    expect((await sdkError(cvm.RenewHosts({ HostIds: ["host-00000000"], ...month }))).code).toBe("InvalidHostId.NotFound");
    expect((await sdkError(cvm.DescribeHosts({ Filters: [{ Name: "colour", Values: ["red"] }] }))).code).toBe("InvalidFilter");
    // Another account sees none of them.
    const other = await server.store.accounts.create({ secretId: "AKIDotherHOSTS000000000000000000000", secretKey: "otherHostsSecretKey0000000000000" });
    const theirs = cvmClient(server, { secretId: "AKIDotherHOSTS000000000000000000000", secretKey: "otherHostsSecretKey0000000000000" });
    expect(other.appId).not.toBe(server.defaultAccount.account.appId);
    expect((await theirs.DescribeHosts({})).TotalCount).toBe(0);
    expect((await sdkError(theirs.ModifyHostsAttribute({ HostIds: [id], HostName: "mine" }))).code).toBe("InvalidHostId.NotFound");
  });

  it("expire at the end of their term unless renewed, and take no instance until renewed", async () => {
    const [id] = (await cvm.AllocateHosts({ Placement: { Zone: ZONE }, HostType: "HS1", ...month })).HostIdSet!;
    const expiry = Date.parse((await host(id)).ExpiredTime!);
    await server.timekeeper.advance(expiry - server.clock.nowMs() + HOUR_MS);
    expect((await host(id)).HostState).toBe("EXPIRED");
    expect((await sdkError(onHost(id))).code).toBe("InvalidParameter.HostIdStatusNotSupport");

    const before = await balance();
    const { Price } = await cvm.InquiryPriceRenewHosts({ HostIds: [id], HostChargePrepaid: { Period: 2 } });
    await cvm.RenewHosts({ HostIds: [id], HostChargePrepaid: { Period: 2 } });
    expect(before - (await balance())).toBe(micro(Price!.HostPrice!.DiscountPrice!));
    const renewed = await host(id);
    expect(renewed.HostState).toBe("RUNNING");
    // The new term runs from the old expiry, as for an instance renewed from the recycle bin.
    expect(Date.parse(renewed.ExpiredTime!)).toBeGreaterThan(expiry + 58 * DAY_MS);
    expect(Date.parse(renewed.ExpiredTime!)).toBeLessThanOrEqual(expiry + 62 * DAY_MS);
    const placed = await onHost(id);
    await waitFor(cvm, placed.InstanceIdSet!, "RUNNING");
  });

  it("take their instances out of service when they expire, and bring them back running when renewed within 7 days", async () => {
    const [id] = (await cvm.AllocateHosts({ Placement: { Zone: ZONE }, HostType: "HS1", ...month })).HostIdSet!;
    const ids = (await onHost(id, { InstanceCount: 2 })).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    await cvm.StopInstances({ InstanceIds: [ids[1]] });
    await waitFor(cvm, [ids[1]], "STOPPED");
    const expiry = Date.parse((await host(id)).ExpiredTime!);
    await server.timekeeper.advance(expiry - server.clock.nowMs() + HOUR_MS);
    expect((await host(id)).HostState).toBe("EXPIRED");
    for (const i of await describeInstances(cvm, ids)) {
      expect(i).toMatchObject({ InstanceState: "SHUTDOWN", IsolatedSource: "EXPIRE", RestrictState: "EXPIRED", LatestOperationState: "SUCCESS" });
    }
    expect((await sdkError(cvm.StartInstances({ InstanceIds: [ids[0]] }))).code).toMatch(/^UnsupportedOperation/);

    await server.timekeeper.advance(3 * DAY_MS);
    const before = await balance();
    await cvm.RenewHosts({ HostIds: [id], ...month });
    expect(await balance()).toBeLessThan(before);
    expect((await host(id)).HostState).toBe("RUNNING");
    // Started again by themselves, stopped or not before.
    await waitFor(cvm, ids, "RUNNING");
    for (const i of await describeInstances(cvm, ids)) expect(i).toMatchObject({ IsolatedSource: "NOTISOLATED", RestrictState: "NORMAL", LatestOperation: "StartInstances" });
    await cvm.TerminateInstances({ InstanceIds: ids });
    await waitGone(cvm, ids);
  });

  it("destroy their instances and are released 7 days after expiring unless renewed", async () => {
    const [id] = (await cvm.AllocateHosts({ Placement: { Zone: ZONE }, HostType: "HS1", ...month })).HostIdSet!;
    const ids = (await onHost(id)).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    const expiry = Date.parse((await host(id)).ExpiredTime!);
    await server.timekeeper.advance(expiry - server.clock.nowMs() + 6 * DAY_MS);
    expect((await host(id)).HostState).toBe("EXPIRED");
    expect((await describeInstances(cvm, ids))[0].InstanceState).toBe("SHUTDOWN");

    await server.timekeeper.advance(DAY_MS + HOUR_MS);
    await waitGone(cvm, ids);
    expect((await cvm.DescribeHosts({ Filters: [{ Name: "host-id", Values: [id] }] })).HostSet).toEqual([]);
    expect((await sdkError(cvm.RenewHosts({ HostIds: [id], ...month }))).code).toBe("InvalidHostId.NotFound");
  });

  it("renew themselves at the end of the term when flagged NOTIFY_AND_AUTO_RENEW and paid for", async () => {
    const [id] = (await cvm.AllocateHosts({ Placement: { Zone: ZONE }, HostType: "HS1", HostChargePrepaid: { Period: 1, RenewFlag: "NOTIFY_AND_AUTO_RENEW" } })).HostIdSet!;
    const expiry = Date.parse((await host(id)).ExpiredTime!);
    const before = await balance();
    await server.timekeeper.advance(expiry - server.clock.nowMs() + HOUR_MS);
    const h = await host(id);
    expect(h.HostState).toBe("RUNNING");
    expect(Date.parse(h.ExpiredTime!)).toBeGreaterThan(expiry + 27 * DAY_MS);
    expect(await balance()).toBeLessThan(before);
  });
});
