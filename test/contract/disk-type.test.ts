// ModifyInstanceDiskType through the official SDK, on the private cloud of docs/catalog.md (its A1 type has a local
// NVMe data disk): a stopped instance's local disk becomes a cloud disk of its size, billed as one from then on;
// everything else is refused as documented, changing nothing.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import type { Client } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_client.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { exampleCatalog } from "../helpers/example-catalog.js";
import { describe, UBUNTU, waitFor } from "../helpers/instances.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

const ZONE = "dc-hangzhou-2";
const LOCAL = { InstanceType: "A1.2XLARGE64", DataDisks: [{ DiskType: "LOCAL_NVME", DiskSize: 200 }] };

let server: TestServer;
let cvm: Client;
beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), "opencvm-disk-type-")), "catalog.json");
  writeFileSync(file, exampleCatalog());
  server = await startServer({ OPENCVM_TIMING: "instant", OPENCVM_CATALOG: file });
  cvm = cvmClient(server, { region: "dc-hangzhou", language: "en-US" });
});
afterAll(() => server.close());
everyRefusalDocumented(() => [server.logs], (action) => action === "ModifyInstanceDiskType");

async function stoppedInstance(extra: object = LOCAL): Promise<string> {
  const [id] = (await cvm.RunInstances({ Placement: { Zone: ZONE }, ImageId: UBUNTU, ...extra })).InstanceIdSet!;
  await waitFor(cvm, [id], "RUNNING");
  await cvm.StopInstances({ InstanceIds: [id] });
  await waitFor(cvm, [id], "STOPPED");
  return id;
}

/** The instance's open meters, as the store keeps them in step with its record. */
async function meters(id: string): Promise<string[]> {
  const appId = server.defaultAccount.account.appId;
  const all = await server.store.billing.accountMeters(appId, 0, Date.now() + 3_600_000, "", 1000);
  return all.filter((m) => m.resourceId === id && m.until === null).map((m) => `${m.component} ${m.rate} ${JSON.stringify(m.detail)}`).sort();
}

group("ModifyInstanceDiskType", () => {
  it("makes a stopped instance's local data disk a cloud disk of its size, and bills it as one", async () => {
    const id = await stoppedInstance();
    const before = await meters(id);
    await cvm.ModifyInstanceDiskType({ InstanceId: id, DataDisks: [{ DiskType: "CLOUD_SSD", DiskSize: 200 }] });
    const [i] = await describe(cvm, [id]);
    expect(i.DataDisks![0]).toMatchObject({ DiskType: "CLOUD_SSD", DiskSize: 200 });
    expect(i).toMatchObject({ LatestOperation: "ModifyInstanceDiskType", LatestOperationState: "SUCCESS", InstanceState: "STOPPED" });
    expect(await meters(id)).not.toEqual(before);
  });

  it("refuses a running instance, one without local disks, a local or unsold target, changing nothing", async () => {
    const [running] = (await cvm.RunInstances({ Placement: { Zone: ZONE }, ImageId: UBUNTU, ...LOCAL })).InstanceIdSet!;
    await waitFor(cvm, [running], "RUNNING");
    expect((await sdkError(cvm.ModifyInstanceDiskType({ InstanceId: running, DataDisks: [{ DiskType: "CLOUD_SSD", DiskSize: 200 }] }))).code).toBe("UnsupportedOperation.InstanceStateRunning");
    const cloudOnly = await stoppedInstance({ InstanceType: "G1.SMALL2" });
    expect((await sdkError(cvm.ModifyInstanceDiskType({ InstanceId: cloudOnly, SystemDisk: { DiskType: "CLOUD_SSD" } }))).code).toBe("InvalidParameter.InvalidInstanceNotSupported");
    const id = await stoppedInstance();
    expect((await sdkError(cvm.ModifyInstanceDiskType({ InstanceId: id, DataDisks: [{ DiskType: "LOCAL_NVME", DiskSize: 200 }] }))).code).toBe("InvalidParameterValue");
    expect((await sdkError(cvm.ModifyInstanceDiskType({ InstanceId: id, DataDisks: [{ DiskType: "CLOUD_HSSD", DiskSize: 200 }] }))).code).toBe("InvalidParameterValue");
    expect((await sdkError(cvm.ModifyInstanceDiskType({ InstanceId: id, DataDisks: [{ DiskType: "CLOUD_SSD", DiskSize: 300 }] }))).code).toBe("InvalidParameterValue");
    expect((await sdkError(cvm.ModifyInstanceDiskType({ InstanceId: id }))).code).toBe("MissingParameter");
    expect((await describe(cvm, [id]))[0].DataDisks![0].DiskType).toBe("LOCAL_NVME");
  });
});
