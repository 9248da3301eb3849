// InquiryPriceRunInstances for launches placed on dedicated hosts or into an HPC cluster, through the official SDK:
// placed as RunInstances would place them (the caller's hosts, running, in the zone, made for the family; the
// caller's cluster in the zone, for an HPC type), an instance on a host quotes no compute of its own (the host is
// billed) but its bandwidth, and an HPC instance quotes its type's price. Figures come from the default catalog's
// price table, worked out here.
import { describe as group, expect, it } from "vitest";
import { defaultCatalogData } from "../../src/catalog/index.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { UBUNTU, ZONE } from "../helpers/instances.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";
import { generateKeyPair } from "../../src/keys.js";

const table = defaultCatalogData().prices["ap-guangzhou"];
const cents = (x: number) => Math.round(x * 100 + 1e-7) / 100;
const HPC_ZONE = "ap-guangzhou-6";
const HPC_TYPE = "HCCIC5.24XLARGE384";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
}, { OPENCVM_TIMING: "instant" });
everyRefusalDocumented(() => [server.logs], (action) => action === "InquiryPriceRunInstances");

const bandwidth = { InternetAccessible: { InternetChargeType: "BANDWIDTH_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 5 } };

group("InquiryPriceRunInstances, placed", () => {
  it("quotes an instance on a dedicated host no compute of its own, only its bandwidth", async () => {
    const [host] = (await cvm.AllocateHosts({ Placement: { Zone: ZONE }, HostType: "HS1", HostChargePrepaid: { Period: 1 } })).HostIdSet!;
    const onHost = { Placement: { Zone: ZONE, HostIds: [host] }, InstanceChargeType: "CDHPAID", ImageId: UBUNTU, InstanceType: "S5.MEDIUM4", InstanceCount: 2 };
    const { Price } = await cvm.InquiryPriceRunInstances({ ...onHost, ...bandwidth });
    expect(Price!.InstancePrice).toMatchObject({ UnitPrice: 0, ChargeUnit: "HOUR", UnitPriceDiscount: 0 });
    // The same bandwidth as a pay-as-you-go launch's, for both instances.
    const plain = await cvm.InquiryPriceRunInstances({ Placement: { Zone: ZONE }, ImageId: UBUNTU, InstanceType: "S5.MEDIUM4", InstanceCount: 2, ...bandwidth });
    expect(Price!.BandwidthPrice).toEqual(plain.Price!.BandwidthPrice);
    expect(Price!.BandwidthPrice!.UnitPrice).toBeGreaterThan(0);

    // Refused where RunInstances refuses: another family, hosts without CDHPAID, a host not the caller's.
    expect((await sdkError(cvm.InquiryPriceRunInstances({ ...onHost, InstanceType: "SA2.MEDIUM4" }))).code).toBe("InvalidParameter.HostIdInstanceTypeNotSupport");
    expect((await sdkError(cvm.InquiryPriceRunInstances({ ...onHost, InstanceChargeType: "POSTPAID_BY_HOUR" }))).code).toBe("InvalidParameterCombination");
    expect((await sdkError(cvm.InquiryPriceRunInstances({ ...onHost, Placement: { Zone: ZONE, HostIds: ["host-00000000"] } }))).code).toBe("InvalidHostId.NotFound");
    const secret = generateKeyPair();
    await server.store.accounts.create(secret);
    const other = cvmClient(server, { ...secret, language: "en-US" });
    const foreign = await sdkError(other.InquiryPriceRunInstances(onHost));
    const none = await sdkError(other.InquiryPriceRunInstances({ ...onHost, Placement: { Zone: ZONE, HostIds: ["host-00000000"] } }));
    expect(foreign.code).toBe("InvalidHostId.NotFound");
    expect(foreign.message.replace(host, "host-00000000")).toBe(none.message);
  });

  it("quotes an HPC instance its type's price, in the caller's cluster of its zone", async () => {
    const [cluster] = (await cvm.CreateHpcCluster({ Zone: HPC_ZONE, Name: "quote" })).HpcClusterSet!;
    const id = cluster.HpcClusterId!;
    const hpc = { Placement: { Zone: HPC_ZONE }, ImageId: UBUNTU, InstanceType: HPC_TYPE, HpcClusterId: id, SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskSize: 50 } };
    const { Price } = await cvm.InquiryPriceRunInstances(hpc);
    const hour = table.instanceTypes[HPC_TYPE].POSTPAID_BY_HOUR! + 50 * table.disks.CLOUD_PREMIUM.perGiBHour;
    expect(Price!.InstancePrice).toMatchObject({ UnitPrice: cents(hour), ChargeUnit: "HOUR" });
    // Nothing is placed by a quote: the cluster is still empty.
    expect((await cvm.DescribeHpcClusters({ HpcClusterIds: [id] })).HpcClusterSet![0].CurrentNum).toBe(0);

    expect((await sdkError(cvm.InquiryPriceRunInstances({ ...hpc, HpcClusterId: undefined }))).code).toBe("InvalidParameterValue.InstanceTypeRequiredHpcCluster");
    expect((await sdkError(cvm.InquiryPriceRunInstances({ ...hpc, InstanceType: "S5.MEDIUM4" }))).code).toBe("InvalidParameterValue.InstanceTypeNotSupportHpcCluster");
    expect((await sdkError(cvm.InquiryPriceRunInstances({ ...hpc, HpcClusterId: "hpc-00000000" }))).code).toBe("ResourceNotFound.HpcCluster");
  });
});
