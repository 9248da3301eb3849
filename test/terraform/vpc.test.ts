// Replays tencentcloud_vpc and tencentcloud_subnet (services/vpc/resource_tc_vpc.go, resource_tc_subnet.go,
// service_tencentcloud_vpc.go): the calls of Create, Read, Update and Delete in the provider's order and with its
// parameters, checking the members it reads without a nil check and not-found as an empty set.
import { describe, expect, it } from "vitest";
import { launch, waitFor, waitGone, ZONE } from "../helpers/instances.js";
import { sdkError } from "../helpers/server.js";
import { modifyTags, must, replayFile, readTags, tagResourceName } from "./provider.js";

const r = replayFile();

/** VpcService.DescribeVpcs by id (filter vpc-id, Limit and Offset as strings), reading what the provider reads. */
async function readVpc(id: string) {
  const out = await r.tf.vpc.request("DescribeVpcs", { Filters: [{ Name: "vpc-id", Values: [id] }], Limit: "100", Offset: "0" });
  must(out.TotalCount, "TotalCount");
  if (out.VpcSet.length === 0) return undefined;
  const v = out.VpcSet[0];
  const tags: Record<string, string> = {};
  for (const t of v.TagSet) tags[must(t.Key, "TagSet.Key")] = must(t.Value, "TagSet.Value");
  // DescribeRouteTables(vpc-id, association.main=true): the VPC's default route table.
  const tables = await r.tf.vpc.request("DescribeRouteTables", { Filters: [{ Name: "vpc-id", Values: [id] }, { Name: "association.main", Values: ["true"] }], Limit: "100", Offset: "0" });
  const main = tables.RouteTableSet.filter((t: { Main: boolean }) => must(t.Main, "Main"));
  for (const t of tables.RouteTableSet) {
    for (const m of ["CreatedTime", "RouteTableName", "RouteTableId", "VpcId"]) must(t[m], `RouteTable.${m}`);
    for (const a of t.AssociationSet) must(a.SubnetId, "AssociationSet.SubnetId");
    for (const r of t.RouteSet) for (const m of ["DestinationCidrBlock", "GatewayId", "GatewayType", "RouteDescription", "RouteId", "RouteType", "Enabled", "RouteItemId"]) must(r[m], `RouteSet.${m}`);
  }
  return {
    name: must(v.VpcName, "VpcName"),
    cidr: must(v.CidrBlock, "CidrBlock"),
    createTime: must(v.CreatedTime, "CreatedTime"),
    dns: must(v.DnsServerSet, "DnsServerSet"),
    isDefault: must(v.IsDefault, "IsDefault"),
    multicast: must(v.EnableMulticast, "EnableMulticast"),
    // assistant_cidrs: the ranges of AssistantType 0 (1 is docker_assistant_cidrs).
    assistantCidrs: v.AssistantCidrSet.filter((a: { AssistantType: number }) => must(a.AssistantType, "AssistantType") === 0).map((a: { CidrBlock: string }) => must(a.CidrBlock, "CidrBlock")),
    defaultRouteTableId: main[0]?.RouteTableId,
    mainAssociations: main[0]?.AssociationSet.map((a: { SubnetId: string }) => a.SubnetId),
    tags,
  };
}

/** VpcService.DescribeSubnet: DescribeSubnets with the subnet-id filter; the provider's tags come from the tag service. */
async function readSubnet(id: string) {
  const out = await r.tf.vpc.request("DescribeSubnets", { Filters: [{ Name: "subnet-id", Values: [id] }], Limit: "100", Offset: "0" });
  if (out.SubnetSet.length === 0) return undefined;
  const s = out.SubnetSet[0];
  for (const m of ["CidrBlock", "CreatedTime", "VpcId", "SubnetId", "RouteTableId", "CdcId", "SubnetName", "IsDefault", "EnableBroadcast", "Zone", "AvailableIpAddressCount"]) must(s[m], `Subnet.${m}`);
  return { vpcId: s.VpcId, name: s.SubnetName, cidr: s.CidrBlock, zone: s.Zone, routeTableId: s.RouteTableId, multicast: s.EnableBroadcast, available: s.AvailableIpAddressCount, tags: await readTags(r.tf.tag, "vpc", "subnet", id) };
}

describe("tencentcloud_vpc and tencentcloud_subnet", () => {
  it("creates, reads, updates and deletes a VPC with a subnet on its default route table", async () => {
    // tencentcloud_vpc Create: CreateVpc with the provider's every member (booleans false when unset).
    const created = await r.tf.vpc.request("CreateVpc", {
      VpcName: "tf-vpc",
      CidrBlock: "10.20.0.0/16",
      EnableMulticast: "false",
      DnsServers: ["119.29.29.29", "8.8.8.8"],
      Tags: [{ Key: "owner", Value: "tf" }],
      EnableRouteVpcPublish: false,
      EnableRouteVpcPublishIpv6: false,
    });
    const vpcId = must(created.Vpc.VpcId, "Vpc.VpcId");
    must(created.Vpc.IsDefault, "Vpc.IsDefault");
    const vpc = must(await readVpc(vpcId), "vpc");
    expect(vpc).toMatchObject({ name: "tf-vpc", cidr: "10.20.0.0/16", isDefault: false, multicast: false, dns: ["119.29.29.29", "8.8.8.8"], tags: { owner: "tf" }, mainAssociations: [] });
    expect(vpc.defaultRouteTableId).toMatch(/^rtb-/);

    // tencentcloud_subnet Create: IsRouteTableInVpc, CreateSubnet, ModifySubnetAttribute, ReplaceRouteTableAssociation.
    const inVpc = await r.tf.vpc.request("DescribeRouteTables", { Filters: [{ Name: "route-table-id", Values: [vpc.defaultRouteTableId] }], Limit: "100", Offset: "0" });
    expect(inVpc.RouteTableSet.map((t: { VpcId: string }) => t.VpcId)).toEqual([vpcId]);
    const subnet = await r.tf.vpc.request("CreateSubnet", { VpcId: vpcId, SubnetName: "tf-subnet", CidrBlock: "10.20.1.0/24", Zone: ZONE, Tags: [{ Key: "tier", Value: "app" }] });
    const subnetId = must(subnet.Subnet.SubnetId, "Subnet.SubnetId");
    await r.tf.vpc.request("ModifySubnetAttribute", { SubnetId: subnetId, SubnetName: "tf-subnet", EnableBroadcast: "false" });
    await r.tf.vpc.request("ReplaceRouteTableAssociation", { SubnetId: subnetId, RouteTableId: vpc.defaultRouteTableId });
    expect(await readSubnet(subnetId)).toMatchObject({ vpcId, name: "tf-subnet", cidr: "10.20.1.0/24", zone: ZONE, routeTableId: vpc.defaultRouteTableId, multicast: false, available: 253, tags: { tier: "app" } });
    expect((await readVpc(vpcId))?.mainAssociations).toEqual([subnetId]);

    // Updates: names, multicast, DNS, tags of both.
    await r.tf.vpc.request("ModifyVpcAttribute", { VpcId: vpcId, VpcName: "tf-vpc-2", EnableMulticast: "true", DnsServers: ["8.8.8.8"], EnableRouteVpcPublish: false, EnableRouteVpcPublishIpv6: false });
    await modifyTags(r.tf.tag, tagResourceName("vpc", "vpc", vpcId), { env: "test" });
    await r.tf.vpc.request("ModifySubnetAttribute", { SubnetId: subnetId, SubnetName: "tf-subnet-2", EnableBroadcast: "false" });
    await modifyTags(r.tf.tag, tagResourceName("vpc", "subnet", subnetId), { tier: "db" });
    expect(await readVpc(vpcId)).toMatchObject({ name: "tf-vpc-2", multicast: true, dns: ["8.8.8.8"], tags: { owner: "tf", env: "test" } });
    expect(await readSubnet(subnetId)).toMatchObject({ name: "tf-subnet-2", tags: { tier: "db" } });

    // An instance in the subnet holds an address there until it is gone (what the instance's Delete waits for).
    const [instanceId] = (await launch(r.tf.cvm, { VirtualPrivateCloud: { VpcId: vpcId, SubnetId: subnetId } })).InstanceIdSet!;
    const [instance] = await waitFor(r.tf.cvm, [instanceId], "RUNNING");
    const used = () => r.tf.vpc.request("DescribeUsedIpAddress", { VpcId: vpcId, SubnetId: subnetId, IpAddresses: instance.PrivateIpAddresses });
    expect((await used()).IpAddressStates).toEqual([{ VpcId: vpcId, SubnetId: subnetId, IpAddress: instance.PrivateIpAddresses![0], ResourceType: "cvm", ResourceId: instanceId }]);
    expect((await readSubnet(subnetId))?.available).toBe(252);
    await r.tf.cvm.TerminateInstances({ InstanceIds: [instanceId] });
    await waitGone(r.tf.cvm, [instanceId]);
    expect((await used()).IpAddressStates).toEqual([]);

    // Deletes: the subnet, then the VPC; Read afterwards finds nothing and empties the state.
    await r.tf.vpc.request("DeleteSubnet", { SubnetId: subnetId });
    expect(await readSubnet(subnetId)).toBeUndefined();
    await r.tf.vpc.request("DeleteVpc", { VpcId: vpcId });
    expect(await readVpc(vpcId)).toBeUndefined();
  });

  it("keeps assistant ranges: created after the VPC, changed by ModifyAssistantCidr, and taken by subnets", async () => {
    const vpcId = (await r.tf.vpc.request("CreateVpc", { VpcName: "assisted", CidrBlock: "10.40.0.0/16", EnableMulticast: "false" })).Vpc.VpcId;
    // Create: CreateAssistantCidr with the configured ranges.
    await r.tf.vpc.request("CreateAssistantCidr", { VpcId: vpcId, CidrBlocks: ["10.41.0.0/16", "172.20.0.0/16"] });
    expect((await readVpc(vpcId))?.assistantCidrs).toEqual(["10.41.0.0/16", "172.20.0.0/16"]);
    const subnetId = (await r.tf.vpc.request("CreateSubnet", { VpcId: vpcId, SubnetName: "in-assistant", CidrBlock: "10.41.3.0/24", Zone: ZONE })).Subnet.SubnetId;
    // Update: ModifyAssistantCidr with the ranges added and removed; one holding a subnet cannot go.
    const busy = await sdkError(r.tf.vpc.request("ModifyAssistantCidr", { VpcId: vpcId, NewCidrBlocks: ["192.168.0.0/20"], OldCidrBlocks: ["10.41.0.0/16"] }));
    expect([busy.code, busy.message.includes("OldCidrBlocks.0")]).toEqual(["ResourceInUse", true]);
    await r.tf.vpc.request("ModifyAssistantCidr", { VpcId: vpcId, NewCidrBlocks: ["192.168.0.0/20"], OldCidrBlocks: ["172.20.0.0/16"] });
    expect((await readVpc(vpcId))?.assistantCidrs).toEqual(["10.41.0.0/16", "192.168.0.0/20"]);
    const listed = await r.tf.vpc.request("DescribeAssistantCidr", { VpcIds: [vpcId] });
    expect(listed.AssistantCidrSet.map((a: { CidrBlock: string }) => a.CidrBlock)).toEqual(["10.41.0.0/16", "192.168.0.0/20"]);
    // Refusals: overlapping the main range, outside the private ranges, the same range twice.
    for (const [cidrs, code] of [
      [["10.40.128.0/17"], "InvalidParameterValue.VpcCidrConflict"],
      [["8.8.0.0/16"], "InvalidParameterValue"],
      [["10.50.0.0/16", "10.50.0.0/16"], "InvalidParameterValue.Duplicate"],
      [["10.51.0.0/16", "10.52.0.0/16", "10.53.0.0/16", "10.54.0.0/16"], "LimitExceeded"],
    ] as const) {
      expect((await sdkError(r.tf.vpc.request("CreateAssistantCidr", { VpcId: vpcId, CidrBlocks: cidrs }))).code, cidrs.join()).toBe(code);
    }
    await r.tf.vpc.request("DeleteSubnet", { SubnetId: subnetId });
    await r.tf.vpc.request("DeleteAssistantCidr", { VpcId: vpcId, CidrBlocks: ["10.41.0.0/16"] });
    expect((await readVpc(vpcId))?.assistantCidrs).toEqual(["192.168.0.0/20"]);
  });

  it("refuses a route table of another VPC for a subnet", async () => {
    const a = (await r.tf.vpc.request("CreateVpc", { VpcName: "a", CidrBlock: "10.30.0.0/16" })).Vpc.VpcId;
    const b = (await r.tf.vpc.request("CreateVpc", { VpcName: "b", CidrBlock: "10.31.0.0/16" })).Vpc.VpcId;
    const subnetId = (await r.tf.vpc.request("CreateSubnet", { VpcId: a, SubnetName: "s", CidrBlock: "10.30.1.0/24", Zone: ZONE })).Subnet.SubnetId;
    const [tableOfB] = (await r.tf.vpc.request("DescribeRouteTables", { Filters: [{ Name: "vpc-id", Values: [b] }] })).RouteTableSet;
    expect((await sdkError(r.tf.vpc.request("ReplaceRouteTableAssociation", { SubnetId: subnetId, RouteTableId: tableOfB.RouteTableId }))).code).toBe("UnsupportedOperation.VpcMismatch");
    expect((await sdkError(r.tf.vpc.request("ReplaceRouteTableAssociation", { SubnetId: subnetId, RouteTableId: "rtb-00000000" }))).code).toBe("ResourceNotFound");
    expect((await sdkError(r.tf.vpc.request("DescribeRouteTables", { RouteTableIds: ["rtb-1"] }))).code).toBe("InvalidParameterValue.Malformed");
  });
});
