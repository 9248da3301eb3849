// The tag service over the kinds that keep tags beside instances, key pairs and networks: cloud disks (volume),
// snapshots, dedicated hosts, HPC clusters, launch templates and placement groups (ps). Tags the tag service sets are
// what each kind's Describe action shows and filters on, and tags its own create action set are what the tag
// service reads.
import { describe, expect, it } from "vitest";
import { UBUNTU, ZONE } from "../helpers/instances.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { commonClient, cvmClient, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";
import { readTags } from "../terraform/provider.js";

let server: TestServer;
serverForFile((started) => (server = started), { OPENCVM_TIMING: "instant" });
everyRefusalDocumented(() => [server.logs], () => true);

const REGION = "ap-guangzhou";
/** A zone of the built-in catalog that sells HPC cluster types. */
const HPC_ZONE = "ap-guangzhou-6";
const tag = () => commonClient(server, "2018-08-13", { host: "tag.opencvm.test" });
const cbs = () => commonClient(server, "2017-03-12", { host: "cbs.opencvm.test" });
const cvm = () => cvmClient(server, { host: "cvm.opencvm.test" });
const name = (prefix: string, id: string, uin = "") => `qcs::cvm:${REGION}:uin/${uin}:${prefix}/${id}`;

interface Kind {
  prefix: string;
  make: () => Promise<string>;
  /** The ids the kind's Describe action answers for a filter on tag key `key` (and value `value`). */
  filtered: (key: string, value: string) => Promise<string[]>;
}

async function dataDisk(): Promise<string> {
  return (await cbs().request("CreateDisks", { Placement: { Zone: ZONE }, DiskChargeType: "POSTPAID_BY_HOUR", DiskType: "CLOUD_PREMIUM", DiskSize: 20 })).DiskIdSet[0];
}

let n = 0;
const KINDS: Kind[] = [
  {
    prefix: "volume",
    make: dataDisk,
    filtered: async (k, v) => (await cbs().request("DescribeDisks", { Filters: [{ Name: `tag:${k}`, Values: [v] }] })).DiskSet.map((d: { DiskId: string }) => d.DiskId),
  },
  {
    prefix: "snapshot",
    make: async () => (await cbs().request("CreateSnapshot", { DiskId: await dataDisk(), SnapshotName: `s-${n++}` })).SnapshotId,
    filtered: async (k, v) => (await cbs().request("DescribeSnapshots", { Filters: [{ Name: `tag:${k}`, Values: [v] }] })).SnapshotSet.map((s: { SnapshotId: string }) => s.SnapshotId),
  },
  {
    prefix: "host",
    make: async () => (await cvm().AllocateHosts({ Placement: { Zone: ZONE }, HostType: "HS1", HostChargePrepaid: { Period: 1 } })).HostIdSet![0],
    filtered: async (k, v) => (await cvm().DescribeHosts({ Filters: [{ Name: `tag:${k}`, Values: [v] }] })).HostSet!.map((h) => h.HostId!),
  },
  {
    prefix: "hpc",
    make: async () => (await cvm().CreateHpcCluster({ Zone: HPC_ZONE, Name: `hpc-${n++}` })).HpcClusterSet![0].HpcClusterId!,
    filtered: async (k, v) => (await cvm().DescribeHpcClusters({ Filters: [{ Name: `tag:${k}`, Values: [v] }] } as never)).HpcClusterSet!.map((c) => c.HpcClusterId!),
  },
  {
    prefix: "launch-template",
    make: async () => (await cvm().CreateLaunchTemplate({ LaunchTemplateName: `lt-${n++}`, Placement: { Zone: ZONE }, ImageId: UBUNTU, InstanceType: "S5.MEDIUM4" })).LaunchTemplateId!,
    // DescribeLaunchTemplates filters on names only: the tag service's own listing stands for it.
    filtered: async (k, v) =>
      (await tag().request("GetResources", { TagFilters: [{ TagKey: k, TagValue: [v] }] })).ResourceTagMappingList.flatMap((r: { Resource: string }) => {
        const [prefix, id] = r.Resource.split(":").pop()!.split("/");
        return prefix === "launch-template" ? [id] : [];
      }),
  },
  {
    prefix: "ps",
    make: async () => (await cvm().CreateDisasterRecoverGroup({ Name: `ps-${n++}`, Type: "HOST" })).DisasterRecoverGroupId!,
    filtered: async (k, v) => (await cvm().DescribeDisasterRecoverGroups({ Filters: [{ Name: `tag:${k}`, Values: [v] }] } as never)).DisasterRecoverGroupSet!.map((g) => g.DisasterRecoverGroupId!),
  },
];

describe("tags of disks, snapshots, hosts, HPC clusters, launch templates and placement groups", () => {
  for (const kind of KINDS) {
    it(`tags and untags a ${kind.prefix} through the tag service, which its Describe action follows`, async () => {
      const id = await kind.make();
      const resource = name(kind.prefix, id);
      expect(await readTags(tag(), "cvm", kind.prefix, id)).toEqual({});

      const tagged = await tag().request("TagResources", { ResourceList: [resource], Tags: [{ TagKey: "kind", TagValue: kind.prefix }] });
      expect(tagged.FailedResources).toEqual([]);
      expect(await readTags(tag(), "cvm", kind.prefix, id)).toEqual({ kind: kind.prefix });
      expect(await kind.filtered("kind", kind.prefix)).toEqual([id]);
      const listed = await tag().request("GetResources", { ResourceList: [resource] });
      expect(listed.ResourceTagMappingList).toEqual([{ Resource: name(kind.prefix, id, server.defaultAccount.account.uin), Tags: [{ TagKey: "kind", TagValue: kind.prefix, Category: "Custom" }] }]);

      await tag().request("ModifyResourceTags", { Resource: resource, ReplaceTags: [{ TagKey: "owner", TagValue: "ops" }] });
      expect(await readTags(tag(), "cvm", kind.prefix, id)).toEqual({ kind: kind.prefix, owner: "ops" });
      await tag().request("UnTagResources", { ResourceList: [resource], TagKeys: ["kind"] });
      expect(await kind.filtered("kind", kind.prefix)).toEqual([]);
      expect(await kind.filtered("owner", "ops")).toContain(id);
    });
  }

  it("reads the tags a kind's own create action set, and reports one it does not have", async () => {
    const { HostIdSet } = await cvm().AllocateHosts({ Placement: { Zone: ZONE }, HostType: "HS1", HostChargePrepaid: { Period: 1 }, TagSpecification: [{ ResourceType: "host", Tags: [{ Key: "team", Value: "hpc" }] }] });
    expect(await readTags(tag(), "cvm", "host", HostIdSet![0])).toEqual({ team: "hpc" });
    const ps = (await cvm().CreateDisasterRecoverGroup({ Name: "tagged", Type: "HOST", TagSpecification: [{ ResourceType: "ps", Tags: [{ Key: "team", Value: "web" }] }] } as never)).DisasterRecoverGroupId!;
    expect(await readTags(tag(), "cvm", "ps", ps)).toEqual({ team: "web" });
    const missing = name("volume", "disk-00000000");
    const out = await tag().request("TagResources", { ResourceList: [name("ps", ps), missing], Tags: [{ TagKey: "k", TagValue: "v" }] });
    expect(out.FailedResources).toEqual([{ Resource: missing, Code: "ResourceNotFound", Message: expect.stringContaining(missing) }]);
  });
});
