// Security groups through the official CommonClient for `vpc` and the CVM client: groups, their ordered rules and
// Version, the default group, groups on instances, and the firewall question a machine asks of them.
import { beforeAll, describe as group, expect, it } from "vitest";
import { isInboundOpen, type InboundPacket } from "../../src/domain/security-policy.js";
import { generateKeyPair } from "../../src/keys.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { describe, launch, waitFor, waitGone } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let vpc: ReturnType<typeof commonClient>;
let cvm: ReturnType<typeof cvmClient>;
serverForFile((started) => (server = started), { OPENCVM_TIMING: "instant" });
// Every refusal of a security group action, in every test, has a code its action documents or a common one.
everyRefusalDocumented(() => [server.logs], (action) => /SecurityGroup/.test(action));

/** Each group of tests works in an account of its own: every account may hold 50 groups per region. */
let key: { secretId: string; secretKey: string };
async function freshAccount(): Promise<void> {
  key = generateKeyPair();
  await server.store.accounts.create(key);
  vpc = commonClient(server, "2017-03-12", { ...key, language: "en-US" });
  cvm = cvmClient(server, { ...key, language: "en-US" });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const call = (action: string, params: object = {}): Promise<any> => vpc.request(action, params);
const code = async (p: Promise<unknown>) => (await sdkError(p)).code;

let n = 0;
async function newGroup(extra: object = {}): Promise<string> {
  const out = await call("CreateSecurityGroup", { GroupName: `g${++n}`, GroupDescription: "test", ...extra });
  return out.SecurityGroup.SecurityGroupId;
}

async function rules(id: string) {
  return (await call("DescribeSecurityGroupPolicies", { SecurityGroupId: id })).SecurityGroupPolicySet;
}

const tcp = (port: string, cidr = "0.0.0.0/0", action = "ACCEPT", extra: object = {}) => ({ Protocol: "TCP", Port: port, CidrBlock: cidr, Action: action, ...extra });
const ports = (set: { Port: string }[]) => set.map((r) => r.Port);

group("security groups", () => {
  beforeAll(freshAccount);
  it("creates a group that denies everything, with the real cloud's shape", async () => {
    const out = (await call("CreateSecurityGroup", { GroupName: "web", GroupDescription: "web servers", ProjectId: "3", Tags: [{ Key: "team", Value: "web" }] })).SecurityGroup;
    expect(out).toMatchObject({ SecurityGroupName: "web", SecurityGroupDesc: "web servers", ProjectId: "3", IsDefault: false, TagSet: [{ Key: "team", Value: "web" }] });
    expect(out.SecurityGroupId).toMatch(/^sg-[a-z0-9]{8}$/);
    expect(out.CreatedTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await rules(out.SecurityGroupId)).toMatchObject({ Version: "0", Ingress: [], Egress: [] });
  });

  it("lists by ids or by filters, pages with string Offset and Limit, and orders", async () => {
    const a = await newGroup({ GroupName: "list-alpha", ProjectId: "7", Tags: [{ Key: "env", Value: "prod" }] });
    const b = await newGroup({ GroupName: "list-beta", ProjectId: "7" });
    expect((await call("DescribeSecurityGroups", { SecurityGroupIds: [b, a] })).SecurityGroupSet.map((g: { SecurityGroupId: string }) => g.SecurityGroupId)).toEqual([a, b]);
    const byName = await call("DescribeSecurityGroups", { Filters: [{ Name: "security-group-name", Values: ["list-"] }] });
    expect(byName.TotalCount).toBe(2);
    expect((await call("DescribeSecurityGroups", { Filters: [{ Name: "project-id", Values: ["7"] }, { Name: "tag:env", Values: ["prod"] }] })).SecurityGroupSet.map((g: { SecurityGroupId: string }) => g.SecurityGroupId)).toEqual([a]);
    expect((await call("DescribeSecurityGroups", { Filters: [{ Name: "tag-key", Values: ["env"] }] })).TotalCount).toBe(1);
    const page = await call("DescribeSecurityGroups", { Filters: [{ Name: "security-group-name", Values: ["list-"] }], Offset: "1", Limit: "1" });
    expect(page.TotalCount).toBe(2);
    expect(page.SecurityGroupSet.map((g: { SecurityGroupId: string }) => g.SecurityGroupId)).toEqual([b]);
    const desc = await call("DescribeSecurityGroups", { Filters: [{ Name: "security-group-name", Values: ["list-"] }], OrderField: "CreatedTime", OrderDirection: "DESC" });
    expect(desc.SecurityGroupSet).toHaveLength(2);
    expect((await call("DescribeSecurityGroups", { SecurityGroupIds: ["sg-zzzzzzzz"] })).TotalCount).toBe(0);
  });

  it.each([
    [{ SecurityGroupIds: ["sg-1"] }, "InvalidParameterValue.Malformed"],
    [{ SecurityGroupIds: ["sg-abcdefgh"], Filters: [{ Name: "security-group-name", Values: ["a"] }] }, "InvalidParameter.Coexist"],
    [{ Filters: [{ Name: "colour", Values: ["a"] }] }, "InvalidParameter.FilterInvalidKey"],
    [{ SecurityGroupIds: Array.from({ length: 101 }, (_, i) => `sg-${String(i).padStart(8, "0")}`) }, "InvalidParameterValue.LimitExceeded"],
    [{ Limit: "101" }, "InvalidParameterValue.LimitExceeded"],
    [{ OrderField: "Name" }, "InvalidParameterValue.Range"],
    [{ OrderDirection: "UP" }, "InvalidParameterValue.Range"],
  ])("refuses DescribeSecurityGroups %j with %s", async (params, expected) => {
    expect(await code(call("DescribeSecurityGroups", params))).toBe(expected);
  });

  it.each([
    [{ GroupName: "x".repeat(61), GroupDescription: "d" }, "InvalidParameterValue.TooLong"],
    [{ GroupName: "", GroupDescription: "d" }, "MissingParameter"],
    [{ GroupName: "x", GroupDescription: "d".repeat(101) }, "InvalidParameterValue.TooLong"],
    [{ GroupName: "x", GroupDescription: "d", ProjectId: "first" }, "InvalidParameterValue.Malformed"],
    [{ GroupName: "x", GroupDescription: "d", Tags: [{ Key: "qcloud:a", Value: "b" }] }, "UnsupportedOperation.TagSystemReservedTagKey"],
    [{ GroupName: "x", GroupDescription: "d", Tags: [{ Key: "a", Value: "1" }, { Key: "a", Value: "2" }] }, "InvalidParameterValue.TagDuplicateKey"],
  ])("refuses CreateSecurityGroup %j with %s", async (params, expected) => {
    expect(await code(call("CreateSecurityGroup", params))).toBe(expected);
  });

  it("allows a name twice (groups may be named freely) and counts 60 characters, not bytes", async () => {
    await newGroup({ GroupName: "twice" });
    await newGroup({ GroupName: "twice" });
    await newGroup({ GroupName: "安".repeat(60) });
  });

  it("renames and re-describes a group, its rules' Version untouched", async () => {
    const id = await newGroup();
    await call("ModifySecurityGroupAttribute", { SecurityGroupId: id, GroupName: "renamed" });
    await call("ModifySecurityGroupAttribute", { SecurityGroupId: id, GroupDescription: "new words" });
    expect((await call("DescribeSecurityGroups", { SecurityGroupIds: [id] })).SecurityGroupSet[0]).toMatchObject({ SecurityGroupName: "renamed", SecurityGroupDesc: "new words" });
    expect((await rules(id)).Version).toBe("0");
    expect(await code(call("ModifySecurityGroupAttribute", { SecurityGroupId: id }))).toBe("MissingParameter");
    expect(await code(call("ModifySecurityGroupAttribute", { SecurityGroupId: id, GroupName: "x".repeat(61) }))).toBe("InvalidParameterValue.TooLong");
    expect(await code(call("ModifySecurityGroupAttribute", { SecurityGroupId: "sg-zzzzzzzz", GroupName: "x" }))).toBe("ResourceNotFound");
    expect(await code(call("ModifySecurityGroupAttribute", { SecurityGroupId: "sg-bad", GroupName: "x" }))).toBe("InvalidParameterValue.Malformed");
  });

  it("deletes a group, and refuses unknown and malformed ids with the codes DeleteSecurityGroup documents", async () => {
    const id = await newGroup();
    await call("DeleteSecurityGroup", { SecurityGroupId: id });
    expect((await call("DescribeSecurityGroups", { SecurityGroupIds: [id] })).TotalCount).toBe(0);
    expect(await code(call("DeleteSecurityGroup", { SecurityGroupId: id }))).toBe("InvalidSecurityGroupID.NotFound");
    expect(await code(call("DeleteSecurityGroup", { SecurityGroupId: "sg-x" }))).toBe("InvalidSecurityGroupID.Malformed");
  });

  it("holds the quota of 50 groups per region (the default group aside), even under concurrent calls", async () => {
    const region = commonClient(server, "2017-03-12", { region: "ap-tokyo" });
    await region.request("CreateDefaultSecurityGroup", {});
    const results = await Promise.allSettled(Array.from({ length: 55 }, (_, i) => region.request("CreateSecurityGroup", { GroupName: `q${i}`, GroupDescription: "" })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(50);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(5).fill("LimitExceeded"));
    expect((await region.request("DescribeSecurityGroups", { Limit: "100" })).TotalCount).toBe(51);
    expect((await sdkError(region.request("CreateSecurityGroupWithPolicies", { GroupName: "x", GroupDescription: "" }))).code).toBe("LimitExceeded");
  });
});

group("the default security group", () => {
  it("is created on an account's first launch without groups, named as the real cloud names it, open to IPv4, and not deletable", async () => {
    const key = generateKeyPair();
    await server.store.accounts.create(key);
    const fresh = cvmClient(server, key);
    const freshVpc = commonClient(server, "2017-03-12", key);
    expect((await freshVpc.request("DescribeSecurityGroups", {})).TotalCount).toBe(0);
    const [first] = (await launch(fresh)).InstanceIdSet!;
    const [second] = (await launch(fresh)).InstanceIdSet!;
    const listed = await freshVpc.request("DescribeSecurityGroups", {});
    expect(listed.TotalCount).toBe(1);
    const d = listed.SecurityGroupSet[0];
    expect(d).toMatchObject({ SecurityGroupName: "default", SecurityGroupDesc: "System created security group", IsDefault: true, ProjectId: "0" });
    expect((await describe(fresh, [first, second])).map((i) => i.SecurityGroupIds)).toEqual([[d.SecurityGroupId], [d.SecurityGroupId]]);
    expect((await freshVpc.request("CreateDefaultSecurityGroup", {})).SecurityGroup.SecurityGroupId).toBe(d.SecurityGroupId);
    const set = (await freshVpc.request("DescribeSecurityGroupPolicies", { SecurityGroupId: d.SecurityGroupId })).SecurityGroupPolicySet;
    for (const direction of [set.Ingress, set.Egress]) expect(direction).toMatchObject([{ PolicyIndex: 0, Protocol: "ALL", Port: "ALL", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }]);
    expect((await sdkError(freshVpc.request("DeleteSecurityGroup", { SecurityGroupId: d.SecurityGroupId }))).code).toBe("UnsupportedOperation");
    // Another region has its own.
    const elsewhere = commonClient(server, "2017-03-12", { ...key, region: "ap-beijing" });
    const other = (await elsewhere.request("CreateDefaultSecurityGroup", {})).SecurityGroup;
    expect(other.SecurityGroupId).not.toBe(d.SecurityGroupId);
    expect((await sdkError(freshVpc.request("CreateDefaultSecurityGroup", { ProjectId: "5" }))).code).toBe("UnsupportedOperation");
  });

  it("is created once however many first launches race", async () => {
    const key = generateKeyPair();
    await server.store.accounts.create(key);
    const fresh = cvmClient(server, key);
    const ids = (await Promise.all(Array.from({ length: 10 }, () => launch(fresh)))).flatMap((r) => r.InstanceIdSet!);
    const groups = new Set((await describe(fresh, ids)).flatMap((i) => i.SecurityGroupIds!));
    expect(groups.size).toBe(1);
    expect((await commonClient(server, "2017-03-12", key).request("DescribeSecurityGroups", {})).TotalCount).toBe(1);
  });
});

group("rules", () => {
  beforeAll(freshAccount);
  it("appends rules, inserts them at a PolicyIndex, and counts every change in the Version", async () => {
    const id = await newGroup();
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [tcp("22"), tcp("80")] } });
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [tcp("443")] } });
    // PolicyIndex 0 puts the rules first, in the order given; 2 puts them before the rule at 2.
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Version: "2", Ingress: [tcp("1"), tcp("2")].map((r) => ({ ...r, PolicyIndex: 0 })) } });
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [{ ...tcp("3"), PolicyIndex: 2 }] } });
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Egress: [{ Protocol: "ALL", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }] } });
    const set = await rules(id);
    expect(set.Version).toBe("5");
    expect(ports(set.Ingress)).toEqual(["1", "2", "3", "22", "80", "443"]);
    expect(set.Ingress.map((r: { PolicyIndex: number }) => r.PolicyIndex)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(set.Egress).toEqual([
      { PolicyIndex: 0, Protocol: "ALL", Port: "ALL", ServiceTemplate: { ServiceId: "", ServiceGroupId: "" }, CidrBlock: "0.0.0.0/0", Ipv6CidrBlock: "", SecurityGroupId: "", AddressTemplate: { AddressId: "", AddressGroupId: "" }, Action: "ACCEPT", PolicyDescription: "", ModifyTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) },
    ]);
    expect(set.PolicyStatistics).toEqual({ IngressIPv4TotalCount: 6, IngressIPv6TotalCount: 0, EgressIPv4TotalCount: 1, EgressIPv6TotalCount: 0 });
  });

  it("takes protocols and ports in every documented form and writes them one way", async () => {
    const id = await newGroup();
    const given = [
      { Protocol: "tcp", Port: "22", CidrBlock: "10.0.0.0/8", Action: "accept", PolicyDescription: "ssh" },
      { Protocol: "UDP", Port: "53,123", CidrBlock: "10.1.2.3", Action: "ACCEPT" },
      { Protocol: "TCP", Port: "1-65535", CidrBlock: "0.0.0.0/16", Action: "DROP" },
      { Protocol: "TCP", Port: "all", SecurityGroupId: id, Action: "ACCEPT" },
      { Protocol: "ICMP", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" },
      { Protocol: "ICMPV6", Ipv6CidrBlock: "::/0", Action: "ACCEPT" },
      { Protocol: "GRE", Port: "ALL", CidrBlock: "192.168.0.0/16", Action: "ACCEPT" },
      { Protocol: "ALL", Port: "ALL", Ipv6CidrBlock: "2402:4E00::/32", Action: "DROP" },
    ];
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: given } });
    const shown = (await rules(id)).Ingress.map((r: Record<string, unknown>) => [r.Protocol, r.Port, r.CidrBlock || r.Ipv6CidrBlock || r.SecurityGroupId, r.Action]);
    expect(shown).toEqual([
      ["TCP", "22", "10.0.0.0/8", "ACCEPT"],
      ["UDP", "53,123", "10.1.2.3", "ACCEPT"],
      ["TCP", "1-65535", "0.0.0.0/0", "DROP"],
      ["TCP", "ALL", id, "ACCEPT"],
      ["ICMP", "ALL", "0.0.0.0/0", "ACCEPT"],
      ["ICMPv6", "ALL", "::/0", "ACCEPT"],
      ["GRE", "ALL", "192.168.0.0/16", "ACCEPT"],
      ["ALL", "ALL", "2402:4e00::/32", "DROP"],
    ]);
    expect((await rules(id)).PolicyStatistics).toMatchObject({ IngressIPv4TotalCount: 6, IngressIPv6TotalCount: 2 });
  });

  it("takes rules as a query string too (GET, flattened names)", async () => {
    const get = commonClient(server, "2017-03-12", { ...key, reqMethod: "GET", signMethod: "HmacSHA256" });
    const id = await newGroup();
    await get.request("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Version: "0", Ingress: [{ ...tcp("8080"), PolicyIndex: 0 }] } });
    expect((await rules(id)).Ingress).toMatchObject([{ PolicyIndex: 0, Port: "8080" }]);
  });

  const refusals: [string, object, string][] = [
    ["an unknown protocol", { Ingress: [{ Protocol: "SCTP", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }] }, "InvalidParameterValue.Range"],
    ["no protocol", { Ingress: [{ CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }] }, "InvalidParameterValue.Empty"],
    ["a malformed port", { Ingress: [tcp("ssh")] }, "InvalidParameterValue.Malformed"],
    ["port 0", { Ingress: [tcp("0")] }, "InvalidParameterValue.Range"],
    ["port 65536", { Ingress: [tcp("65536")] }, "InvalidParameterValue.Range"],
    ["a backwards range", { Ingress: [tcp("90-80")] }, "InvalidParameterValue.Range"],
    ["a port with ICMP", { Ingress: [{ Protocol: "ICMP", Port: "8", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }] }, "InvalidParameter.Coexist"],
    ["a port with ALL", { Ingress: [{ Protocol: "ALL", Port: "22", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }] }, "InvalidParameter.Coexist"],
    ["two peers", { Ingress: [tcp("22", "10.0.0.0/8", "ACCEPT", { Ipv6CidrBlock: "::/0" })] }, "InvalidParameter.Coexist"],
    ["no peer", { Ingress: [{ Protocol: "TCP", Port: "22", Action: "ACCEPT" }] }, "InvalidParameterValue.Empty"],
    ["a malformed CIDR", { Ingress: [tcp("22", "10.0.0.0/40")] }, "InvalidParameterValue.Malformed"],
    ["host bits in a CIDR", { Ingress: [tcp("22", "10.0.0.1/8")] }, "InvalidParameterValue.Malformed"],
    ["a malformed IPv6 CIDR", { Ingress: [{ Protocol: "TCP", Port: "22", Ipv6CidrBlock: "2402::4e00::/32", Action: "ACCEPT" }] }, "InvalidParameterValue.Malformed"],
    ["ICMP with IPv6", { Ingress: [{ Protocol: "ICMP", Ipv6CidrBlock: "::/0", Action: "ACCEPT" }] }, "InvalidParameter.Coexist"],
    ["ICMPv6 with IPv4", { Ingress: [{ Protocol: "ICMPv6", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }] }, "InvalidParameter.Coexist"],
    ["a malformed group peer", { Ingress: [{ Protocol: "TCP", Port: "22", SecurityGroupId: "sg-1", Action: "ACCEPT" }] }, "InvalidParameterValue.Malformed"],
    ["an unknown group peer", { Ingress: [{ Protocol: "TCP", Port: "22", SecurityGroupId: "sg-zzzzzzzz", Action: "ACCEPT" }] }, "ResourceNotFound"],
    ["an address template", { Ingress: [{ Protocol: "TCP", Port: "22", AddressTemplate: { AddressId: "ipm-2uw6ujo6" }, Action: "ACCEPT" }] }, "UnsupportedOperation"],
    ["an address template with a CIDR", { Ingress: [tcp("22", "10.0.0.0/8", "ACCEPT", { AddressTemplate: { AddressGroupId: "ipmg-2uw6ujo6" } })] }, "InvalidParameter.Coexist"],
    ["a service template", { Ingress: [{ ServiceTemplate: { ServiceId: "ppm-f5n1f8da" }, CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }] }, "UnsupportedOperation"],
    ["a service template with a protocol", { Ingress: [{ ...tcp("22"), ServiceTemplate: { ServiceId: "ppm-f5n1f8da" } }] }, "InvalidParameter.Coexist"],
    ["MY_PUBLIC_IP", { Ingress: [tcp("22", "MY_PUBLIC_IP")] }, "UnsupportedOperation"],
    ["an unknown action", { Ingress: [tcp("22", "0.0.0.0/0", "ALLOW")] }, "InvalidParameterValue.Range"],
    ["no action", { Ingress: [{ Protocol: "TCP", Port: "22", CidrBlock: "0.0.0.0/0" }] }, "InvalidParameterValue.Empty"],
    ["a long description", { Ingress: [tcp("22", "0.0.0.0/0", "ACCEPT", { PolicyDescription: "d".repeat(101) })] }, "InvalidParameterValue.TooLong"],
    ["the same rule twice", { Ingress: [tcp("22"), tcp("22", "0.0.0.0/0", "ACCEPT", { PolicyDescription: "again" })] }, "UnsupportedOperation.DuplicatePolicy"],
    ["both directions", { Ingress: [tcp("22")], Egress: [tcp("22")] }, "InvalidParameter.Coexist"],
    ["no rules", { Egress: [] }, "InvalidParameterValue.Empty"],
    ["different PolicyIndexes", { Ingress: [{ ...tcp("22"), PolicyIndex: 0 }, { ...tcp("23"), PolicyIndex: 1 }] }, "InvalidParameterValue"],
    ["a PolicyIndex past the end", { Ingress: [{ ...tcp("22"), PolicyIndex: 2 }] }, "InvalidParameterValue.Range"],
    ["a Priority", { Ingress: [{ ...tcp("22"), Priority: 1 }] }, "UnsupportedOperation"],
    ["a malformed Version", { Version: "v1", Ingress: [tcp("22")] }, "InvalidParameterValue.Malformed"],
  ];
  let refusing: string | undefined;
  it.each(refusals)("refuses %s with %s, changing nothing", async (_what, set, expected) => {
    if (!refusing) {
      refusing = await newGroup();
      await call("CreateSecurityGroupPolicies", { SecurityGroupId: refusing, SecurityGroupPolicySet: { Ingress: [tcp("9")] } });
    }
    const id = refusing;
    expect(await code(call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: set }))).toBe(expected);
    expect(await rules(id)).toMatchObject({ Version: "1", Ingress: [{ Port: "9" }], Egress: [] });
  });

  it("refuses a rule already in the group, and rules for a group that does not exist", async () => {
    const id = await newGroup();
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [tcp("22")] } });
    expect(await code(call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [tcp("22")] } }))).toBe("UnsupportedOperation.DuplicatePolicy");
    // The same rule with the other action is another rule.
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [tcp("22", "0.0.0.0/0", "DROP")] } });
    expect(await code(call("CreateSecurityGroupPolicies", { SecurityGroupId: "sg-zzzzzzzz", SecurityGroupPolicySet: { Ingress: [tcp("22")] } }))).toBe("ResourceNotFound");
    expect(await code(call("DescribeSecurityGroupPolicies", { SecurityGroupId: "sg-zzzzzzzz" }))).toBe("ResourceNotFound");
  });

  it("holds 100 rules in each direction", async () => {
    const id = await newGroup();
    const hundred = Array.from({ length: 100 }, (_, i) => tcp(String(i + 1)));
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: hundred } });
    expect(await code(call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [tcp("101")] } }))).toBe("LimitExceeded.SecurityGroupPolicySet");
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Egress: hundred } });
    expect(await code(call("ModifySecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [...hundred, tcp("101")] } }))).toBe("LimitExceeded");
    expect((await rules(id)).PolicyStatistics).toMatchObject({ IngressIPv4TotalCount: 100, EgressIPv4TotalCount: 100 });
  });

  it("filters rules, each keeping its PolicyIndex", async () => {
    const id = await newGroup();
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [tcp("22", "10.0.0.0/8"), tcp("8000-8010", "0.0.0.0/0", "DROP", { PolicyDescription: "app ports" }), { Protocol: "UDP", Port: "53", CidrBlock: "10.0.0.0/8", Action: "ACCEPT" }] } });
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Egress: [tcp("443")] } });
    const f = async (Name: string, Values: string[]) => {
      const set = (await call("DescribeSecurityGroupPolicies", { SecurityGroupId: id, Filters: [{ Name, Values }] })).SecurityGroupPolicySet;
      return [...set.Ingress.map((r: { PolicyIndex: number }) => `in${r.PolicyIndex}`), ...set.Egress.map((r: { PolicyIndex: number }) => `out${r.PolicyIndex}`)];
    };
    expect(await f("protocol-type", ["udp"])).toEqual(["in2"]);
    expect(await f("port", ["8005"])).toEqual(["in1"]);
    expect(await f("port", ["44"])).toEqual(["out0"]);
    expect(await f("poly", ["DROP"])).toEqual(["in1"]);
    expect(await f("direction", ["OUTBOUND"])).toEqual(["out0"]);
    expect(await f("direction", ["ALL"])).toEqual(["in0", "in1", "in2", "out0"]);
    expect(await f("ip", ["10.0"])).toEqual(["in0", "in2"]);
    expect(await f("description", ["app"])).toEqual(["in1"]);
    expect(await f("address-module", ["ipm-2uw6ujo6"])).toEqual([]);
    expect(await code(call("DescribeSecurityGroupPolicies", { SecurityGroupId: id, Filters: [{ Name: "colour", Values: ["x"] }] }))).toBe("InvalidParameter.FilterInvalidKey");
  });

  it("deletes rules by PolicyIndex or by the rule itself, never both ways in one call", async () => {
    const id = await newGroup();
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: ["1", "2", "3", "4", "5"].map((p) => tcp(p)) } });
    await call("DeleteSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Version: "1", Ingress: [{ PolicyIndex: 3 }, { PolicyIndex: 0 }] } });
    expect(ports((await rules(id)).Ingress)).toEqual(["2", "3", "5"]);
    // By rule: the description does not matter, the rest must match.
    await call("DeleteSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [tcp("3", "0.0.0.0/0", "accept", { PolicyDescription: "whatever" })] } });
    expect(ports((await rules(id)).Ingress)).toEqual(["2", "5"]);
    expect(await code(call("DeleteSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [tcp("2", "0.0.0.0/0", "DROP")] } }))).toBe("ResourceNotFound");
    expect(await code(call("DeleteSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [{ PolicyIndex: 0 }, tcp("5")] } }))).toBe("InvalidParameter.Coexist");
    expect(await code(call("DeleteSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [{ PolicyIndex: 2 }] } }))).toBe("InvalidParameterValue.Range");
    expect(await code(call("DeleteSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [{ PolicyIndex: 1 }, { PolicyIndex: 1 }] } }))).toBe("InvalidParameterValue");
    expect(await code(call("DeleteSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Egress: [{ PolicyIndex: 0 }] } }))).toBe("InvalidParameterValue.Range");
    expect(await rules(id)).toMatchObject({ Version: "3" });
  });

  it("replaces one rule or several in place, by PolicyIndex", async () => {
    const id = await newGroup();
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Egress: ["1", "2", "3"].map((p) => tcp(p)) } });
    await call("ReplaceSecurityGroupPolicy", { SecurityGroupId: id, SecurityGroupPolicySet: { Version: "1", Egress: [{ ...tcp("20", "10.0.0.0/8", "DROP"), PolicyIndex: 1 }] }, OriginalSecurityGroupPolicySet: { Egress: [{ ...tcp("2"), PolicyIndex: 1 }] } });
    expect((await rules(id)).Egress.map((r: { Port: string; Action: string }) => `${r.Port}/${r.Action}`)).toEqual(["1/ACCEPT", "20/DROP", "3/ACCEPT"]);
    await call("ReplaceSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Version: "2", Egress: [{ ...tcp("30"), PolicyIndex: 2 }, { ...tcp("10"), PolicyIndex: 0 }] }, UpdateType: "Policy" });
    expect(ports((await rules(id)).Egress)).toEqual(["10", "20", "30"]);
    expect((await rules(id)).Version).toBe("3");
    const replace = (action: string, set: object, extra: object = {}) => code(call(action, { SecurityGroupId: id, SecurityGroupPolicySet: set, ...extra }));
    expect(await replace("ReplaceSecurityGroupPolicy", { Egress: [{ ...tcp("40"), PolicyIndex: 0 }, { ...tcp("41"), PolicyIndex: 1 }] })).toBe("InvalidParameterValue.LimitExceeded");
    expect(await replace("ReplaceSecurityGroupPolicy", { Egress: [tcp("40")] })).toBe("InvalidParameterValue.Empty");
    expect(await replace("ReplaceSecurityGroupPolicy", { Egress: [{ ...tcp("40"), PolicyIndex: 3 }] })).toBe("InvalidParameterValue.Range");
    expect(await replace("ReplaceSecurityGroupPolicy", { Egress: [{ ...tcp("30"), PolicyIndex: 0 }] })).toBe("UnsupportedOperation.DuplicatePolicy");
    expect(await replace("ReplaceSecurityGroupPolicies", { Egress: [{ ...tcp("40"), PolicyIndex: 0 }] }, { UpdateType: "Priority" })).toBe("UnsupportedOperation");
    expect(await replace("ReplaceSecurityGroupPolicies", { Egress: [{ ...tcp("40"), PolicyIndex: 0 }] }, { UpdateType: "Sideways" })).toBe("InvalidParameterValue");
    expect(await replace("ReplaceSecurityGroupPolicies", { Egress: [{ ...tcp("40"), PolicyIndex: 0 }, { ...tcp("41"), PolicyIndex: 0 }] })).toBe("InvalidParameterValue");
    expect(ports((await rules(id)).Egress)).toEqual(["10", "20", "30"]);
  });

  it("refuses replacing a rule with one the direction has already", async () => {
    const id = await newGroup();
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Egress: ["1", "2"].map((p) => tcp(p)) } });
    expect(await code(call("ReplaceSecurityGroupPolicy", { SecurityGroupId: id, SecurityGroupPolicySet: { Egress: [{ ...tcp("2"), PolicyIndex: 0 }] } }))).toBe("UnsupportedOperation.DuplicatePolicy");
    // Replacing a rule with itself is no duplicate.
    await call("ReplaceSecurityGroupPolicy", { SecurityGroupId: id, SecurityGroupPolicySet: { Egress: [{ ...tcp("2", "0.0.0.0/0", "ACCEPT", { PolicyDescription: "same" }), PolicyIndex: 1 }] } });
    expect((await rules(id)).Egress[1]).toMatchObject({ Port: "2", PolicyDescription: "same" });
  });

  it("resets every rule with ModifySecurityGroupPolicies, in the order given, and clears them all with Version 0", async () => {
    const id = await newGroup();
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [tcp("1")] } });
    await call("ModifySecurityGroupPolicies", { SecurityGroupId: id, SortPolicys: true, SecurityGroupPolicySet: { Ingress: [tcp("443"), tcp("80")], Egress: [{ Protocol: "ALL", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }] } });
    expect(await rules(id)).toMatchObject({ Version: "2", Ingress: [{ Port: "443" }, { Port: "80" }], Egress: [{ Protocol: "ALL" }] });
    // A direction left out is emptied: the whole set is replaced.
    await call("ModifySecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [tcp("22")] } });
    expect(await rules(id)).toMatchObject({ Version: "3", Ingress: [{ Port: "22" }], Egress: [] });
    // Version here is no condition: 0 clears (Ingress and Egress ignored), anything else replaces.
    await call("ModifySecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Version: "0", Ingress: [tcp("8080")] } });
    expect(await rules(id)).toMatchObject({ Version: "4", Ingress: [], Egress: [] });
    await call("ModifySecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Version: "1", Ingress: [tcp("8080")] } });
    expect(await rules(id)).toMatchObject({ Version: "5", Ingress: [{ Port: "8080" }] });
    expect(await code(call("ModifySecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [{ ...tcp("22"), PolicyIndex: 0 }] } }))).toBe("InvalidParameter");
    expect(await code(call("ModifySecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress: [tcp("22"), tcp("22")] } }))).toBe("UnsupportedOperation.DuplicatePolicy");
    expect((await rules(id)).Version).toBe("5");
  });

  it("refuses every change that names a stale Version, with the documented code", async () => {
    const id = await newGroup();
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Version: "0", Ingress: [tcp("1"), tcp("2")] } });
    const stale = "0";
    const attempts: [string, object][] = [
      ["CreateSecurityGroupPolicies", { Version: stale, Ingress: [tcp("3")] }],
      ["DeleteSecurityGroupPolicies", { Version: stale, Ingress: [{ PolicyIndex: 0 }] }],
      ["ReplaceSecurityGroupPolicy", { Version: stale, Ingress: [{ ...tcp("4"), PolicyIndex: 0 }] }],
      ["ReplaceSecurityGroupPolicies", { Version: stale, Ingress: [{ ...tcp("4"), PolicyIndex: 0 }] }],
    ];
    for (const [action, set] of attempts) {
      const err = await sdkError(call(action, { SecurityGroupId: id, SecurityGroupPolicySet: set }));
      expect(err.code, action).toBe("UnsupportedOperation.VersionMismatch");
      expect(err.message).toContain("Version 1");
    }
    expect(await rules(id)).toMatchObject({ Version: "1", Ingress: [{ Port: "1" }, { Port: "2" }] });
  });

  it("lets exactly one of many racing changes naming the same Version through", async () => {
    const id = await newGroup();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => call("CreateSecurityGroupPolicies", { SecurityGroupId: id, SecurityGroupPolicySet: { Version: "0", Ingress: [tcp(String(100 + i))] } })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(new Set(results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code: string }).code] : [])))).toEqual(new Set(["UnsupportedOperation.VersionMismatch"]));
    expect(await rules(id)).toMatchObject({ Version: "1" });
    expect((await rules(id)).Ingress).toHaveLength(1);
  });

  it("creates a group with its rules in one call", async () => {
    const out = await call("CreateSecurityGroupWithPolicies", { GroupName: "with", GroupDescription: "rules", SecurityGroupPolicySet: { Ingress: [tcp("22"), tcp("80")] } });
    const id = out.SecurityGroup.SecurityGroupId;
    expect(await rules(id)).toMatchObject({ Version: "1", Ingress: [{ PolicyIndex: 0, Port: "22" }, { PolicyIndex: 1, Port: "80" }], Egress: [] });
    const bare = await call("CreateSecurityGroupWithPolicies", { GroupName: "bare", GroupDescription: "" });
    expect((await rules(bare.SecurityGroup.SecurityGroupId)).Version).toBe("0");
    expect(await code(call("CreateSecurityGroupWithPolicies", { GroupName: "x", GroupDescription: "", SecurityGroupPolicySet: { Ingress: [tcp("22")], Egress: [tcp("22")] } }))).toBe("InvalidParameter.Coexist");
    expect(await code(call("CreateSecurityGroupWithPolicies", { GroupName: "x", GroupDescription: "", SecurityGroupPolicySet: { Ingress: [tcp("22"), tcp("22")] } }))).toBe("InvalidParameterValue");
    expect(await code(call("CreateSecurityGroupWithPolicies", { GroupName: "x", GroupDescription: "", SecurityGroupPolicySet: { Ingress: [{ Protocol: "TCP", Port: "22", Action: "ACCEPT" }] } }))).toBe("MissingParameter");
    expect(await code(call("CreateSecurityGroupWithPolicies", { GroupName: "x", GroupDescription: "", Tags: [{ Key: "qcloud:x", Value: "" }] }))).toBe("InvalidParameterValue");
    expect((await call("DescribeSecurityGroups", { Filters: [{ Name: "security-group-name", Values: ["x"] }] })).SecurityGroupSet.filter((g: { SecurityGroupName: string }) => g.SecurityGroupName === "x")).toEqual([]);
  });
});

group("security groups on instances", () => {
  beforeAll(freshAccount);
  let a: string;
  let b: string;
  let c: string;
  beforeAll(async () => {
    a = await newGroup({ GroupName: "inst-a" });
    b = await newGroup({ GroupName: "inst-b" });
    c = await newGroup({ GroupName: "inst-c" });
  });

  it("launches instances in the groups asked for, in priority order, and DescribeInstances shows and filters them", async () => {
    const ids = (await launch(cvm, { SecurityGroupIds: [b, a], InstanceCount: 2 })).InstanceIdSet!;
    const set = await waitFor(cvm, ids, "RUNNING");
    expect(set.map((i) => i.SecurityGroupIds)).toEqual([
      [b, a],
      [b, a],
    ]);
    const filtered = await cvm.DescribeInstances({ Filters: [{ Name: "security-group-id", Values: [b] }] });
    expect(filtered.InstanceSet!.map((i) => i.InstanceId).sort()).toEqual([...ids].sort());
    const stats = (await call("DescribeSecurityGroupAssociationStatistics", { SecurityGroupIds: [a, c] })).SecurityGroupAssociationStatisticsSet;
    expect(stats).toEqual([
      { SecurityGroupId: a, CVM: 2, CDB: 0, ENI: 0, SG: 0, CLB: 0, InstanceStatistics: [{ InstanceType: "CVM", InstanceCount: 2 }], TotalCount: 2 },
      { SecurityGroupId: c, CVM: 0, CDB: 0, ENI: 0, SG: 0, CLB: 0, InstanceStatistics: [{ InstanceType: "CVM", InstanceCount: 0 }], TotalCount: 0 },
    ]);
    await cvm.TerminateInstances({ InstanceIds: ids });
    await waitGone(cvm, ids);
    expect((await call("DescribeSecurityGroupAssociationStatistics", { SecurityGroupIds: [a] })).SecurityGroupAssociationStatisticsSet[0].CVM).toBe(0);
  });

  it.each([
    [["sg-1"], "InvalidParameterValue"],
    [["sg-zzzzzzzz"], "InvalidSecurityGroupId.NotFound"],
    [["sg-aaaaaaaa", "sg-aaaaaaaa"], "InvalidParameterValue"],
    [["sg-aaaaaaa1", "sg-aaaaaaa2", "sg-aaaaaaa3", "sg-aaaaaaa4", "sg-aaaaaaa5", "sg-aaaaaaa6"], "LimitExceeded.SingleUSGQuota"],
  ])("refuses RunInstances with SecurityGroupIds %j: %s, creating nothing", async (groups, expected) => {
    const before = (await cvm.DescribeInstancesStatus({})).TotalCount;
    expect(await code(launch(cvm, { SecurityGroupIds: groups }))).toBe(expected);
    expect((await cvm.DescribeInstancesStatus({})).TotalCount).toBe(before);
  });

  it("associates and disassociates one group at a time, replaces the set with ModifyInstancesAttribute, and keeps a group in use", async () => {
    const [id] = (await launch(cvm, { SecurityGroupIds: [a] })).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    const groups = async () => (await describe(cvm, [id]))[0].SecurityGroupIds;

    const out = await cvm.AssociateSecurityGroups({ SecurityGroupIds: [b], InstanceIds: [id] });
    expect((await describe(cvm, [id]))[0]).toMatchObject({ SecurityGroupIds: [a, b], LatestOperation: "AssociateSecurityGroups", LatestOperationState: "SUCCESS", LatestOperationRequestId: out.RequestId });
    // Associating a group the instance has already keeps its place.
    await cvm.AssociateSecurityGroups({ SecurityGroupIds: [a], InstanceIds: [id] });
    expect(await groups()).toEqual([a, b]);
    await cvm.ModifyInstancesAttribute({ InstanceIds: [id], SecurityGroups: [c, b, a] });
    expect(await groups()).toEqual([c, b, a]);
    await cvm.DisassociateSecurityGroups({ SecurityGroupIds: [b], InstanceIds: [id] });
    expect(await groups()).toEqual([c, a]);

    // In use: not deletable until no instance holds it (and the database refuses it even past the check).
    expect(await code(call("DeleteSecurityGroup", { SecurityGroupId: c }))).toBe("ResourceInUse");
    await expect(server.store.securityGroups.remove(c)).rejects.toThrow(/FOREIGN KEY/i);
    await cvm.DisassociateSecurityGroups({ SecurityGroupIds: [c], InstanceIds: [id] });
    expect(await code(cvm.DisassociateSecurityGroups({ SecurityGroupIds: [a], InstanceIds: [id] }))).toBe("UnsupportedOperation");
    expect(await code(cvm.DisassociateSecurityGroups({ SecurityGroupIds: [c], InstanceIds: [id] }))).toBe("InvalidParameterValue");
    const spare = await newGroup();
    await call("DeleteSecurityGroup", { SecurityGroupId: spare });

    // A stopped instance takes them too.
    await cvm.StopInstances({ InstanceIds: [id] });
    await waitFor(cvm, [id], "STOPPED");
    await cvm.AssociateSecurityGroups({ SecurityGroupIds: [c], InstanceIds: [id] });
    expect(await groups()).toEqual([a, c]);
  });

  it("refuses what the CVM actions document, changing nothing", async () => {
    const [id] = (await launch(cvm, { SecurityGroupIds: [a, b, c] })).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    const more = await Promise.all([newGroup(), newGroup(), newGroup()]);
    await cvm.AssociateSecurityGroups({ SecurityGroupIds: [more[0]], InstanceIds: [id] });
    await cvm.AssociateSecurityGroups({ SecurityGroupIds: [more[1]], InstanceIds: [id] });
    const assoc = (SecurityGroupIds: string[], InstanceIds = [id]) => code(cvm.AssociateSecurityGroups({ SecurityGroupIds, InstanceIds }));
    expect(await assoc([more[2]])).toBe("LimitExceeded.AssociateUSGLimitExceeded");
    expect(await assoc([more[2], a])).toBe("InvalidParameterValue.LimitExceeded");
    expect(await assoc(["sg-1"])).toBe("InvalidSgId.Malformed");
    expect(await assoc(["sg-zzzzzzzz"])).toBe("InvalidSecurityGroupId.NotFound");
    expect(await assoc([a], ["ins-zzzzzzzz"])).toBe("InvalidInstanceId.NotFound");
    expect(await assoc([a], ["ins-1"])).toBe("InvalidParameterValue.InstanceIdMalformed");
    expect(await code(cvm.DisassociateSecurityGroups({ SecurityGroupIds: ["sg-1"], InstanceIds: [id] }))).toBe("InvalidSgId.Malformed");
    expect(await code(cvm.ModifyInstancesAttribute({ InstanceIds: [id], SecurityGroups: [a, b, c, more[0], more[1], more[2]] }))).toBe("LimitExceeded.AssociateUSGLimitExceeded");
    expect((await describe(cvm, [id]))[0].SecurityGroupIds).toEqual([a, b, c, more[0], more[1]]);
  });

  it("refuses deleting a group another group's rules name, until they no longer do", async () => {
    const target = await newGroup();
    const holder = await newGroup();
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: holder, SecurityGroupPolicySet: { Ingress: [{ Protocol: "TCP", Port: "5432", SecurityGroupId: target, Action: "ACCEPT" }] } });
    expect((await call("DescribeSecurityGroupAssociationStatistics", { SecurityGroupIds: [target] })).SecurityGroupAssociationStatisticsSet[0]).toMatchObject({ SG: 1, CVM: 0 });
    const err = await sdkError(call("DeleteSecurityGroup", { SecurityGroupId: target }));
    expect(err.code).toBe("ResourceInUse");
    expect(err.message).toContain(holder);
    await call("DeleteSecurityGroupPolicies", { SecurityGroupId: holder, SecurityGroupPolicySet: { Ingress: [{ PolicyIndex: 0 }] } });
    await call("DeleteSecurityGroup", { SecurityGroupId: target });
    // A group naming itself can go.
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: holder, SecurityGroupPolicySet: { Ingress: [{ Protocol: "ALL", SecurityGroupId: holder, Action: "ACCEPT" }] } });
    await call("DeleteSecurityGroup", { SecurityGroupId: holder });
  });

  it("gives a machine's firewall the rules that guard it, first match deciding across its groups in priority order", async () => {
    const ssh = await newGroup();
    const web = await newGroup();
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: ssh, SecurityGroupPolicySet: { Ingress: [tcp("22", "203.0.113.0/24"), tcp("22", "0.0.0.0/0", "DROP")] } });
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: web, SecurityGroupPolicySet: { Ingress: [tcp("80,443"), tcp("1-65535", "0.0.0.0/0", "DROP"), { Protocol: "ALL", SecurityGroupId: web, Action: "ACCEPT" }] } });
    const [id, peer] = (await launch(cvm, { SecurityGroupIds: [ssh, web], InstanceCount: 2 })).InstanceIdSet!;
    await waitFor(cvm, [id, peer], "RUNNING");
    const peerIp = (await describe(cvm, [peer]))[0].PrivateIpAddresses![0];
    const open = async (packet: InboundPacket) => {
      const groups = await server.store.securityGroups.guarding(id);
      const members = await server.store.securityGroups.memberAddresses(groups.flatMap((g) => g.ingress.map((r) => r.securityGroupId)).filter(Boolean));
      return isInboundOpen(groups, packet, (sg) => members.get(sg) ?? []);
    };
    expect(await open({ protocol: "TCP", port: 22, source: "203.0.113.7" })).toBe(true);
    expect(await open({ protocol: "TCP", port: 22, source: "198.51.100.7" })).toBe(false);
    expect(await open({ protocol: "TCP", port: 443, source: "198.51.100.7" })).toBe(true);
    expect(await open({ protocol: "TCP", port: 8080, source: "198.51.100.7" })).toBe(false);
    expect(await open({ protocol: "UDP", port: 53, source: "198.51.100.7" })).toBe(false);
    expect(await open({ protocol: "UDP", port: 53, source: peerIp })).toBe(true);
    // Web first: its blanket DROP of every TCP port now comes before the SSH allowance.
    await cvm.ModifyInstancesAttribute({ InstanceIds: [id], SecurityGroups: [web, ssh] });
    expect(await open({ protocol: "TCP", port: 22, source: "203.0.113.7" })).toBe(false);
    // A rule changed is seen at once.
    await call("DeleteSecurityGroupPolicies", { SecurityGroupId: web, SecurityGroupPolicySet: { Ingress: [{ PolicyIndex: 1 }] } });
    expect(await open({ protocol: "TCP", port: 22, source: "203.0.113.7" })).toBe(true);
  });
});

group("accounts", () => {
  beforeAll(freshAccount);
  it("keeps one account's groups from another: it sees, changes, uses and names none of them", async () => {
    const mine = await newGroup();
    await call("CreateSecurityGroupPolicies", { SecurityGroupId: mine, SecurityGroupPolicySet: { Ingress: [tcp("22")] } });
    const key = generateKeyPair();
    await server.store.accounts.create(key);
    const other = commonClient(server, "2017-03-12", key);
    const otherCvm = cvmClient(server, key);
    const theirs = (await other.request("CreateSecurityGroup", { GroupName: "theirs", GroupDescription: "" })).SecurityGroup.SecurityGroupId;
    expect((await other.request("DescribeSecurityGroups", { SecurityGroupIds: [mine] })).TotalCount).toBe(0);
    expect((await other.request("DescribeSecurityGroups", {})).SecurityGroupSet.map((g: { SecurityGroupId: string }) => g.SecurityGroupId)).toEqual([theirs]);
    const refused = async (action: string, params: object) => (await sdkError(other.request(action, params))).code;
    expect(await refused("DescribeSecurityGroupPolicies", { SecurityGroupId: mine })).toBe("ResourceNotFound");
    expect(await refused("ModifySecurityGroupAttribute", { SecurityGroupId: mine, GroupName: "mine now" })).toBe("ResourceNotFound");
    expect(await refused("CreateSecurityGroupPolicies", { SecurityGroupId: mine, SecurityGroupPolicySet: { Ingress: [tcp("23")] } })).toBe("ResourceNotFound");
    expect(await refused("DeleteSecurityGroupPolicies", { SecurityGroupId: mine, SecurityGroupPolicySet: { Ingress: [{ PolicyIndex: 0 }] } })).toBe("ResourceNotFound");
    expect(await refused("ReplaceSecurityGroupPolicy", { SecurityGroupId: mine, SecurityGroupPolicySet: { Ingress: [{ ...tcp("23"), PolicyIndex: 0 }] } })).toBe("ResourceNotFound");
    expect(await refused("ReplaceSecurityGroupPolicies", { SecurityGroupId: mine, SecurityGroupPolicySet: { Ingress: [{ ...tcp("23"), PolicyIndex: 0 }] } })).toBe("ResourceNotFound");
    expect(await refused("ModifySecurityGroupPolicies", { SecurityGroupId: mine, SecurityGroupPolicySet: { Version: "0" } })).toBe("ResourceNotFound");
    expect(await refused("DeleteSecurityGroup", { SecurityGroupId: mine })).toBe("InvalidSecurityGroupID.NotFound");
    expect(await refused("DescribeSecurityGroupAssociationStatistics", { SecurityGroupIds: [mine] })).toBe("ResourceNotFound");
    // Nor name it as a rule's peer, nor put an instance in it.
    expect(await refused("CreateSecurityGroupPolicies", { SecurityGroupId: theirs, SecurityGroupPolicySet: { Ingress: [{ Protocol: "ALL", SecurityGroupId: mine, Action: "ACCEPT" }] } })).toBe("ResourceNotFound");
    expect((await sdkError(launch(otherCvm, { SecurityGroupIds: [mine] }))).code).toBe("InvalidSecurityGroupId.NotFound");
    const [ins] = (await launch(otherCvm, { SecurityGroupIds: [theirs] })).InstanceIdSet!;
    await waitFor(otherCvm, [ins], "RUNNING");
    expect((await sdkError(otherCvm.AssociateSecurityGroups({ SecurityGroupIds: [mine], InstanceIds: [ins] }))).code).toBe("InvalidSecurityGroupId.NotFound");
    expect((await sdkError(otherCvm.ModifyInstancesAttribute({ InstanceIds: [ins], SecurityGroups: [mine] }))).code).toBe("InvalidSecurityGroupId.NotFound");
    // And mine is as it was.
    expect(await rules(mine)).toMatchObject({ Version: "1", Ingress: [{ Port: "22" }] });
    expect((await call("DescribeSecurityGroupAssociationStatistics", { SecurityGroupIds: [mine] })).SecurityGroupAssociationStatisticsSet[0].CVM).toBe(0);
  });
});
