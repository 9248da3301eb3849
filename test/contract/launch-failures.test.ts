// A failed launch (LAUNCH_FAILED) holds no purchase quota and no address, and leaves the listings once its
// retention (docs/lifecycle.md) has passed on the service clock; TerminateInstances still refuses it, as documented.
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import type { MachineSpec } from "../../src/compute/backend.js";
import { BackendError } from "../../src/compute/backend.js";
import { SimulatedBackend } from "../../src/compute/simulated.js";
import { LAUNCH_FAILED_RETENTION_MS } from "../../src/domain/lifecycle.js";
import { describe, launch, waitFor, ZONE } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

/** Instant machines whose next launches fail while `failing` is set, as a host that cannot place them. */
class FailingLaunches extends SimulatedBackend {
  failing = false;
  constructor() {
    super("instant");
  }
  override async create(spec: MachineSpec): Promise<void> {
    if (this.failing) throw new BackendError("no host could take the machine");
    return super.create(spec);
  }
}

const backend = new FailingLaunches();
let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
beforeAll(async () => {
  server = await startServer({}, undefined, backend, { quotas: "default" });
  cvm = cvmClient(server);
});
afterAll(() => server.close());

const used = async () => (await cvm.DescribeAccountQuota({ Filters: [{ Name: "zone", Values: [ZONE] }] })).AccountQuotaOverview!.AccountQuota!.PostPaidQuotaSet![0].UsedQuota;

group("a failed launch", () => {
  it("holds no quota and no address, and is still refused by TerminateInstances", async () => {
    const vpc = commonClient(server, "2017-03-12");
    const VpcId = (await vpc.request("CreateVpc", { VpcName: "failures", CidrBlock: "10.80.0.0/16" })).Vpc.VpcId;
    const SubnetId = (await vpc.request("CreateSubnet", { VpcId, SubnetName: "failures", CidrBlock: "10.80.0.0/24", Zone: ZONE })).Subnet.SubnetId;
    const network = { VirtualPrivateCloud: { VpcId, SubnetId, PrivateIpAddresses: ["10.80.0.10"] }, InternetAccessible: { InternetMaxBandwidthOut: 5, PublicIpAssigned: true } };
    const before = await used();

    backend.failing = true;
    const [failed] = (await launch(cvm, network)).InstanceIdSet!;
    const [f] = await waitFor(cvm, [failed], "LAUNCH_FAILED");
    expect(f).toMatchObject({ LatestOperationState: "FAILED", PrivateIpAddresses: [], PublicIpAddresses: null });
    expect(await used()).toBe(before);
    expect((await sdkError(cvm.TerminateInstances({ InstanceIds: [failed] }))).code).toBe("UnsupportedOperation.InstanceStateLaunchFailed");

    // Its private address is free again: a launch that asks for it gets it.
    backend.failing = false;
    const [ok] = (await launch(cvm, network)).InstanceIdSet!;
    const [o] = await waitFor(cvm, [ok], "RUNNING");
    expect(o.PrivateIpAddresses).toEqual(["10.80.0.10"]);
    expect(await used()).toBe(before! + 1);
  });

  it("leaves the listings once its retention has passed on the service clock", async () => {
    backend.failing = true;
    const [failed] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [failed], "LAUNCH_FAILED");
    backend.failing = false;
    await server.timekeeper.advance(LAUNCH_FAILED_RETENTION_MS - 60_000);
    expect(await describe(cvm, [failed])).toHaveLength(1);
    await server.timekeeper.advance(120_000);
    expect(await describe(cvm, [failed])).toHaveLength(0);
    // Hidden, not yet deleted: the kept counts (a full page of one is counted by them) take it off.
    for (const Filters of [[], [{ Name: "zone", Values: [ZONE] }]]) {
      const listed = (await cvm.DescribeInstances({ Filters, Limit: 100 })).InstanceSet!.length;
      expect(listed).toBeGreaterThan(0);
      expect((await cvm.DescribeInstances({ Filters, Limit: 1 })).TotalCount).toBe(listed);
    }
    expect((await cvm.DescribeInstances({ Filters: [{ Name: "instance-state", Values: ["LAUNCH_FAILED"] }] })).InstanceSet!.map((i) => i.InstanceId)).not.toContain(failed);
    expect((await sdkError(cvm.TerminateInstances({ InstanceIds: [failed] }))).code).toBe("InvalidInstanceId.NotFound");
    // The row itself is deleted by the next pass of the reconciler.
    await server.engine.reconcile();
    expect(await server.store.instances.get(failed)).toBeUndefined();
  });
});
