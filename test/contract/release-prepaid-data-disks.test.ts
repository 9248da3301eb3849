// TerminateInstances' ReleasePrepaidDataDisks, as the API documents it: with true, a monthly instance's monthly data
// disks go to the recycle bin with it on the first call (each refunded on a line of its own) and are destroyed with
// it; with false or absent only the instance is returned, and its monthly data disks are detached and kept for the
// rest of their term. Either way the instance's refund is what InquiryPriceTerminateInstances quoted.
import { describe, expect, it } from "vitest";
import { linesOf, micro } from "../helpers/bills.js";
import { launch, waitFor, waitGone } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
let cbs: ReturnType<typeof commonClient>;
let billing: ReturnType<typeof commonClient>;

serverForFile((started) => {
  server = started;
  cvm = cvmClient(server);
  cbs = commonClient(server, "2017-03-12");
  billing = commonClient(server, "2018-07-09");
}, { OPENCVM_TIMING: "instant" });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Disk = Record<string, any>;
const disks = async (ids: string[]): Promise<Disk[]> => (await cbs.request("DescribeDisks", { DiskIds: ids, Limit: 100 })).DiskSet;
const balance = async (): Promise<number> => (await billing.request("DescribeAccountBalance", {})).Balance;
/** The amounts of a resource's refund lines (micro-units, negative), with their product. */
const refunds = async (id: string) =>
  (await linesOf(server, server.defaultAccount.account.appId, id)).filter((l) => l.actionType === "pre_refund").map((l) => [l.businessCode, l.amount]);

/** A running monthly instance with one 100 GiB data disk: its id, its data disk's id and its expiry. */
async function monthly(): Promise<{ id: string; dataDisk: string; expired: string }> {
  const [id] = (await launch(cvm, { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 }, DataDisks: [{ DiskType: "CLOUD_PREMIUM", DiskSize: 100 }] })).InstanceIdSet!;
  const [i] = await waitFor(cvm, [id], "RUNNING");
  return { id, dataDisk: i.DataDisks![0].DiskId!, expired: i.ExpiredTime! };
}

/** The refund of a monthly instance's first TerminateInstances, in cents, with the given flag. */
async function returned(id: string, flag: boolean | undefined): Promise<number> {
  const before = await balance();
  await cvm.TerminateInstances({ InstanceIds: [id], ...(flag === undefined ? {} : { ReleasePrepaidDataDisks: flag }) });
  await waitFor(cvm, [id], "SHUTDOWN");
  return (await balance()) - before;
}

describe("TerminateInstances.ReleasePrepaidDataDisks", () => {
  it("absent: the monthly data disk stays with the instance in the recycle bin, unrefunded, then is detached and kept with its term", async () => {
    const a = await monthly();
    const [before] = await disks([a.dataDisk]);
    const quoted = (await cvm.InquiryPriceTerminateInstances({ InstanceIds: [a.id] })).InstanceRefundsSet![0].Refunds!;
    const refund = await returned(a.id, undefined);
    // The disk keeps what is left of its term: the refund is the instance's alone, as quoted.
    expect(quoted).toBeGreaterThan(0);
    expect(refund).toBe(Math.round(quoted * 100));
    expect(await refunds(a.id)).toEqual([["p_cvm", -micro(quoted)]]);
    expect(await refunds(a.dataDisk)).toEqual([]);
    const [inBin] = await disks([a.dataDisk]);
    expect(inBin).toMatchObject({ DiskState: "ATTACHED", InstanceId: a.id, DiskChargeType: "PREPAID", DeadlineTime: before.DeadlineTime });
    await cvm.TerminateInstances({ InstanceIds: [a.id] });
    await waitGone(cvm, [a.id]);
    const [kept] = await disks([a.dataDisk]);
    expect(kept).toMatchObject({ DiskId: a.dataDisk, DiskState: "UNATTACHED", InstanceId: "", Attached: false, DiskChargeType: "PREPAID", DiskSize: 100, DeadlineTime: before.DeadlineTime });
  });

  it("false: the same as absent", async () => {
    const a = await monthly();
    await returned(a.id, false);
    await cvm.TerminateInstances({ InstanceIds: [a.id], ReleasePrepaidDataDisks: false });
    await waitGone(cvm, [a.id]);
    expect((await disks([a.dataDisk])).map((d) => [d.DiskState, d.DiskChargeType])).toEqual([["UNATTACHED", "PREPAID"]]);
  });

  it("true: the monthly data disk goes to the recycle bin with the instance, refunded on a line of its own, and is destroyed with it", async () => {
    const a = await monthly();
    const quoted = (await cvm.InquiryPriceTerminateInstances({ InstanceIds: [a.id] })).InstanceRefundsSet![0].Refunds!;
    const refund = await returned(a.id, true);
    // The instance's refund is the quote; the disk's rest of term is refunded on its own line (CBS's product).
    expect(await refunds(a.id)).toEqual([["p_cvm", -micro(quoted)]]);
    const [disk] = await refunds(a.dataDisk);
    expect(disk[0]).toBe("p_cbs");
    expect(disk[1]).toBeLessThan(0);
    expect(Math.abs(refund - Math.round(quoted * 100) + Number(disk[1]) / 10_000)).toBeLessThanOrEqual(1);
    expect((await disks([a.dataDisk])).map((d) => [d.DiskState, d.InstanceId])).toEqual([["TORECYCLE", a.id]]);
    // It goes with the instance: it is not detached meanwhile.
    const detach = await sdkError(cbs.request("DetachDisks", { DiskIds: [a.dataDisk] }));
    expect([detach.code, detach.message]).toEqual(["ResourceUnavailable.NotSupported", expect.stringContaining("DiskIds.0")]);
    // The second call destroys the instance and what it took to the recycle bin, whatever that call says.
    await cvm.TerminateInstances({ InstanceIds: [a.id] });
    await waitGone(cvm, [a.id]);
    expect(await disks([a.dataDisk])).toEqual([]);
  });

  it("true on the destroying call releases the kept monthly data disk to the recycle bin", async () => {
    const a = await monthly();
    await returned(a.id, false);
    await cvm.TerminateInstances({ InstanceIds: [a.id], ReleasePrepaidDataDisks: true });
    await waitGone(cvm, [a.id]);
    expect((await disks([a.dataDisk])).map((d) => [d.DiskState, d.InstanceId])).toEqual([["TORECYCLE", ""]]);
    await cbs.request("TerminateDisks", { DiskIds: [a.dataDisk] });
    expect(await disks([a.dataDisk])).toEqual([]);
  });

  it("leaves pay-as-you-go data disks to DeleteWithInstance", async () => {
    const [id] = (await launch(cvm, { DataDisks: [{ DiskType: "CLOUD_PREMIUM", DiskSize: 50, DeleteWithInstance: false }, { DiskType: "CLOUD_PREMIUM", DiskSize: 60, DeleteWithInstance: true }] })).InstanceIdSet!;
    const [i] = await waitFor(cvm, [id], "RUNNING");
    const [kept, gone] = i.DataDisks!.map((d) => d.DiskId!);
    await cvm.TerminateInstances({ InstanceIds: [id], ReleasePrepaidDataDisks: true });
    await waitGone(cvm, [id]);
    expect((await disks([kept, gone])).map((d) => [d.DiskId, d.DiskState, d.DiskChargeType])).toEqual([[kept, "UNATTACHED", "POSTPAID_BY_HOUR"]]);
  });
});
