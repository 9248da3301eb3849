// Replays tencentcloud_eip and tencentcloud_eip_association (services/cvm/resource_tc_eip.go,
// resource_tc_eip_association.go, vpc/service_tencentcloud_vpc.go): the calls of Create, Read, Update and Delete in
// the provider's order and with its parameters, checking what it checks.
import { describe, expect, it } from "vitest";
import { launch, waitFor } from "../helpers/instances.js";
import { modifyTags, must, replayFile, readTags, tagResourceName, until } from "./provider.js";

const r = replayFile();

/** VpcService.DescribeEipById: by id, then as a CDC address (business-type) when not found; undefined when neither. */
async function describeEipById(id: string) {
  const plain = await r.tf.vpc.request("DescribeAddresses", { AddressIds: [id] });
  if (plain.AddressSet.length) return plain.AddressSet[0];
  const cdc = await r.tf.vpc.request("DescribeAddresses", { AddressIds: [id], Filters: [{ Name: "business-type", Values: ["CDC"] }] });
  return cdc.AddressSet[0];
}

/** The wait after AllocateAddresses and DisassociateAddress: DescribeTaskResult until the task is not RUNNING. */
async function waitTask(taskId: string) {
  const id = Number(taskId);
  expect(Number.isInteger(id), `TaskId ${taskId} parses as an unsigned integer (strconv.ParseUint)`).toBe(true);
  return until(`task ${taskId}`, async () => {
    const out = await r.tf.vpc.request("DescribeTaskResult", { TaskId: id });
    expect(out.Result).not.toBe("FAILED");
    return out.Result === "RUNNING" ? undefined : out.Result;
  });
}

async function read(id: string) {
  const eip = await describeEipById(id);
  if (!eip) return undefined;
  const tags = await readTags(r.tf.tag, "vpc", "eip", id);
  // DescribeVpcBandwidthPackageByEip: an EIP of no bandwidth package finds none.
  const bwp = await r.tf.vpc.request("DescribeBandwidthPackages", { Filters: [{ Name: "resource.resource-id", Values: [id] }] });
  expect(bwp.BandwidthPackageSet).toEqual([]);
  return { name: eip.AddressName, type: eip.AddressType, publicIp: eip.AddressIp, status: eip.AddressStatus, chargeType: eip.InternetChargeType, bandwidth: eip.Bandwidth, tags, instanceId: eip.InstanceId };
}

/** Create; a BANDWIDTH_PREPAID_BY_MONTH EIP sends its prepaid_period and auto_renew_flag as AddressChargePrepaid. */
async function create(monthly?: { period: number; renewFlag: number }): Promise<string> {
  const out = await r.tf.vpc.request("AllocateAddresses", {
    AddressType: "EIP",
    InternetChargeType: monthly ? "BANDWIDTH_PREPAID_BY_MONTH" : "TRAFFIC_POSTPAID_BY_HOUR",
    InternetMaxBandwidthOut: 10,
    ...(monthly ? { AddressChargePrepaid: { Period: monthly.period, AutoRenewFlag: monthly.renewFlag } } : {}),
    Tags: [{ Key: "owner", Value: "tf" }],
    AddressName: "tf-eip",
  });
  expect(out.AddressSet.length).toBeGreaterThan(0);
  const id: string = out.AddressSet[0];
  if (out.TaskId) expect(await waitTask(out.TaskId)).toBe("SUCCESS");
  await until("the EIP leaves CREATING", async () => {
    const eip = must(await describeEipById(id), "eip");
    return eip.AddressStatus === "CREATING" ? undefined : eip;
  });
  return id;
}

/** VpcService.UnattachEip: nothing to do for an unbound EIP; else DisassociateAddress and its task. */
async function unattach(id: string) {
  const eip = await describeEipById(id);
  if (!eip || must(eip.AddressStatus, "AddressStatus") === "UNBIND") return;
  const out = await r.tf.vpc.request("DisassociateAddress", { AddressId: id });
  if (out.TaskId) await waitTask(out.TaskId);
}

/**
 * Delete: UnattachEip, ReleaseAddresses; for a BANDWIDTH_PREPAID_BY_MONTH EIP, poll until it is isolated (IsArrears,
 * read without a nil check) and release it again; then poll until it is gone.
 */
async function remove(id: string, chargeType: string) {
  await unattach(id);
  await r.tf.vpc.request("ReleaseAddresses", { AddressIds: [id] });
  if (chargeType === "BANDWIDTH_PREPAID_BY_MONTH") {
    await until("the EIP is isolated", async () => (must((await describeEipById(id))?.IsArrears, "IsArrears") ? true : undefined));
    await r.tf.vpc.request("ReleaseAddresses", { AddressIds: [id] });
  }
  await until("the EIP is gone", async () => ((await describeEipById(id)) === undefined ? true : undefined));
}

describe("tencentcloud_eip with tencentcloud_eip_association", () => {
  it("creates, reads, updates, binds, unbinds and deletes as the provider does", async () => {
    const id = await create();
    expect(await read(id)).toMatchObject({ name: "tf-eip", type: "EIP", status: "UNBIND", chargeType: "TRAFFIC_POSTPAID_BY_HOUR", bandwidth: 10, tags: { owner: "tf" } });

    // Update: name, bandwidth, tags.
    await r.tf.vpc.request("ModifyAddressAttribute", { AddressId: id, AddressName: "tf-eip-2" });
    await r.tf.vpc.request("ModifyAddressesBandwidth", { AddressIds: [id], InternetMaxBandwidthOut: 20 });
    await modifyTags(r.tf.tag, tagResourceName("vpc", "eip", id), { env: "test" }, ["owner"]);
    expect(await read(id)).toMatchObject({ name: "tf-eip-2", bandwidth: 20, tags: { env: "test" } });

    // tencentcloud_eip_association: the EIP must be UNBIND, then AssociateAddress and poll until BIND.
    const [instanceId] = (await launch(r.tf.cvm)).InstanceIdSet!;
    await waitFor(r.tf.cvm, [instanceId], "RUNNING");
    expect(must((await describeEipById(id))?.AddressStatus, "AddressStatus")).toBe("UNBIND");
    await r.tf.vpc.request("AssociateAddress", { AddressId: id, InstanceId: instanceId });
    const bound = await until("the EIP is BIND", async () => {
      const eip = must(await describeEipById(id), "eip");
      return eip.AddressStatus === "BIND" ? eip : undefined;
    });
    expect(bound.InstanceId).toBe(instanceId);
    const [instance] = (await r.tf.cvm.DescribeInstances({ InstanceIds: [instanceId] })).InstanceSet!;
    expect(instance.PublicIpAddresses).toEqual([bound.AddressIp]);

    // Association Delete, then the EIP's Delete (UnattachEip, ReleaseAddresses, poll until gone).
    await unattach(id);
    expect((await describeEipById(id))?.AddressStatus).toBe("UNBIND");
    await remove(id, "TRAFFIC_POSTPAID_BY_HOUR");
    // Read after Delete: not found is an empty set, and the resource leaves the state.
    expect(await read(id)).toBeUndefined();
  });

  it("releases a bound EIP on Delete, unbinding it first", async () => {
    const id = await create();
    const [instanceId] = (await launch(r.tf.cvm)).InstanceIdSet!;
    await waitFor(r.tf.cvm, [instanceId], "RUNNING");
    await r.tf.vpc.request("AssociateAddress", { AddressId: id, InstanceId: instanceId });
    await until("the EIP is BIND", async () => ((await describeEipById(id))?.AddressStatus === "BIND" ? true : undefined));
    await unattach(id);
    await r.tf.vpc.request("ReleaseAddresses", { AddressIds: [id] });
    expect(await describeEipById(id)).toBeUndefined();
  });

  it("buys, renews, switches and deletes monthly EIPs as the provider does", async () => {
    // Created monthly: prepaid_period 1, auto_renew_flag 1.
    const id = await create({ period: 1, renewFlag: 1 });
    expect(await read(id)).toMatchObject({ chargeType: "BANDWIDTH_PREPAID_BY_MONTH", bandwidth: 10, status: "UNBIND" });
    const deadline = must((await describeEipById(id))?.DeadlineDate, "DeadlineDate");
    // Update of prepaid_period to 3: RenewAddress with the period and flag of the configuration.
    await r.tf.vpc.request("RenewAddresses", { AddressIds: [id], AddressChargePrepaid: { AutoRenewFlag: 1, Period: 3 } });
    expect(Date.parse(must((await describeEipById(id))?.DeadlineDate, "DeadlineDate"))).toBeGreaterThan(Date.parse(deadline));
    await remove(id, "BANDWIDTH_PREPAID_BY_MONTH");
    expect(await read(id)).toBeUndefined();

    // An hourly EIP whose internet_charge_type becomes monthly: ModifyEipInternetChargeType, then Read.
    const hourly = await create();
    await r.tf.vpc.request("ModifyAddressInternetChargeType", {
      AddressId: hourly,
      InternetChargeType: "BANDWIDTH_PREPAID_BY_MONTH",
      InternetMaxBandwidthOut: 10,
      AddressChargePrepaid: { AutoRenewFlag: 0, Period: 1 },
    });
    expect(await read(hourly)).toMatchObject({ chargeType: "BANDWIDTH_PREPAID_BY_MONTH", bandwidth: 10 });
    // And back: a switch to an hourly type sends no AddressChargePrepaid.
    await r.tf.vpc.request("ModifyAddressInternetChargeType", { AddressId: hourly, InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 10 });
    expect(await read(hourly)).toMatchObject({ chargeType: "TRAFFIC_POSTPAID_BY_HOUR" });
    await remove(hourly, "TRAFFIC_POSTPAID_BY_HOUR");
  });
});
