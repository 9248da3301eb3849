// VPCs and subnets through the official CommonClient for `vpc`, and instances placed in them.
import { describe as group, expect, it } from "vitest";
import { generateKeyPair } from "../../src/keys.js";
import { describe, launch, waitFor, waitGone } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let vpc: ReturnType<typeof commonClient>;
let cvm: ReturnType<typeof cvmClient>;
serverForFile((started) => {
  server = started;
  vpc = commonClient(server, "2017-03-12", { language: "en-US" });
  cvm = cvmClient(server);
}, { OPENCVM_TIMING: "instant" });

const call = (action: string, params: object = {}) => vpc.request(action, params);

async function newVpc(cidr = "10.10.0.0/16", name = "app") {
  return (await call("CreateVpc", { VpcName: name, CidrBlock: cidr, Tags: [{ Key: "team", Value: "web" }] })).Vpc;
}

group("VPCs", () => {
  it("creates, lists, filters, renames and deletes a VPC", async () => {
    const created = await newVpc("10.20.0.0/16", "shop");
    expect(created).toMatchObject({ VpcName: "shop", CidrBlock: "10.20.0.0/16", IsDefault: false, EnableDhcp: true, TagSet: [{ Key: "team", Value: "web" }] });
    expect(created.VpcId).toMatch(/^vpc-[a-z0-9]{8}$/);
    expect(created.CreatedTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const byId = await call("DescribeVpcs", { VpcIds: [created.VpcId] });
    expect(byId.TotalCount).toBe(1);
    expect((await call("DescribeVpcs", { Filters: [{ Name: "vpc-name", Values: ["sho"] }] })).VpcSet.map((v: { VpcId: string }) => v.VpcId)).toEqual([created.VpcId]);
    expect((await call("DescribeVpcs", { Filters: [{ Name: "tag:team", Values: ["web"] }] })).TotalCount).toBeGreaterThan(0);
    await call("ModifyVpcAttribute", { VpcId: created.VpcId, VpcName: "shop-2", DnsServers: ["1.1.1.1"] });
    expect((await call("DescribeVpcs", { VpcIds: [created.VpcId] })).VpcSet[0]).toMatchObject({ VpcName: "shop-2", DnsServerSet: ["1.1.1.1"] });
    await call("DeleteVpc", { VpcId: created.VpcId });
    expect((await call("DescribeVpcs", { VpcIds: [created.VpcId] })).TotalCount).toBe(0);
  });

  it.each([
    [{ VpcName: "x", CidrBlock: "8.8.0.0/16" }, "InvalidParameterValue"],
    [{ VpcName: "x", CidrBlock: "10.0.0.0/8" }, "InvalidParameterValue"],
    [{ VpcName: "x", CidrBlock: "192.168.0.0/30" }, "InvalidParameterValue"],
    [{ VpcName: "x", CidrBlock: "10.0.0.1/16" }, "InvalidParameterValue.Malformed"],
    [{ VpcName: "x".repeat(61), CidrBlock: "10.0.0.0/16" }, "InvalidParameterValue.TooLong"],
    [{ VpcName: "x", CidrBlock: "10.0.0.0/16", DnsServers: ["dns"] }, "InvalidParameterValue.Malformed"],
    [{ VpcName: "x", CidrBlock: "10.0.0.0/16", Tags: [{ Key: "qcloud:a", Value: "b" }] }, "UnsupportedOperation.TagSystemReservedTagKey"],
  ])("refuses CreateVpc %j with %s", async (params, code) => {
    expect((await sdkError(call("CreateVpc", params))).code).toBe(code);
  });

  it.each([
    [{ VpcIds: ["vpc-1"] }, "InvalidParameterValue.Malformed"],
    [{ VpcIds: ["vpc-abcdefgh"], Filters: [{ Name: "vpc-name", Values: ["a"] }] }, "InvalidParameter.Coexist"],
    [{ Filters: [{ Name: "colour", Values: ["a"] }] }, "InvalidParameter.FilterInvalidKey"],
    [{ Limit: "101" }, "InvalidParameterValue.LimitExceeded"],
    [{ Offset: "-1" }, "InvalidParameterValue.Malformed"],
  ])("refuses DescribeVpcs %j with %s", async (params, code) => {
    expect((await sdkError(call("DescribeVpcs", params))).code).toBe(code);
  });

  it("holds the VPC quota of 20 per region, even under concurrent calls", async () => {
    const region = commonClient(server, "2017-03-12", { region: "ap-tokyo" });
    const results = await Promise.allSettled(Array.from({ length: 25 }, (_, i) => region.request("CreateVpc", { VpcName: `q${i}`, CidrBlock: `10.${i}.0.0/16` })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(5).fill("LimitExceeded"));
    expect((await region.request("DescribeVpcs", { Limit: "100" })).TotalCount).toBe(20);
  });
});

group("subnets", () => {
  it("creates subnets inside their VPC, counts addresses, and refuses overlaps", async () => {
    const v = await newVpc("10.30.0.0/16");
    const one = (await call("CreateSubnet", { VpcId: v.VpcId, SubnetName: "a", CidrBlock: "10.30.1.0/24", Zone: "ap-guangzhou-3" })).Subnet;
    expect(one).toMatchObject({ VpcId: v.VpcId, CidrBlock: "10.30.1.0/24", Zone: "ap-guangzhou-3", IsDefault: false, TotalIpAddressCount: 253, AvailableIpAddressCount: 253 });
    const many = (await call("CreateSubnets", { VpcId: v.VpcId, Subnets: [{ SubnetName: "b", CidrBlock: "10.30.2.0/24", Zone: "ap-guangzhou-4" }, { SubnetName: "c", CidrBlock: "10.30.3.0/28", Zone: "ap-guangzhou-3" }] })).SubnetSet;
    expect(many.map((s: { CidrBlock: string }) => s.CidrBlock)).toEqual(["10.30.2.0/24", "10.30.3.0/28"]);
    expect((await call("DescribeSubnets", { Filters: [{ Name: "vpc-id", Values: [v.VpcId] }] })).TotalCount).toBe(3);
    expect((await call("DescribeSubnets", { Filters: [{ Name: "vpc-id", Values: [v.VpcId] }, { Name: "zone", Values: ["ap-guangzhou-3"] }] })).TotalCount).toBe(2);
    for (const [params, code] of [
      [{ CidrBlock: "10.30.1.128/25", Zone: "ap-guangzhou-3" }, "InvalidParameterValue.SubnetConflict"],
      [{ CidrBlock: "10.31.0.0/24", Zone: "ap-guangzhou-3" }, "InvalidParameterValue.SubnetRange"],
      [{ CidrBlock: "10.30.9.0/29", Zone: "ap-guangzhou-3" }, "InvalidParameterValue.SubnetRange"],
      [{ CidrBlock: "10.30.9.0/24", Zone: "ap-beijing-3" }, "InvalidParameterValue.ZoneConflict"],
    ] as const) {
      expect((await sdkError(call("CreateSubnet", { VpcId: v.VpcId, SubnetName: "x", ...params }))).code).toBe(code);
    }
    // A refused batch creates none of its subnets.
    expect((await sdkError(call("CreateSubnets", { VpcId: v.VpcId, Subnets: [{ SubnetName: "d", CidrBlock: "10.30.4.0/24", Zone: "ap-guangzhou-3" }, { SubnetName: "e", CidrBlock: "10.30.4.0/25", Zone: "ap-guangzhou-3" }] }))).code).toBe("InvalidParameterValue.SubnetConflict");
    expect((await call("DescribeSubnets", { Filters: [{ Name: "vpc-id", Values: [v.VpcId] }] })).TotalCount).toBe(3);
    expect((await sdkError(call("DeleteVpc", { VpcId: v.VpcId }))).code).toBe("ResourceInUse");
  });

  it("places instances in a chosen subnet, keeps AvailableIpAddressCount true, and refuses deleting a subnet in use", async () => {
    const v = await newVpc("192.168.0.0/16");
    const s = (await call("CreateSubnet", { VpcId: v.VpcId, SubnetName: "apps", CidrBlock: "192.168.5.0/24", Zone: "ap-guangzhou-4" })).Subnet;
    const ids = (await launch(cvm, { Placement: { Zone: "ap-guangzhou-4" }, InstanceCount: 3, VirtualPrivateCloud: { VpcId: v.VpcId, SubnetId: s.SubnetId } })).InstanceIdSet!;
    const placed = await waitFor(cvm, ids, "RUNNING");
    expect(placed.every((i) => i.VirtualPrivateCloud!.SubnetId === s.SubnetId && i.PrivateIpAddresses![0].startsWith("192.168.5."))).toBe(true);
    expect((await call("DescribeSubnets", { SubnetIds: [s.SubnetId] })).SubnetSet[0].AvailableIpAddressCount).toBe(250);
    expect((await sdkError(call("DeleteSubnet", { SubnetId: s.SubnetId }))).code).toBe("ResourceInUse");
    await cvm.TerminateInstances({ InstanceIds: ids });
    await waitGone(cvm, ids);
    expect((await call("DescribeSubnets", { SubnetIds: [s.SubnetId] })).SubnetSet[0].AvailableIpAddressCount).toBe(253);
    await call("ModifySubnetAttribute", { SubnetId: s.SubnetId, SubnetName: "renamed", EnableBroadcast: "true" });
    expect((await call("DescribeSubnets", { SubnetIds: [s.SubnetId] })).SubnetSet[0]).toMatchObject({ SubnetName: "renamed", EnableBroadcast: true });
    await call("DeleteSubnet", { SubnetId: s.SubnetId });
    await call("DeleteVpc", { VpcId: v.VpcId });
  });

  it("never hands out an address twice to 200 concurrent launches in one /24, and stops cleanly when it is full", async () => {
    const v = await newVpc("172.20.0.0/16");
    const s = (await call("CreateSubnet", { VpcId: v.VpcId, SubnetName: "full", CidrBlock: "172.20.1.0/24", Zone: "ap-guangzhou-6" })).Subnet;
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => launch(cvm, { Placement: { Zone: "ap-guangzhou-6" }, VirtualPrivateCloud: { VpcId: v.VpcId, SubnetId: s.SubnetId } })),
    );
    const ids = results.flatMap((r) => (r.status === "fulfilled" ? r.value.InstanceIdSet! : []));
    expect(ids).toHaveLength(200);
    const ips = (await Promise.all([describe(cvm, ids.slice(0, 100)), describe(cvm, ids.slice(100))])).flat().map((i) => i.PrivateIpAddresses![0]);
    expect(new Set(ips).size).toBe(200);
    // 253 usable addresses: 53 more fit, then the subnet is full.
    const more = await Promise.allSettled(Array.from({ length: 60 }, () => launch(cvm, { Placement: { Zone: "ap-guangzhou-6" }, VirtualPrivateCloud: { VpcId: v.VpcId, SubnetId: s.SubnetId } })));
    expect(more.filter((r) => r.status === "fulfilled")).toHaveLength(53);
    expect(new Set(more.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code: string }).code] : [])))).toEqual(new Set(["FailedOperation.NoAvailableIpAddressCountInSubnet"]));
    expect((await call("DescribeSubnets", { SubnetIds: [s.SubnetId] })).SubnetSet[0].AvailableIpAddressCount).toBe(0);
  });

  it.each([
    [{ VpcId: "vpc-zzzzzzzz", SubnetId: "subnet-zzzzzzzz" }, "InvalidParameterValue.VpcIdNotExist"],
  ])("refuses RunInstances into %j with %s", async (VirtualPrivateCloud, code) => {
    expect((await sdkError(launch(cvm, { VirtualPrivateCloud }))).code).toBe(code);
  });

  it("refuses a subnet of another VPC or another zone", async () => {
    const a = await newVpc("10.40.0.0/16");
    const b = await newVpc("10.41.0.0/16");
    const s = (await call("CreateSubnet", { VpcId: b.VpcId, SubnetName: "b", CidrBlock: "10.41.1.0/24", Zone: "ap-guangzhou-3" })).Subnet;
    expect((await sdkError(launch(cvm, { VirtualPrivateCloud: { VpcId: a.VpcId, SubnetId: s.SubnetId } }))).code).toBe("InvalidParameterValue.VpcIdSubnetIdNotMatch");
    expect((await sdkError(launch(cvm, { Placement: { Zone: "ap-guangzhou-4" }, VirtualPrivateCloud: { VpcId: b.VpcId, SubnetId: s.SubnetId } }))).code).toBe("InvalidParameterValue.SubnetIdZoneIdNotMatch");
  });

  it("keeps one account's networks from another", async () => {
    const v = await newVpc("10.50.0.0/16");
    const key = generateKeyPair();
    await server.store.accounts.create(key);
    const other = commonClient(server, "2017-03-12", key);
    expect((await other.request("DescribeVpcs", { VpcIds: [v.VpcId] })).TotalCount).toBe(0);
    expect((await sdkError(other.request("DeleteVpc", { VpcId: v.VpcId }))).code).toBe("ResourceNotFound");
    expect((await sdkError(other.request("CreateSubnet", { VpcId: v.VpcId, SubnetName: "x", CidrBlock: "10.50.1.0/24", Zone: "ap-guangzhou-3" }))).code).toBe("ResourceNotFound");
  });
});
