// The tag service (tag 2018-08-13) over the tags the resources' own actions keep: what RunInstances, CreateVpc,
// CreateKeyPair... write, the tag service reads, and what the tag service writes, DescribeInstances and the other
// Describe actions show. Called at tag.opencvm.test, as Terraform calls it.
import { describe as group, expect, it } from "vitest";
import { generateKeyPair } from "../../src/keys.js";
import { describe, launch, waitFor, ZONE } from "../helpers/instances.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { commonClient, cvmClient, sdkError, type ClientOptions, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";
import { modifyTags, readTags } from "../terraform/provider.js";

let server: TestServer;
serverForFile((started) => (server = started), { OPENCVM_TIMING: "instant" });
everyRefusalDocumented(() => [server.logs], () => true);

const REGION = "ap-guangzhou";
const tagApi = (o: ClientOptions = {}) => commonClient(server, "2018-08-13", { host: "tag.opencvm.test", ...o });
const vpcApi = (o: ClientOptions = {}) => commonClient(server, "2017-03-12", { host: "vpc.opencvm.test", ...o });
const cvmApi = (o: ClientOptions = {}) => cvmClient(server, { host: "cvm.opencvm.test", ...o });

const providerTags = (service: string, prefix: string, id: string, o: ClientOptions = {}) => readTags(tagApi(o), service, prefix, id);
const modify = (resource: string, replace: Record<string, string>, remove: string[] = [], o: ClientOptions = {}) => modifyTags(tagApi(o), resource, replace, remove);

const name = (service: string, prefix: string, id: string, uin = "") => `qcs::${service}:${REGION}:uin/${uin}:${prefix}/${id}`;

async function runningInstance(tags: Record<string, string>): Promise<string> {
  const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const [id] = (await launch(cvmApi(), Tags.length ? { TagSpecification: [{ ResourceType: "instance", Tags }] } : {})).InstanceIdSet!;
  await waitFor(cvmApi(), [id], "RUNNING");
  return id;
}

group("one set of tags, two ways in", () => {
  it("reads and changes an instance's tags, which DescribeInstances shows and filters on", async () => {
    const id = await runningInstance({ team: "core", env: "dev" });
    expect(await providerTags("cvm", "instance", id)).toEqual({ team: "core", env: "dev" });
    await modify(name("cvm", "instance", id), { env: "prod", owner: "ops" }, ["team"]);
    const [instance] = await describe(cvmApi(), [id]);
    expect(Object.fromEntries(instance.Tags!.map((t) => [t.Key, t.Value]))).toEqual({ env: "prod", owner: "ops" });
    const filtered = await cvmApi().DescribeInstances({ Filters: [{ Name: "tag:owner", Values: ["ops"] }] });
    expect(filtered.InstanceSet!.map((i) => i.InstanceId)).toEqual([id]);
    expect(await providerTags("cvm", "instance", id)).toEqual({ env: "prod", owner: "ops" });
  });

  it("does the same for key pairs, security groups, VPCs, subnets and EIPs", async () => {
    const key = await cvmApi().CreateKeyPair({ KeyName: "tagged", ProjectId: 0, TagSpecification: [{ ResourceType: "keypair", Tags: [{ Key: "a", Value: "1" }] }] });
    const keyId = key.KeyPair!.KeyId!;
    const sg = (await vpcApi().request("CreateSecurityGroup", { GroupName: "web", GroupDescription: "web", Tags: [{ Key: "a", Value: "1" }] })).SecurityGroup.SecurityGroupId;
    const vpcId = (await vpcApi().request("CreateVpc", { VpcName: "net", CidrBlock: "10.0.0.0/16", Tags: [{ Key: "a", Value: "1" }] })).Vpc.VpcId;
    const subnetId = (await vpcApi().request("CreateSubnet", { VpcId: vpcId, SubnetName: "sub", CidrBlock: "10.0.1.0/24", Zone: ZONE, Tags: [{ Key: "a", Value: "1" }] })).Subnet.SubnetId;
    const [eip] = (await vpcApi().request("AllocateAddresses", { Tags: [{ Key: "a", Value: "1" }] })).AddressSet;
    const cases: [string, string, string][] = [
      ["cvm", "keypair", keyId],
      ["cvm", "sg", sg],
      ["vpc", "vpc", vpcId],
      ["vpc", "subnet", subnetId],
      ["vpc", "eip", eip],
    ];
    for (const [service, prefix, id] of cases) {
      expect(await providerTags(service, prefix, id), `${prefix} ${id}`).toEqual({ a: "1" });
      await modify(name(service, prefix, id), { b: "2" }, ["a"]);
      expect(await providerTags(service, prefix, id), `${prefix} ${id}`).toEqual({ b: "2" });
    }
    // Each resource's own Describe shows what the tag service wrote.
    const keys = await cvmApi().DescribeKeyPairs({ KeyIds: [keyId] });
    expect(keys.KeyPairSet![0].Tags).toEqual([{ Key: "b", Value: "2" }]);
    const groups = await vpcApi().request("DescribeSecurityGroups", { SecurityGroupIds: [sg] });
    expect(groups.SecurityGroupSet[0].TagSet).toEqual([{ Key: "b", Value: "2" }]);
    const vpcs = await vpcApi().request("DescribeVpcs", { VpcIds: [vpcId] });
    expect(vpcs.VpcSet[0].TagSet).toEqual([{ Key: "b", Value: "2" }]);
    const subnets = await vpcApi().request("DescribeSubnets", { SubnetIds: [subnetId] });
    expect(subnets.SubnetSet[0].TagSet).toEqual([{ Key: "b", Value: "2" }]);
    const addresses = await vpcApi().request("DescribeAddresses", { AddressIds: [eip] });
    expect(addresses.AddressSet[0].TagSet).toEqual([{ Key: "b", Value: "2" }]);
  });

  it("tags and untags several resources at once, reporting those it could not", async () => {
    const a = await runningInstance({});
    const vpcId = (await vpcApi().request("CreateVpc", { VpcName: "two", CidrBlock: "10.1.0.0/16" })).Vpc.VpcId;
    const missing = name("cvm", "instance", "ins-00000000");
    const bucket = "qcs::cos:ap-guangzhou:uid/:bucket/b-1";
    const tagged = await tagApi().request("TagResources", { ResourceList: [name("cvm", "instance", a), name("vpc", "vpc", vpcId), missing], Tags: [{ TagKey: "batch", TagValue: "x" }] });
    expect(tagged.FailedResources).toEqual([{ Resource: missing, Code: "ResourceNotFound", Message: expect.stringContaining(missing) }]);
    expect(await providerTags("cvm", "instance", a)).toEqual({ batch: "x" });
    expect(await providerTags("vpc", "vpc", vpcId)).toEqual({ batch: "x" });
    expect((await sdkError(tagApi().request("TagResources", { ResourceList: [bucket], Tags: [{ TagKey: "k", TagValue: "v" }] }))).code).toBe("InvalidParameterValue.ResourceDescriptionError");
    const untagged = await tagApi().request("UnTagResources", { ResourceList: [name("cvm", "instance", a), name("vpc", "vpc", vpcId)], TagKeys: ["batch"] });
    expect(untagged.FailedResources).toEqual([]);
    expect(await providerTags("vpc", "vpc", vpcId)).toEqual({});
  });

  it("lists tagged resources by tag filters, and the account's tags, keys and values, page by page", async () => {
    const ids = [await runningInstance({ tier: "web", lister: "yes" }), await runningInstance({ tier: "db", lister: "yes" })];
    const webs = await tagApi().request("GetResources", { TagFilters: [{ TagKey: "lister" }, { TagKey: "tier", TagValue: ["web"] }] });
    expect(webs.ResourceTagMappingList).toEqual([
      { Resource: name("cvm", "instance", ids[0], server.defaultAccount.account.uin), Tags: expect.arrayContaining([{ TagKey: "tier", TagValue: "web", Category: "Custom" }]) },
    ]);
    const named = await tagApi().request("GetResources", { ResourceList: [name("cvm", "instance", ids[1])] });
    expect(named.ResourceTagMappingList.map((r: { Resource: string }) => r.Resource)).toEqual([name("cvm", "instance", ids[1], server.defaultAccount.account.uin)]);
    // One page at a time: each token leads to the next page, the last page's token is empty.
    const seen: string[] = [];
    let token = "";
    do {
      const out = await tagApi().request("GetResources", { TagFilters: [{ TagKey: "lister" }], MaxResults: 1, PaginationToken: token });
      seen.push(...out.ResourceTagMappingList.map((r: { Resource: string }) => r.Resource.split("/").pop()));
      token = out.PaginationToken;
    } while (token);
    expect(seen).toEqual(ids);
    const values = await tagApi().request("GetTagValues", { TagKeys: ["tier"] });
    expect(values.Tags.map((t: { TagValue: string }) => t.TagValue)).toEqual(["db", "web"]);
    const keys = await tagApi().request("GetTagKeys", {});
    expect(keys.TagKeys).toEqual(expect.arrayContaining(["lister", "tier"]));
    const tags = await tagApi().request("GetTags", { TagKeys: ["tier"] });
    expect(tags.Tags).toHaveLength(2);
    const described = await tagApi().request("DescribeTagKeys", { Limit: 1000 });
    expect(described.Tags).toEqual(keys.TagKeys);
    const byKey = await tagApi().request("DescribeTags", { TagKey: "tier", TagValue: "db" });
    expect(byKey.Tags).toEqual([{ TagKey: "tier", TagValue: "db", CanDelete: 0, Category: "Custom" }]);
    expect((await sdkError(tagApi().request("GetTags", { PaginationToken: "not-a-token" }))).code).toBe("InvalidParameter.PaginationTokenInvalid");
  });
});

group("refusals and isolation", () => {
  it("refuses malformed names and tags, naming the field", async () => {
    const id = await runningInstance({});
    const resource = name("cvm", "instance", id);
    const cases: [object, string, string][] = [
      [{ Resource: "ins-1", ReplaceTags: [{ TagKey: "k", TagValue: "v" }] }, "InvalidParameterValue.ResourceDescriptionError", "Resource"],
      [{ Resource: resource, ReplaceTags: [{ TagKey: "", TagValue: "v" }] }, "InvalidParameterValue.TagKeyEmpty", "ReplaceTags.0.TagKey"],
      [{ Resource: resource, ReplaceTags: [{ TagKey: "qcloud:x", TagValue: "v" }] }, "InvalidParameter.ReservedTagKey", "ReplaceTags.0.TagKey"],
      [{ Resource: resource, ReplaceTags: [{ TagKey: "k".repeat(128), TagValue: "v" }] }, "InvalidParameterValue.TagKeyLengthExceeded", "ReplaceTags.0.TagKey"],
      [{ Resource: resource, ReplaceTags: [{ TagKey: "k", TagValue: "v".repeat(256) }] }, "InvalidParameterValue.TagValueLengthExceeded", "ReplaceTags.0.TagValue"],
      [{ Resource: resource, ReplaceTags: [{ TagKey: "k#", TagValue: "v" }] }, "InvalidParameterValue.TagKeyCharacterIllegal", "ReplaceTags.0.TagKey"],
      [{ Resource: resource, ReplaceTags: [{ TagKey: "k", TagValue: "v" }], DeleteTags: [{ TagKey: "k" }] }, "InvalidParameterValue.DeleteTagsParamError", "DeleteTags.0.TagKey"],
      [{ Resource: resource }, "MissingParameter", "ReplaceTags"],
      [{ Resource: name("cvm", "instance", "ins-00000000"), ReplaceTags: [{ TagKey: "k", TagValue: "v" }] }, "ResourceNotFound", "Resource"],
    ];
    for (const [params, code, field] of cases) {
      const e = await sdkError(tagApi({ language: "en-US" }).request("ModifyResourceTags", params));
      expect([e.code, e.message.includes(field)], JSON.stringify(params).slice(0, 120)).toEqual([code, true]);
    }
    expect(await providerTags("cvm", "instance", id)).toEqual({});
    const tooMany = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, "v"]));
    for (let round = 0; round < 5; round++) await modify(resource, Object.fromEntries(Object.keys(tooMany).map((k) => [`${k}-${round}`, "v"])));
    expect((await sdkError(modify(resource, { extra: "v" }))).code).toBe("LimitExceeded.ResourceAttachedTags");
    expect(Object.keys(await providerTags("cvm", "instance", id))).toHaveLength(50);
  });

  it("keeps one account's tags from another", async () => {
    const id = await runningInstance({ secret: "mine" });
    const key = generateKeyPair();
    const other = await server.store.accounts.create(key);
    const theirs: ClientOptions = { secretId: key.secretId, secretKey: key.secretKey };
    expect(await providerTags("cvm", "instance", id, theirs)).toEqual({});
    expect((await sdkError(modify(name("cvm", "instance", id), { k: "v" }, [], theirs))).code).toBe("ResourceNotFound");
    const mine = name("cvm", "instance", id, server.defaultAccount.account.uin);
    expect((await sdkError(modify(mine, { k: "v" }, [], theirs))).code).toBe("InvalidParameterValue.ResourceDescriptionError");
    const listed = await tagApi(theirs).request("GetResources", { ResourceList: [mine] });
    expect(listed.ResourceTagMappingList).toEqual([]);
    expect((await tagApi(theirs).request("GetTagKeys", {})).TagKeys).toEqual([]);
    expect((await tagApi(theirs).request("DescribeTagKeys", { CreateUin: Number(server.defaultAccount.account.uin) })).Tags).toEqual([]);
    expect(await providerTags("cvm", "instance", id)).toEqual({ secret: "mine" });
    expect(other.uin).not.toBe(server.defaultAccount.account.uin);
  });
});
