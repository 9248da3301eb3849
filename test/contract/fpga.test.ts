// ProgramFpgaImage through the official SDK: an FPGA type (a catalog file's, the built-in catalog sells none) takes
// an image from COS on all its cards or those named, online; any other instance is refused as documented.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import type { Client } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_client.js";
import { DEFAULT_CATALOG } from "../../src/catalog/index.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { describe, launch, waitFor, ZONE } from "../helpers/instances.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

const FPGA_TYPE = "FX4.4XLARGE64";
const IMAGE = "https://fpga-1250000000.cos.ap-guangzhou.myqcloud.com/images/accel.bin";

/** The built-in catalog with an FPGA type of two cards sold in ZONE. */
function fpgaCatalog(): string {
  const doc = structuredClone(DEFAULT_CATALOG) as unknown as { instanceFamilies: object[]; instanceTypes: object[]; prices: Record<string, { instanceTypes: Record<string, object> }> };
  doc.instanceFamilies.push({ family: "FX4", name: "FPGA FX4" });
  doc.instanceTypes.push({ instanceType: FPGA_TYPE, family: "FX4", cpu: 16, memory: 64, fpga: 2, zones: { [ZONE]: "SELL" } });
  doc.prices["ap-guangzhou"].instanceTypes[FPGA_TYPE] = { POSTPAID_BY_HOUR: 12.5 };
  const file = join(mkdtempSync(join(tmpdir(), "opencvm-fpga-")), "catalog.json");
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

let server: TestServer;
let cvm: Client;
beforeAll(async () => {
  server = await startServer({ OPENCVM_TIMING: "instant", OPENCVM_CATALOG: fpgaCatalog() });
  cvm = cvmClient(server, { language: "en-US" });
});
afterAll(() => server.close());
everyRefusalDocumented(() => [server.logs], (action) => action === "ProgramFpgaImage");

group("ProgramFpgaImage", () => {
  it("programs every card of a running FPGA instance, or the cards named, at once", async () => {
    const [id] = (await launch(cvm, { InstanceType: FPGA_TYPE })).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    const done = await cvm.ProgramFpgaImage({ InstanceId: id, FPGAUrl: IMAGE });
    expect((await describe(cvm, [id]))[0]).toMatchObject({ LatestOperation: "ProgramFpgaImage", LatestOperationState: "SUCCESS", LatestOperationRequestId: done.RequestId });
    const [stored] = await server.store.instances.find(server.defaultAccount.account.appId, "ap-guangzhou", [id]);
    expect(stored.doc.FpgaImages).toEqual({ "0000:00:08.0": IMAGE, "0000:00:09.0": IMAGE });

    const other = IMAGE.replace("accel", "other");
    await cvm.ProgramFpgaImage({ InstanceId: id, FPGAUrl: other, DBDFs: ["0000:00:09.0"] });
    const [after] = await server.store.instances.find(server.defaultAccount.account.appId, "ap-guangzhou", [id]);
    expect(after.doc.FpgaImages).toEqual({ "0000:00:08.0": IMAGE, "0000:00:09.0": other });
    // A dry run checks and changes nothing.
    await cvm.ProgramFpgaImage({ InstanceId: id, FPGAUrl: IMAGE, DBDFs: ["0000:00:09.0"], DryRun: true });
    expect((await server.store.instances.find(server.defaultAccount.account.appId, "ap-guangzhou", [id]))[0].doc.FpgaImages!["0000:00:09.0"]).toBe(other);
  });

  it("refuses an instance without FPGA, a stopped one, a URL not of COS and cards the instance lacks", async () => {
    const [plain] = (await launch(cvm)).InstanceIdSet!;
    const [fpga] = (await launch(cvm, { InstanceType: FPGA_TYPE })).InstanceIdSet!;
    await waitFor(cvm, [plain, fpga], "RUNNING");
    expect((await sdkError(cvm.ProgramFpgaImage({ InstanceId: plain, FPGAUrl: IMAGE }))).code).toBe("UnsupportedOperation.NotFpgaInstance");
    expect((await sdkError(cvm.ProgramFpgaImage({ InstanceId: fpga, FPGAUrl: "http://example.com/a.bin" }))).code).toBe("InvalidParameterValue.IncorrectFormat");
    expect((await sdkError(cvm.ProgramFpgaImage({ InstanceId: fpga, FPGAUrl: IMAGE, DBDFs: ["0000:00:0a.0"] }))).code).toBe("InvalidParameterValue.IncorrectFormat");
    expect((await sdkError(cvm.ProgramFpgaImage({ InstanceId: fpga, FPGAUrl: IMAGE, DBDFs: ["0000:00:08.0", "0000:00:09.0", "0000:00:0a.0"] }))).code).toBe("InvalidParameterValue.LimitExceeded");
    await cvm.StopInstances({ InstanceIds: [fpga] });
    await waitFor(cvm, [fpga], "STOPPED");
    expect((await sdkError(cvm.ProgramFpgaImage({ InstanceId: fpga, FPGAUrl: IMAGE }))).code).toBe("UnsupportedOperation");
    expect((await sdkError(cvm.ProgramFpgaImage({ InstanceId: "ins-00000000", FPGAUrl: IMAGE }))).code).toBe("InvalidInstanceId.NotFound");
  });
});
