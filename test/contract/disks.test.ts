// Cloud disks (service cbs) through the official CommonClient: an instance's disks are CBS disks, consistent with
// DescribeInstances; data disks of their own are created, attached, detached, grown, renamed and terminated, with
// their states moving through the engine, their refusals documented, and an unattached disk billed by the hour;
// snapshots are taken, listed and deleted.
import { describe, expect, it } from "vitest";
import { defaultCatalogData } from "../../src/catalog/index.js";
import { HOUR_MS } from "../../src/billing/metering.js";
import { toMicro } from "../../src/billing/rating.js";
import { diskCost } from "../../src/domain/pricing.js";
import { generateKeyPair } from "../../src/keys.js";
import { describe as describeInstances, launch, waitFor, waitGone, ZONE } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";
import { SteppedBackend } from "../helpers/stepped-backend.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
let cbs: ReturnType<typeof commonClient>;
const backend = new SteppedBackend();

serverForFile((started) => {
  server = started;
  cvm = cvmClient(server);
  cbs = commonClient(server, "2017-03-12");
}, { OPENCVM_TIMING: "instant" }, undefined, backend);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Disk = Record<string, any>;
const disks = async (ids: string[]): Promise<Disk[]> => (await cbs.request("DescribeDisks", { DiskIds: ids, Limit: 100 })).DiskSet;

/** Polls until every disk shows `state`, and answers them. */
async function diskIn(ids: string[], state: string, ms = 5000): Promise<Disk[]> {
  const until = Date.now() + ms;
  for (;;) {
    const set = await disks(ids);
    if (set.length === ids.length && set.every((d) => d.DiskState === state)) return set;
    if (Date.now() > until) throw new Error(`disks did not reach ${state}: ${JSON.stringify(set.map((d) => [d.DiskId, d.DiskState]))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function running(extra: Parameters<typeof launch>[1] = {}) {
  const [id] = (await launch(cvm, { DataDisks: [{ DiskType: "CLOUD_PREMIUM", DiskSize: 50, DeleteWithInstance: true }], ...extra })).InstanceIdSet!;
  const [instance] = await waitFor(cvm, [id], "RUNNING");
  return instance;
}

async function newDisk(size = 20, zone = ZONE): Promise<string> {
  const { DiskIdSet } = await cbs.request("CreateDisks", { Placement: { Zone: zone }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: size, DiskName: "data" });
  return DiskIdSet[0];
}

describe("an instance's disks", () => {
  it("are CBS disks with the ids, types, sizes and flags DescribeInstances shows, attached to it", async () => {
    const instance = await running();
    const system = instance.SystemDisk!;
    const data = instance.DataDisks![0];
    const [s, d] = await disks([system.DiskId!, data.DiskId!]).then((set) => [set.find((x) => x.DiskUsage === "SYSTEM_DISK")!, set.find((x) => x.DiskUsage === "DATA_DISK")!]);
    expect(s).toMatchObject({ DiskId: system.DiskId, DiskType: system.DiskType, DiskSize: system.DiskSize, DiskState: "ATTACHED", InstanceId: instance.InstanceId, Attached: true, DiskChargeType: "POSTPAID_BY_HOUR", DeleteWithInstance: true, Portable: false });
    expect(s.Placement.Zone).toBe(ZONE);
    expect(d).toMatchObject({ DiskId: data.DiskId, DiskType: "CLOUD_PREMIUM", DiskSize: 50, DiskState: "ATTACHED", InstanceId: instance.InstanceId, DeleteWithInstance: true, Portable: true, Encrypt: false });
    const byInstance = await cbs.request("DescribeDisks", { Filters: [{ Name: "instance-id", Values: [instance.InstanceId] }] });
    expect(byInstance.TotalCount).toBe(2);
    const systems = await cbs.request("DescribeDisks", { Filters: [{ Name: "instance-id", Values: [instance.InstanceId] }, { Name: "disk-usage", Values: ["SYSTEM_DISK"] }] });
    expect(systems.DiskSet.map((x: Disk) => x.DiskId)).toEqual([system.DiskId]);
  });

  it("pages with Limit and Offset, counts all matches, and refuses an unknown filter naming it", async () => {
    await running();
    const all = await cbs.request("DescribeDisks", { Limit: 100 });
    expect(all.TotalCount).toBeGreaterThanOrEqual(4);
    const first = await cbs.request("DescribeDisks", { Limit: 2, Offset: 0 });
    const second = await cbs.request("DescribeDisks", { Limit: 2, Offset: 2 });
    expect(first.TotalCount).toBe(all.TotalCount);
    expect([...first.DiskSet, ...second.DiskSet].map((x: Disk) => x.DiskId)).toEqual(all.DiskSet.slice(0, 4).map((x: Disk) => x.DiskId));
    const err = await sdkError(cbs.request("DescribeDisks", { Filters: [{ Name: "colour", Values: ["red"] }] }));
    expect(err.code).toBe("InvalidFilter");
    expect(err.message).toContain("colour");
    expect((await sdkError(cbs.request("DescribeDisks", { Limit: 101 }))).code).toBe("InvalidParameterValue");
    // An id of nobody's disk is not an error: the set is empty, which is how the provider reads "not found".
    expect(await disks(["disk-00000000"])).toEqual([]);
  });

  it("grow with ResizeDisk (EXPANDING, then the new size on both sides) and ResizeInstanceDisks alike", async () => {
    const instance = await running();
    const dataId = instance.DataDisks![0].DiskId!;
    const held = backend.hold("resizeDisks");
    await cbs.request("ResizeDisk", { DiskId: dataId, DiskSize: 70 });
    await held.reached;
    expect((await disks([dataId]))[0].DiskState).toBe("EXPANDING");
    expect((await sdkError(cbs.request("ResizeDisk", { DiskId: dataId, DiskSize: 90 }))).code).toBe("InvalidDisk.Busy");
    held.release();
    const [grown] = await diskIn([dataId], "ATTACHED");
    expect(grown.DiskSize).toBe(70);
    const [after] = await waitFor(cvm, [instance.InstanceId!], "RUNNING");
    expect(after.DataDisks![0].DiskSize).toBe(70);
    await cvm.ResizeInstanceDisks({ InstanceId: instance.InstanceId!, DataDisks: [{ DiskId: dataId, DiskSize: 80 }], ForceStop: true });
    await waitFor(cvm, [instance.InstanceId!], "RUNNING");
    expect((await disks([dataId]))[0].DiskSize).toBe(80);
    const shrink = await sdkError(cbs.request("ResizeDisk", { DiskId: dataId, DiskSize: 60 }));
    expect(shrink.code).toBe("InvalidParameterValue");
    expect(shrink.message).toContain("DiskSize");
  });

  it("take a name and DeleteWithInstance from ModifyDiskAttributes, which DescribeInstances shows too", async () => {
    const instance = await running();
    const dataId = instance.DataDisks![0].DiskId!;
    await cbs.request("ModifyDiskAttributes", { DiskIds: [dataId, instance.SystemDisk!.DiskId], DiskName: "logs" });
    await cbs.request("ModifyDiskAttributes", { DiskIds: [dataId], DeleteWithInstance: false });
    const set = await disks([dataId, instance.SystemDisk!.DiskId!]);
    expect(set.map((x) => x.DiskName)).toEqual(["logs", "logs"]);
    expect(set.find((x) => x.DiskId === dataId)!.DeleteWithInstance).toBe(false);
    expect((await describeInstances(cvm, [instance.InstanceId!]))[0].DataDisks![0].DeleteWithInstance).toBe(false);
    const err = await sdkError(cbs.request("ModifyDiskAttributes", { DiskIds: [instance.SystemDisk!.DiskId], DeleteWithInstance: false }));
    expect(err.code).toBe("InvalidDisk.NotSupported");
  });

  it("go with a terminated instance, except a data disk kept (DeleteWithInstance false), which stays unattached", async () => {
    const [id] = (await launch(cvm, { DataDisks: [{ DiskType: "CLOUD_PREMIUM", DiskSize: 50, DeleteWithInstance: false }, { DiskType: "CLOUD_PREMIUM", DiskSize: 60 }] })).InstanceIdSet!;
    const [instance] = await waitFor(cvm, [id], "RUNNING");
    const [kept, gone] = instance.DataDisks!.map((d) => d.DiskId!);
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm, [id]);
    const left = await disks([instance.SystemDisk!.DiskId!, kept, gone]);
    expect(left.map((d) => [d.DiskId, d.DiskState, d.InstanceId])).toEqual([[kept, "UNATTACHED", ""]]);
    await cbs.request("TerminateDisks", { DiskIds: [kept] });
    expect(await disks([kept])).toEqual([]);
  });
});

describe("data disks of their own", () => {
  it("are created UNATTACHED, attached (ATTACHING, then one of the instance's DataDisks), detached and terminated", async () => {
    const instance = await running();
    const diskId = await newDisk(30);
    const [created] = await disks([diskId]);
    expect(created).toMatchObject({ DiskState: "UNATTACHED", DiskSize: 30, DiskName: "data", DiskUsage: "DATA_DISK", Attached: false, InstanceId: "", DiskChargeType: "POSTPAID_BY_HOUR" });

    await cbs.request("AttachDisks", { InstanceId: instance.InstanceId, DiskIds: [diskId], DeleteWithInstance: true });
    const [attached] = await diskIn([diskId], "ATTACHED");
    expect(attached).toMatchObject({ InstanceId: instance.InstanceId, DeleteWithInstance: true });
    const shown = (await describeInstances(cvm, [instance.InstanceId!]))[0].DataDisks!;
    expect(shown.find((d) => d.DiskId === diskId)).toMatchObject({ DiskSize: 30, DiskType: "CLOUD_PREMIUM", DeleteWithInstance: true });

    const terminate = await sdkError(cbs.request("TerminateDisks", { DiskIds: [diskId] }));
    expect(terminate.code).toBe("UnsupportedOperation");
    expect(terminate.message).toContain(diskId);
    expect((await sdkError(cbs.request("AttachDisks", { InstanceId: instance.InstanceId, DiskIds: [diskId] }))).code).toBe("ResourceUnavailable.Attached");

    await cbs.request("DetachDisks", { DiskIds: [diskId], InstanceId: instance.InstanceId });
    await diskIn([diskId], "UNATTACHED");
    expect((await describeInstances(cvm, [instance.InstanceId!]))[0].DataDisks!.map((d) => d.DiskId)).not.toContain(diskId);
    await cbs.request("TerminateDisks", { DiskIds: [diskId] });
    expect(await disks([diskId])).toEqual([]);
    expect((await sdkError(cbs.request("TerminateDisks", { DiskIds: [diskId] }))).code).toBe("InvalidParameterValue");
  });

  it("attach only in the instance's zone, up to 20 data disks, and never a system disk detached", async () => {
    const instance = await running();
    const elsewhere = await newDisk(20, "ap-guangzhou-4");
    const zone = await sdkError(cbs.request("AttachDisks", { InstanceId: instance.InstanceId, DiskIds: [elsewhere] }));
    expect(zone.code).toBe("ResourceUnavailable.ZoneNotMatch");
    expect(zone.message).toContain("DiskIds.0");
    const many = await cbs.request("CreateDisks", { Placement: { Zone: ZONE }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 10, DiskCount: 20 });
    const limit = await sdkError(cbs.request("AttachDisks", { InstanceId: instance.InstanceId, DiskIds: many.DiskIdSet }));
    expect(limit.code).toBe("LimitExceeded.InstanceAttachedDisk");
    expect((await disks(many.DiskIdSet)).every((d) => d.DiskState === "UNATTACHED")).toBe(true);
    const system = await sdkError(cbs.request("DetachDisks", { DiskIds: [instance.SystemDisk!.DiskId] }));
    expect(system.code).toBe("InvalidDisk.NotPortable");
    expect((await sdkError(cbs.request("AttachDisks", { InstanceId: "ins-00000000", DiskIds: [elsewhere] }))).code).toBe("InvalidInstanceId.NotFound");
    await cbs.request("TerminateDisks", { DiskIds: [elsewhere, ...many.DiskIdSet] });
  });

  it("refuses sizes and zones the catalog does not sell, naming the field, and creates nothing", async () => {
    const before = (await cbs.request("DescribeDisks", { Limit: 100 })).TotalCount;
    const size = await sdkError(cbs.request("CreateDisks", { Placement: { Zone: ZONE }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 15 }));
    expect(size.code).toBe("InvalidParameter.DiskConfigNotSupported");
    expect(size.message).toContain("DiskSize");
    const zone = await sdkError(cbs.request("CreateDisks", { Placement: { Zone: "ap-nowhere-1" }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 20 }));
    expect(zone.code).toBe("InvalidParameterValue");
    expect(zone.message).toContain("Placement.Zone");
    expect((await sdkError(cbs.request("CreateDisks", { Placement: { Zone: ZONE }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM" }))).code).toBe("MissingParameter");
    expect((await cbs.request("DescribeDisks", { Limit: 100 })).TotalCount).toBe(before);
  });

  it("grow through the engine (EXPANDING, then UNATTACHED at the new size)", async () => {
    const diskId = await newDisk(20);
    await cbs.request("ResizeDisk", { DiskId: diskId, DiskSize: 40 });
    const [grown] = await diskIn([diskId], "UNATTACHED");
    expect(grown.DiskSize).toBe(40);
    await cbs.request("TerminateDisks", { DiskIds: [diskId] });
  });

  it("are billed by the hour at the catalog's price while unattached (p_cbs), and not once terminated", async () => {
    const appId = server.defaultAccount.account.appId;
    const diskId = await newDisk(100);
    const rate = toMicro(diskCost(defaultCatalogData().prices["ap-guangzhou"], { DiskType: "CLOUD_PREMIUM", DiskSize: 100 }, "hour"));
    await server.timekeeper.advance(3 * HOUR_MS);
    const month = (t: number) => new Date(t).toISOString().slice(0, 7);
    const lines = async () => {
      const months = new Set([month(server.clock.nowMs()), month(server.clock.nowMs() - 3 * HOUR_MS)]);
      const out = [];
      for (const m of months) out.push(...(await server.store.billing.bills(appId, { month: m, resourceId: diskId }, 0, 100)).records);
      return out;
    };
    const billed = await lines();
    expect(billed.length).toBeGreaterThanOrEqual(2);
    expect(billed.every((l) => l.businessCode === "p_cbs" && l.payMode === "postPay")).toBe(true);
    const full = billed.filter((l) => Date.parse(l.feeEnd) - Date.parse(l.feeBegin) === HOUR_MS);
    expect(full.length).toBeGreaterThanOrEqual(1);
    for (const l of full) expect(l.amount).toBe(rate);
    await cbs.request("TerminateDisks", { DiskIds: [diskId] });
    await server.timekeeper.advance(2 * HOUR_MS);
    const settled = (await lines()).length;
    await server.timekeeper.advance(2 * HOUR_MS);
    expect((await lines()).length).toBe(settled);
  });
});

describe("DescribeDiskConfigQuota", () => {
  it("answers the catalog's disk types and sizes per zone, use and charge type, filtered", async () => {
    const { DiskConfigSet } = await cbs.request("DescribeDiskConfigQuota", { InquiryType: "INQUIRY_CBS_CONFIG", Zones: [ZONE], DiskChargeType: "POSTPAID_BY_HOUR", DiskUsage: "DATA_DISK" });
    const premium = DiskConfigSet.find((c: Disk) => c.DiskType === "CLOUD_PREMIUM");
    const range = defaultCatalogData().diskTypes.find((t) => t.diskType === "CLOUD_PREMIUM")!.dataDisk!;
    expect(premium).toMatchObject({ Zone: ZONE, DiskUsage: "DATA_DISK", DiskChargeType: "POSTPAID_BY_HOUR", MinDiskSize: range.min, MaxDiskSize: range.max, StepSize: range.step, Available: true });
    expect(DiskConfigSet.every((c: Disk) => c.Zone === ZONE && c.DiskUsage === "DATA_DISK")).toBe(true);
    expect((await sdkError(cbs.request("DescribeDiskConfigQuota", { InquiryType: "INQUIRY_NOTHING" }))).code).toBe("InvalidParameterValue");
    expect((await sdkError(cbs.request("DescribeDiskConfigQuota", {}))).code).toBe("MissingParameter");
  });
});

describe("snapshots of their own", () => {
  it("are CREATING, then NORMAL; listed by disk; deleted", async () => {
    const dataDisk = (await running()).DataDisks![0].DiskId!;
    const { SnapshotId } = await cbs.request("CreateSnapshot", { DiskId: dataDisk, SnapshotName: "nightly" });
    await server.engine.idle();
    const byDisk = await cbs.request("DescribeSnapshots", { Filters: [{ Name: "disk-id", Values: [dataDisk] }] });
    expect(byDisk.SnapshotSet).toHaveLength(1);
    expect(byDisk.SnapshotSet[0]).toMatchObject({ SnapshotId, SnapshotName: "nightly", SnapshotState: "NORMAL", DiskUsage: "DATA_DISK", DiskSize: 50, Percent: 100 });
    expect((await cbs.request("DescribeDisks", { DiskIds: [dataDisk] })).DiskSet[0].SnapshotCount).toBe(1);
    await cbs.request("DeleteSnapshots", { SnapshotIds: [SnapshotId] });
    expect((await cbs.request("DescribeSnapshots", { SnapshotIds: [SnapshotId] })).TotalCount).toBe(0);
    const missing = await cbs.request("DeleteSnapshots", { SnapshotIds: [SnapshotId] }).catch((e: { code: string; message: string }) => e);
    expect(missing.code).toBe("InvalidSnapshotId.NotFound");
    expect(missing.message).toContain("SnapshotIds.0");
  });
});

describe("an account with disks", () => {
  it("is not deleted while it holds a disk of its own", async () => {
    const key = generateKeyPair();
    const account = await server.store.accounts.create(key);
    const own = commonClient(server, "2017-03-12", key);
    const { DiskIdSet } = await own.request("CreateDisks", { Placement: { Zone: ZONE }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 20 });
    const remove = () => fetch(new URL(`/_opencvm/accounts/${account.appId}`, server.url), { method: "DELETE", headers: { Authorization: `Bearer ${server.adminToken.token}` } });
    const refused = await remove();
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("disk(s)");
    expect((await own.request("DescribeDisks", { DiskIds: DiskIdSet })).TotalCount).toBe(1);
  });
});
