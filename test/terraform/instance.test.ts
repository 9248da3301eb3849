// Replays what Terraform's tencentcloud_instance (tencentcloudstack/tencentcloud, services/cvm/resource_tc_instance.go)
// sends, since Terraform cannot run here: Create, Read, Update (password, key pair, data disk size and name, system
// disk name, type, placement group) and Delete, in the provider's order and with its parameters, through the official
// SDKs, checking what the provider checks: the members it dereferences without a nil check, the states and
// LatestOperationState it polls for, DescribeDisks for every disk-… id, not-found as an empty set, and after Delete
// DescribeUsedIpAddress until the private address is released (waitIpRelease).
//
// Each service is called at `<service>.<domain>` (test/terraform/provider.ts).
import { describe, expect, it } from "vitest";
import type { Instance } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_models.js";
import { UBUNTU, ZONE } from "../helpers/instances.js";
import { modifyTags, readTags, replayFile, tagResourceName } from "./provider.js";

const replay = replayFile();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Disk = Record<string, any>;

/** resource.Retry: calls `step` until it answers a value, failing with its last reason after `ms`. */
async function retry<T>(what: string, step: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const done = await step();
    if (done !== undefined) return done;
    if (Date.now() > until) throw new Error(`${what}: gave up`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** CvmService.DescribeInstanceById: DescribeInstances by id; undefined when it is not there. */
async function describeInstanceById(id: string): Promise<Instance | undefined> {
  const out = await replay.tf.cvm.DescribeInstances({ InstanceIds: [id] });
  return out.InstanceSet?.[0];
}

/** CbsService.DescribeDiskList: DescribeDisks by ids, Limit 100. */
async function describeDiskList(ids: string[]): Promise<Disk[]> {
  return (await replay.tf.cbs.request("DescribeDisks", { DiskIds: ids, Limit: 100 })).DiskSet;
}

/** waitForOperationFinished: polls until LatestOperationState is no longer OPERATING; FAILED is an error. */
async function waitForOperationFinished(id: string): Promise<void> {
  await retry("operation", async () => {
    const instance = await describeInstanceById(id);
    if (!instance) throw new Error(`${id} not exists`);
    if (instance.LatestOperationState === "OPERATING") return undefined;
    if (instance.LatestOperationState === "FAILED") throw new Error("failed operation");
    return true;
  });
}

/**
 * waitIpRelease: DescribeUsedIpAddress on the instance's VPC, subnet and private addresses, 20 at a time, until none
 * is in use.
 */
async function waitIpRelease(instance: Instance): Promise<void> {
  if (!instance.PrivateIpAddresses?.length) return;
  await retry("private address released", async () => {
    const used: unknown[] = [];
    for (let offset = 0; ; offset += 20) {
      const out = await replay.tf.vpc.request("DescribeUsedIpAddress", {
        VpcId: instance.VirtualPrivateCloud!.VpcId,
        SubnetId: instance.VirtualPrivateCloud!.SubnetId,
        IpAddresses: instance.PrivateIpAddresses,
        Offset: offset,
        Limit: 20,
      });
      used.push(...(out.IpAddressStates ?? []));
      if ((out.IpAddressStates ?? []).length < 20) break;
    }
    return used.length ? undefined : true;
  });
}

/** What the provider's Create sends; `disaster_recover_group_ids` becomes DisasterRecoverGroupIds. */
async function create(keyId: string, chargeType: "POSTPAID_BY_HOUR" | "PREPAID", groupId?: string): Promise<string> {
  const prepaid = chargeType === "PREPAID";
  const { InstanceIdSet } = await replay.tf.cvm.RunInstances({
    InstanceChargeType: chargeType,
    ...(prepaid ? { InstanceChargePrepaid: { Period: 1, RenewFlag: "NOTIFY_AND_MANUAL_RENEW" } } : {}),
    Placement: { Zone: ZONE, ProjectId: 0 },
    ImageId: UBUNTU,
    InstanceType: "S5.MEDIUM4",
    SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskSize: 50 },
    DataDisks: [{ DiskType: "CLOUD_PREMIUM", DiskSize: 50, ThroughputPerformance: 0, DiskName: "tf-data", DeleteWithInstance: !prepaid, Encrypt: false }],
    InternetAccessible: { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 0 },
    InstanceName: "tf-instance",
    HostName: "tf-host",
    LoginSettings: { KeyIds: [keyId] },
    DisableApiTermination: false,
    EnhancedService: { SecurityService: { Enabled: true }, MonitorService: { Enabled: true } },
    UserData: Buffer.from("#!/bin/sh\necho hello\n").toString("base64"),
    TagSpecification: [{ ResourceType: "instance", Tags: [{ Key: "env", Value: "tf" }] }],
    ...(groupId ? { DisasterRecoverGroupIds: [groupId] } : {}),
    ClientToken: `tf-${Math.random().toString(36).slice(2)}`,
  });
  expect(InstanceIdSet).toHaveLength(1);
  const id = InstanceIdSet![0];
  await retry("RUNNING", async () => {
    const instance = await describeInstanceById(id);
    if (instance?.InstanceState === "LAUNCH_FAILED") throw new Error(`launch failed: ${instance.LatestOperationErrorMsg}`);
    return instance?.InstanceState === "RUNNING" ? true : undefined;
  });
  return id;
}

/** What the provider's Read sends, and the state it would set from the answers. */
async function read(id: string) {
  const instance = await retry("settled", async () => {
    const found = await describeInstanceById(id);
    return found?.LatestOperationState === "OPERATING" ? undefined : (found ?? null);
  });
  if (instance === null || instance.InstanceState === "LAUNCH_FAILED") return undefined;
  const images = await replay.tf.cvm.DescribeImages({});
  expect(images.TotalCount).toBeGreaterThan(0);
  // Members the provider reads without a nil check.
  for (const v of [
    instance.Placement!.Zone,
    instance.Placement!.ProjectId,
    instance.InstanceName,
    instance.InstanceType,
    instance.InstanceChargeType,
    instance.InternetAccessible!.InternetChargeType,
    instance.InternetAccessible!.InternetMaxBandwidthOut,
    instance.VirtualPrivateCloud!.VpcId,
    instance.VirtualPrivateCloud!.SubnetId,
    instance.SecurityGroupIds,
    instance.SystemDisk!.DiskType,
    instance.SystemDisk!.DiskSize,
    instance.SystemDisk!.DiskId,
    instance.InstanceState,
    instance.CreatedTime,
    instance.CPU,
    instance.Memory,
    instance.OsName,
    instance.LoginSettings!.KeyIds,
  ]) {
    expect(v).not.toBeUndefined();
    expect(v).not.toBeNull();
  }
  // The system disk's name, from DescribeDisks (the instance's id starts disk-), retried while it grows.
  expect(instance.SystemDisk!.DiskId!.startsWith("disk-")).toBe(true);
  const system = await retry("system disk", async () => {
    const disks = await describeDiskList([instance.SystemDisk!.DiskId!]);
    return disks.some((d) => d.DiskState === "EXPANDING") ? undefined : disks.find((d) => d.DiskId === instance.SystemDisk!.DiskId);
  });
  // The data disks by id: name, size, type, encryption, throughput and DeleteWithInstance, all dereferenced.
  const dataIds = instance.DataDisks!.map((d) => d.DiskId!);
  const data = await retry("data disks", async () => {
    const disks = await describeDiskList(dataIds);
    return disks.some((d) => d.DiskState === "EXPANDING") ? undefined : disks;
  });
  expect(data.map((d) => d.DiskId).sort()).toEqual([...dataIds].sort());
  for (const d of data) for (const m of ["DiskName", "DiskSize", "DiskType", "Encrypt", "ThroughputPerformance", "DeleteWithInstance"]) expect(d[m], m).not.toBeUndefined();
  const attributes = await replay.tf.cvm.DescribeInstancesAttributes({ InstanceIds: [id], Attributes: ["UserData"] });
  return {
    instance,
    tags: await readTags(replay.tf.tag, "cvm", "instance", id),
    systemDiskName: system.DiskName as string,
    dataDisks: data.map((d) => ({ id: d.DiskId, name: d.DiskName, size: d.DiskSize, type: d.DiskType, deleteWithInstance: d.DeleteWithInstance })),
    userData: attributes.InstanceSet![0].Attributes!.UserData,
  };
}

describe("tencentcloud_instance", () => {
  it("is created, read, updated (password, key pair, data disk, system disk name, type, placement group) and deleted as the provider does it", async () => {
    const [key1, key2] = [(await replay.tf.cvm.CreateKeyPair({ KeyName: "tf_key_1", ProjectId: 0 })).KeyPair!.KeyId!, (await replay.tf.cvm.CreateKeyPair({ KeyName: "tf_key_2", ProjectId: 0 })).KeyPair!.KeyId!];
    // tencentcloud_placement_group's Create, twice: the instance starts in one and moves to the other.
    const [ps1, ps2] = [(await replay.tf.cvm.CreateDisasterRecoverGroup({ Name: "tf-ps-1", Type: "HOST" })).DisasterRecoverGroupId!, (await replay.tf.cvm.CreateDisasterRecoverGroup({ Name: "tf-ps-2", Type: "HOST" })).DisasterRecoverGroupId!];
    const id = await create(key1, "POSTPAID_BY_HOUR", ps1);

    const first = (await read(id))!;
    expect(first.instance).toMatchObject({ InstanceName: "tf-instance", InstanceType: "S5.MEDIUM4", InstanceState: "RUNNING", InstanceChargeType: "POSTPAID_BY_HOUR" });
    expect(first.instance.LoginSettings!.KeyIds).toEqual([key1]);
    expect(first.dataDisks).toEqual([{ id: first.instance.DataDisks![0].DiskId, name: "tf-data", size: 50, type: "CLOUD_PREMIUM", deleteWithInstance: true }]);
    expect(first.tags).toEqual({ env: "tf" });
    // Read sets disaster_recover_group_ids from the instance's DisasterRecoverGroupIds.
    expect(first.instance.DisasterRecoverGroupIds).toEqual([ps1]);
    expect(first.userData).toBe(Buffer.from("#!/bin/sh\necho hello\n").toString("base64"));
    const dataId = first.dataDisks[0].id as string;

    // Update, in the provider's order: password, key pair, data disks, system disk name, type.
    await replay.tf.cvm.ResetInstancesPassword({ InstanceIds: [id], Password: "Tf-Passw0rd!", ForceStop: true });
    await waitForOperationFinished(id);
    await replay.tf.cvm.DisassociateInstancesKeyPairs({ KeyIds: [key1], InstanceIds: [id], ForceStop: true });
    await waitForOperationFinished(id);
    await replay.tf.cvm.AssociateInstancesKeyPairs({ KeyIds: [key2], InstanceIds: [id], ForceStop: true });
    await waitForOperationFinished(id);
    await replay.tf.cbs.request("ResizeDisk", { DiskId: dataId, DiskSize: 70 });
    await replay.tf.cbs.request("ModifyDiskAttributes", { DiskIds: [dataId], DiskName: "tf-data-2" });
    await replay.tf.cbs.request("ModifyDiskAttributes", { DiskIds: [first.instance.SystemDisk!.DiskId], DiskName: "tf-system" });
    await replay.tf.cvm.ResetInstancesType({ InstanceIds: [id], InstanceType: "S5.LARGE8", ForceStop: true });
    await waitForOperationFinished(id);
    await modifyTags(replay.tf.tag, tagResourceName("cvm", "instance", id), { env: "prod" });
    // disaster_recover_group_ids changed: ModifyInstancesDisasterRecoverGroup with the new set, then the wait.
    await replay.tf.cvm.ModifyInstancesDisasterRecoverGroup({ InstanceIds: [id], DisasterRecoverGroupIds: [ps2], Force: false });
    await waitForOperationFinished(id);

    const second = (await read(id))!;
    expect(second.instance).toMatchObject({ InstanceType: "S5.LARGE8", InstanceState: "RUNNING" });
    expect(second.instance.LoginSettings!.KeyIds).toEqual([key2]);
    expect(second.systemDiskName).toBe("tf-system");
    expect(second.tags).toEqual({ env: "prod" });
    expect(second.dataDisks).toEqual([{ id: dataId, name: "tf-data-2", size: 70, type: "CLOUD_PREMIUM", deleteWithInstance: true }]);
    expect(second.instance.DataDisks![0]).toMatchObject({ DiskId: dataId, DiskSize: 70 });
    expect(second.instance).toMatchObject({ DisasterRecoverGroupId: ps2, DisasterRecoverGroupIds: [ps2] });
    const groups = await replay.tf.cvm.DescribeDisasterRecoverGroups({ DisasterRecoverGroupIds: [ps1, ps2] });
    expect(Object.fromEntries(groups.DisasterRecoverGroupSet!.map((g) => [g.DisasterRecoverGroupId, g.InstanceIds]))).toEqual({ [ps1]: [], [ps2]: [id] });
    // The addresses in use while it lives: its private address, as waitIpRelease will ask.
    const live = await replay.tf.vpc.request("DescribeUsedIpAddress", { VpcId: second.instance.VirtualPrivateCloud!.VpcId, SubnetId: second.instance.VirtualPrivateCloud!.SubnetId, IpAddresses: second.instance.PrivateIpAddresses, Offset: 0, Limit: 20 });
    expect(live.IpAddressStates.map((s: { IpAddress: string }) => s.IpAddress)).toEqual(second.instance.PrivateIpAddresses);

    // Delete: TerminateInstances, then gone (or SHUTDOWN with no operation in progress), then waitIpRelease; its
    // disks go with it, and it leaves its placement group.
    const before = await describeInstanceById(id);
    expect(before).toBeDefined();
    await replay.tf.cvm.TerminateInstances({ InstanceIds: [id] });
    await retry("terminated", async () => {
      const instance = await describeInstanceById(id);
      return !instance || (instance.InstanceState === "SHUTDOWN" && instance.LatestOperationState !== "OPERATING") ? true : undefined;
    });
    await retry("gone", async () => ((await describeInstanceById(id)) ? undefined : true));
    await waitIpRelease(before!);
    expect(await read(id)).toBeUndefined();
    expect(await describeDiskList([dataId, first.instance.SystemDisk!.DiskId!])).toEqual([]);
    expect((await replay.tf.cvm.DescribeDisasterRecoverGroups({ DisasterRecoverGroupIds: [ps2] })).DisasterRecoverGroupSet![0].InstanceIds).toEqual([]);
  });

  it("deletes a monthly instance and its data disk (delete_with_instance_prepaid): detached in the recycle bin, then terminated to TORECYCLE", async () => {
    const key = (await replay.tf.cvm.CreateKeyPair({ KeyName: "tf_key_prepaid", ProjectId: 0 })).KeyPair!.KeyId!;
    const id = await create(key, "PREPAID");
    const { instance } = (await read(id))!;
    expect(instance.InstanceChargeType).toBe("PREPAID");
    const dataId = instance.DataDisks![0].DiskId!;
    expect((await describeDiskList([dataId]))[0]).toMatchObject({ DiskChargeType: "PREPAID", DiskState: "ATTACHED", DeleteWithInstance: false });

    await replay.tf.cvm.TerminateInstances({ InstanceIds: [id] });
    await retry("in the recycle bin", async () => {
      const found = await describeInstanceById(id);
      return !found || (found.InstanceState === "SHUTDOWN" && found.LatestOperationState !== "OPERATING") ? true : undefined;
    });
    const diskState = async () => (await describeDiskList([dataId]))[0]?.DiskState;
    await retry("ATTACHED", async () => ((await diskState()) === "ATTACHED" ? true : undefined));
    await replay.tf.cbs.request("DetachDisks", { DiskIds: [dataId], InstanceId: id });
    await retry("UNATTACHED", async () => ((await diskState()) === "UNATTACHED" ? true : undefined));
    await replay.tf.cbs.request("TerminateDisks", { DiskIds: [dataId] });
    await retry("TORECYCLE", async () => ((await diskState()) === "TORECYCLE" ? true : undefined));
  });
});
