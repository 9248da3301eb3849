// Rescue mode through the official SDK: a running instance enters rescue mode (ENTER_RESCUE_MODE → RESCUE_MODE),
// refuses everything else there with the documented codes, and exits back to RUNNING (EXIT_RESCUE_MODE); the
// password is checked as the instance's platform requires and never shown.
import { describe as group, expect, it } from "vitest";
import type { Client } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_client.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { describe, launch, waitFor } from "../helpers/instances.js";
import { serverForFile } from "../helpers/file-server.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";

let server: TestServer;
let cvm: Client;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
}, { OPENCVM_TIMING: "instant" });
everyRefusalDocumented(() => [server.logs], (action) => /RescueMode|Instances/.test(action));

const PASSWORD = "Rescue-Passw0rd";

group("a rescue cycle", () => {
  it("enters rescue mode from RUNNING, refuses other actions there, and exits to RUNNING", async () => {
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    const entered = await cvm.EnterRescueMode({ InstanceId: id, Password: PASSWORD, StopType: "SOFT_FIRST" });
    const [rescued] = await waitFor(cvm, [id], "RESCUE_MODE");
    expect(rescued).toMatchObject({ LatestOperation: "EnterRescueMode", LatestOperationState: "SUCCESS", LatestOperationRequestId: entered.RequestId });
    expect(JSON.stringify(rescued)).not.toContain(PASSWORD);

    expect((await sdkError(cvm.StopInstances({ InstanceIds: [id] }))).code).toBe("UnsupportedOperation.InstanceStateRescueMode");
    expect((await sdkError(cvm.StartInstances({ InstanceIds: [id] }))).code).toBe("UnsupportedOperation.InstanceStateRescueMode");
    expect((await sdkError(cvm.EnterRescueMode({ InstanceId: id, Password: PASSWORD }))).code).toBe("UnsupportedOperation.InstanceStateRescueMode");

    await cvm.ExitRescueMode({ InstanceId: id });
    const [back] = await waitFor(cvm, [id], "RUNNING");
    expect(back).toMatchObject({ LatestOperation: "ExitRescueMode", LatestOperationState: "SUCCESS" });
    expect((await sdkError(cvm.ExitRescueMode({ InstanceId: id }))).code).toBe("UnsupportedOperation.InstanceStateRunning");
  });

  it("enters from STOPPED too, and shows the transitional state while it works", async () => {
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    await cvm.StopInstances({ InstanceIds: [id] });
    await waitFor(cvm, [id], "STOPPED");
    expect((await sdkError(cvm.ExitRescueMode({ InstanceId: id }))).code).toBe("UnsupportedOperation.InstanceStateStopped");
    await cvm.EnterRescueMode({ InstanceId: id, Password: PASSWORD, Username: "rescuer" });
    const [during] = await describe(cvm, [id]);
    expect(["ENTER_RESCUE_MODE", "RESCUE_MODE"]).toContain(during.InstanceState);
    await waitFor(cvm, [id], "RESCUE_MODE");
    await cvm.ExitRescueMode({ InstanceId: id });
    await waitFor(cvm, [id], "RUNNING");
  });

  it("refuses a weak password, a bad stop type and an instance that does not exist, changing nothing", async () => {
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    expect((await sdkError(cvm.EnterRescueMode({ InstanceId: id, Password: "short" }))).code).toBe("InvalidParameterValue.InvalidPassword");
    expect((await sdkError(cvm.EnterRescueMode({ InstanceId: id, Password: PASSWORD, StopType: "GENTLE" }))).code).toBe("InvalidParameterValue");
    expect((await sdkError(cvm.EnterRescueMode({ InstanceId: id, Password: PASSWORD, StopType: "HARD", ForceStop: true }))).code).toBe("InvalidParameter");
    expect((await sdkError(cvm.EnterRescueMode({ InstanceId: "ins-00000000", Password: PASSWORD }))).code).toBe("InvalidInstanceId.NotFound");
    expect((await describe(cvm, [id]))[0]).toMatchObject({ InstanceState: "RUNNING", LatestOperation: "RunInstances" });
  });
});
