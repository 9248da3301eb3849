// HPC clusters through the official SDK: made per zone, launched into by the HPC families only (which launch nowhere
// else), each member with its own RDMA address, listed with their members, and not deleted while they have any.
import { describe, expect, it } from "vitest";
import { describe as describeInstances, launch, waitFor, waitGone } from "../helpers/instances.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;

serverForFile((started) => {
  server = started;
  cvm = cvmClient(server);
}, { OPENCVM_TIMING: "instant" });

const HPC_ZONE = "ap-guangzhou-6";
const HPC_TYPE = "HCCIC5.24XLARGE384";
const intoCluster = (id: string, extra: Parameters<typeof launch>[1] = {}) => launch(cvm, { Placement: { Zone: HPC_ZONE }, InstanceType: HPC_TYPE, HpcClusterId: id, ...extra });

describe("HPC clusters", () => {
  it("take instances of the HPC families, each with an RDMA address, and cannot be deleted while they hold any", async () => {
    const { HpcClusterSet } = await cvm.CreateHpcCluster({ Zone: HPC_ZONE, Name: "mpi", Remark: "solver", TagSpecification: [{ ResourceType: "hpc", Tags: [{ Key: "lab", Value: "cfd" }] }] });
    const [created] = HpcClusterSet!;
    expect(created).toMatchObject({ Name: "mpi", Remark: "solver", Zone: HPC_ZONE, CurrentNum: 0, InstanceIds: [], HpcClusterType: "STANDARD", Tags: [{ Key: "lab", Value: "cfd" }] });
    const id = created.HpcClusterId!;
    expect(id).toMatch(/^hpc-[a-z0-9]{8}$/);

    const ids = (await intoCluster(id, { InstanceCount: 2 })).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    const instances = await describeInstances(cvm, ids);
    for (const i of instances) {
      expect(i.HpcClusterId).toBe(id);
      expect(i.RdmaIpAddresses).toHaveLength(1);
    }
    expect(new Set(instances.map((i) => i.RdmaIpAddresses![0])).size).toBe(2);

    const listed = (await cvm.DescribeHpcClusters({ HpcClusterIds: [id] })).HpcClusterSet![0];
    expect(listed.CurrentNum).toBe(2);
    expect([...listed.InstanceIds!].sort()).toEqual([...ids].sort());
    expect((await cvm.DescribeHpcClusters({ InstanceType: HPC_TYPE })).HpcClusterSet!.map((c) => c.HpcClusterId)).toContain(id);
    expect((await cvm.DescribeHpcClusters({ Filters: [{ Name: "tag:lab", Values: ["cfd"] }] })).TotalCount).toBeGreaterThanOrEqual(1);

    const inUse = await sdkError(cvm.DeleteHpcClusters({ HpcClusterIds: [id] }));
    expect(inUse.code).toBe("ResourceInUse.HpcCluster");
    expect(inUse.message).toContain(ids[0]);
    await cvm.ModifyHpcClusterAttribute({ HpcClusterId: id, Name: "mpi-2" });
    expect((await cvm.DescribeHpcClusters({ Name: "mpi-2" })).HpcClusterSet!.map((c) => c.HpcClusterId)).toEqual([id]);

    await cvm.TerminateInstances({ InstanceIds: ids });
    await waitGone(cvm, ids);
    await cvm.DeleteHpcClusters({ HpcClusterIds: [id] });
    expect((await cvm.DescribeHpcClusters({ HpcClusterIds: [id] })).TotalCount).toBe(0);
  });

  it("refuse what the API refuses", async () => {
    const id = (await cvm.CreateHpcCluster({ Zone: HPC_ZONE, Name: "refusals" })).HpcClusterSet![0].HpcClusterId!;
    expect((await sdkError(intoCluster(id, { InstanceType: "S5.MEDIUM4" }))).code).toBe("InvalidParameterValue.InstanceTypeNotSupportHpcCluster");
    expect((await sdkError(launch(cvm, { Placement: { Zone: HPC_ZONE }, InstanceType: HPC_TYPE }))).code).toBe("InvalidParameterValue.InstanceTypeRequiredHpcCluster");
    expect((await sdkError(intoCluster("hpc-00000000"))).code).toBe("ResourceNotFound.HpcCluster");
    const elsewhere = (await cvm.CreateHpcCluster({ Zone: HPC_ZONE, Name: "zone" })).HpcClusterSet![0].HpcClusterId!;
    expect((await sdkError(launch(cvm, { Placement: { Zone: "ap-guangzhou-7" }, InstanceType: HPC_TYPE, HpcClusterId: elsewhere }))).code).toBe("InvalidParameterValue.HpcClusterIdZoneIdNotMatch");
    expect((await sdkError(cvm.CreateHpcCluster({ Zone: "ap-guangzhou-3", Name: "no hpc here" }))).code).toBe("UnsupportedOperation.InvalidZone");
    expect((await sdkError(cvm.CreateHpcCluster({ Zone: "ap-shanghai-5", Name: "x" }))).code).toBe("InvalidZone.MismatchRegion");
    expect((await sdkError(cvm.CreateHpcCluster({ Zone: HPC_ZONE, Name: "" }))).code).toBe("InvalidParameterValue");
    expect((await sdkError(cvm.DeleteHpcClusters({ HpcClusterIds: ["hpc-00000000"] }))).code).toBe("ResourceNotFound.HpcCluster");
    expect((await sdkError(cvm.ModifyHpcClusterAttribute({ HpcClusterId: "hpc-00000000", Name: "x" }))).code).toBe("ResourceNotFound.HpcCluster");
    // Another account sees none of them.
    await server.store.accounts.create({ secretId: "AKIDotherHPC00000000000000000000000", secretKey: "otherHpcSecretKey000000000000000" });
    const theirs = cvmClient(server, { secretId: "AKIDotherHPC00000000000000000000000", secretKey: "otherHpcSecretKey000000000000000" });
    expect((await theirs.DescribeHpcClusters({})).TotalCount).toBe(0);
    expect((await sdkError(theirs.DeleteHpcClusters({ HpcClusterIds: [id] }))).code).toBe("ResourceNotFound.HpcCluster");
  });
});
