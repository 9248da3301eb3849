// ConvertOperatingSystems through the official SDK: running CentOS 7 instances become TencentOS Server 2.4, a dry
// run names the targets, and every other system, state or target is refused with its documented code.
import { describe as group, expect, it } from "vitest";
import type { Client } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_client.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { describe, launch, waitFor } from "../helpers/instances.js";
import { serverForFile } from "../helpers/file-server.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";

const CENTOS_7 = "img-l8og963d";
const WINDOWS = "img-9qrfy1xt";

let server: TestServer;
let cvm: Client;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
}, { OPENCVM_TIMING: "instant" });
everyRefusalDocumented(() => [server.logs], (action) => action === "ConvertOperatingSystems");

group("ConvertOperatingSystems", () => {
  it("converts running CentOS 7 instances to TencentOS Server 2.4, after a dry run that names the target", async () => {
    const ids = (await launch(cvm, { ImageId: CENTOS_7, InstanceCount: 2 })).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    const dry = await cvm.ConvertOperatingSystems({ InstanceIds: ids, DryRun: true });
    expect(dry.SupportTargetOSList).toEqual([{ TargetOSType: "TencentOS", TargetOSVersion: "2.4" }]);
    expect((await describe(cvm, ids)).map((i) => i.OsName)).toEqual(["CentOS 7.9 64bit", "CentOS 7.9 64bit"]);

    const done = await cvm.ConvertOperatingSystems({ InstanceIds: ids, TargetOSType: "TencentOS", MinimalConversion: true });
    expect(done.TaskId).toMatch(/^[0-9a-f-]{36}$/);
    for (const i of await describe(cvm, ids)) {
      expect(i).toMatchObject({ OsName: "TencentOS Server 2.4 (TK4)", ImageId: CENTOS_7, LatestOperation: "ConvertOperatingSystems", LatestOperationState: "SUCCESS" });
    }
    // Converted already: TencentOS is not a source.
    expect((await sdkError(cvm.ConvertOperatingSystems({ InstanceIds: [ids[0]] }))).code).toBe("UnsupportedOperation.InstanceOsConvertOsNotSupport");
  });

  it("refuses other systems, a stopped instance and other targets, changing nothing", async () => {
    const [ubuntu] = (await launch(cvm)).InstanceIdSet!;
    const [windows] = (await launch(cvm, { ImageId: WINDOWS })).InstanceIdSet!;
    const [centos] = (await launch(cvm, { ImageId: CENTOS_7 })).InstanceIdSet!;
    await waitFor(cvm, [ubuntu, windows, centos], "RUNNING");
    expect((await sdkError(cvm.ConvertOperatingSystems({ InstanceIds: [centos, ubuntu] }))).code).toBe("UnsupportedOperation.InstanceOsConvertOsNotSupport");
    expect((await sdkError(cvm.ConvertOperatingSystems({ InstanceIds: [windows] }))).code).toBe("UnsupportedOperation.InstanceOsWindows");
    expect((await sdkError(cvm.ConvertOperatingSystems({ InstanceIds: [centos], TargetOSType: "OpenCloudOS" }))).code).toBe("InvalidParameter.InvalidTargetOSType");
    await cvm.StopInstances({ InstanceIds: [centos] });
    await waitFor(cvm, [centos], "STOPPED");
    expect((await sdkError(cvm.ConvertOperatingSystems({ InstanceIds: [centos] }))).code).toBe("UnsupportedOperation.InstanceStateNotRunning");
    expect((await describe(cvm, [centos]))[0].OsName).toBe("CentOS 7.9 64bit");
  });
});
