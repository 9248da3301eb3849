// Moving instances between VPCs and subnets, and changing their public bandwidth, through the official SDK.
import { describe as group, expect, it } from "vitest";
import { describe, launch, waitFor } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
let vpc: ReturnType<typeof commonClient>;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server);
  vpc = commonClient(server, "2017-03-12");
}, { OPENCVM_TIMING: "instant" });

async function subnet(cidr: string, zone = "ap-guangzhou-3") {
  const v = (await vpc.request("CreateVpc", { VpcName: "n", CidrBlock: cidr })).Vpc;
  const s = (await vpc.request("CreateSubnet", { VpcId: v.VpcId, SubnetName: "n", CidrBlock: cidr.replace("/16", "/24"), Zone: zone })).Subnet;
  return { VpcId: v.VpcId as string, SubnetId: s.SubnetId as string };
}

group("ModifyInstancesVpcAttribute", () => {
  it("moves a running instance to another VPC, stopping and starting it, and frees its old address", async () => {
    const target = await subnet("10.70.0.0/16");
    const ids = (await launch(cvm)).InstanceIdSet!;
    const [before] = await waitFor(cvm, ids, "RUNNING");
    const oldSubnet = before.VirtualPrivateCloud!.SubnetId!;
    const usedBefore = (await vpc.request("DescribeSubnets", { SubnetIds: [oldSubnet] })).SubnetSet[0].AvailableIpAddressCount;
    await cvm.ModifyInstancesVpcAttribute({ InstanceIds: ids, VirtualPrivateCloud: { ...target, PrivateIpAddresses: ["10.70.0.9"] } });
    expect((await describe(cvm, ids))[0]).toMatchObject({ LatestOperation: "ModifyInstancesVpcAttribute", LatestOperationState: "OPERATING" });
    const [after] = await waitFor(cvm, ids, "RUNNING");
    expect(after.VirtualPrivateCloud).toMatchObject(target);
    expect(after.PrivateIpAddresses).toEqual(["10.70.0.9"]);
    expect((await vpc.request("DescribeSubnets", { SubnetIds: [oldSubnet] })).SubnetSet[0].AvailableIpAddressCount).toBe(usedBefore + 1);
    expect((await vpc.request("DescribeSubnets", { SubnetIds: [target.SubnetId] })).SubnetSet[0].AvailableIpAddressCount).toBe(252);
  });

  it("needs ForceStop for a running instance when told not to stop it, and refuses other zones and used addresses", async () => {
    const target = await subnet("10.71.0.0/16");
    const elsewhere = await subnet("10.72.0.0/16", "ap-guangzhou-4");
    const ids = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    expect((await sdkError(cvm.ModifyInstancesVpcAttribute({ InstanceIds: ids, VirtualPrivateCloud: target, ForceStop: false }))).code).toBe("UnsupportedOperation.InstanceStateRunning");
    expect((await sdkError(cvm.ModifyInstancesVpcAttribute({ InstanceIds: ids, VirtualPrivateCloud: elsewhere }))).code).toBe("InvalidParameterValue");
    const other = (await launch(cvm, { VirtualPrivateCloud: { ...target, PrivateIpAddresses: ["10.71.0.5"] } })).InstanceIdSet!;
    await waitFor(cvm, other, "RUNNING");
    expect((await sdkError(cvm.ModifyInstancesVpcAttribute({ InstanceIds: ids, VirtualPrivateCloud: { ...target, PrivateIpAddresses: ["10.71.0.5"] } }))).code).toBe("VpcIpIsUsed");
    expect((await sdkError(cvm.ModifyInstancesVpcAttribute({ InstanceIds: ids, VirtualPrivateCloud: { VpcId: "vpc-1", SubnetId: target.SubnetId } }))).code).toBe("InvalidParameterValue.VpcIdMalformed");
    expect((await describe(cvm, ids))[0].LatestOperation).toBe("RunInstances");
  });

  it("keeps the host name (ReserveHostName, default true) and refuses ReserveHostName=false by name", async () => {
    const target = await subnet("10.73.0.0/16");
    const ids = (await launch(cvm, { HostName: "keeper" })).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    const err = await sdkError(cvm.ModifyInstancesVpcAttribute({ InstanceIds: ids, VirtualPrivateCloud: target, ReserveHostName: false }));
    expect([err.code, err.message]).toEqual(["UnsupportedOperation", expect.stringContaining("ReserveHostName")]);
    await cvm.ModifyInstancesVpcAttribute({ InstanceIds: ids, VirtualPrivateCloud: target, ReserveHostName: true });
    const [after] = await waitFor(cvm, ids, "RUNNING");
    expect(after).toMatchObject({ VirtualPrivateCloud: target, HostName: "keeper", LatestOperationState: "SUCCESS" });
  });
});

group("ResetInstancesInternetMaxBandwidth", () => {
  it("changes the bandwidth cap of running and stopped instances", async () => {
    const ids = (await launch(cvm, { InstanceCount: 2, InternetAccessible: { InternetMaxBandwidthOut: 5 } })).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    await cvm.ResetInstancesInternetMaxBandwidth({ InstanceIds: ids, InternetAccessible: { InternetMaxBandwidthOut: 50 } });
    const after = await describe(cvm, ids);
    expect(after.map((i) => i.InternetAccessible!.InternetMaxBandwidthOut)).toEqual([50, 50]);
    expect(after[0].LatestOperation).toBe("ResetInstancesInternetMaxBandwidth");
    expect((await sdkError(cvm.ResetInstancesInternetMaxBandwidth({ InstanceIds: ids, InternetAccessible: { InternetMaxBandwidthOut: 500 } }))).code).toBe("InvalidParameterValue.Range");
    expect((await sdkError(cvm.ResetInstancesInternetMaxBandwidth({ InstanceIds: ids, InternetAccessible: { InternetMaxBandwidthOut: 10 }, StartTime: "2026-12-01" }))).code).toBe("UnsupportedOperation.InstanceChargeType");
  });
});
