// Type changes, reinstalls, disk resizes and password resets: asynchronous, guarded by state, ForceStop aware.
import { describe as group, expect, it } from "vitest";
import { describe, launch, UBUNTU, waitFor } from "../helpers/instances.js";
import { cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
serverForFile((started) => {
  server = started;
  cvm = cvmClient(server, { language: "en-US" });
}, { OPENCVM_TIMING: "instant" });

async function running(extra = {}): Promise<string[]> {
  const ids = (await launch(cvm, extra)).InstanceIdSet!;
  await waitFor(cvm, ids, "RUNNING");
  return ids;
}

async function stopped(): Promise<string[]> {
  const ids = await running();
  await cvm.StopInstances({ InstanceIds: ids });
  await waitFor(cvm, ids, "STOPPED");
  return ids;
}

group("ResetInstancesType", () => {
  it("changes a stopped instance's type and starts it", async () => {
    const ids = await stopped();
    const req = await cvm.ResetInstancesType({ InstanceIds: ids, InstanceType: "M5.LARGE32" });
    expect((await describe(cvm, ids))[0]).toMatchObject({ LatestOperation: "ResetInstancesType", LatestOperationState: "OPERATING", LatestOperationRequestId: req.RequestId });
    const [after] = await waitFor(cvm, ids, "RUNNING");
    expect(after).toMatchObject({ InstanceType: "M5.LARGE32", CPU: 4, Memory: 32, LatestOperationState: "SUCCESS" });
    expect((await cvm.DescribeInstances({ Filters: [{ Name: "instance-family", Values: ["M5"] }] })).InstanceSet!.map((i) => i.InstanceId)).toContain(ids[0]);
  });

  it("changes a running instance's type with or without ForceStop (which only powers off a guest that ignores a shutdown)", async () => {
    for (const ForceStop of [undefined, false, true]) {
      const ids = await running();
      await cvm.ResetInstancesType({ InstanceIds: ids, InstanceType: "S5.LARGE8", ...(ForceStop === undefined ? {} : { ForceStop }) });
      expect((await waitFor(cvm, ids, "RUNNING"))[0]).toMatchObject({ InstanceType: "S5.LARGE8", CPU: 4, Memory: 8, LatestOperationState: "SUCCESS" });
    }
  });

  it.each([
    [{ InstanceType: "S5.NOPE" }, "ResourceNotFound.InvalidZoneInstanceType"],
    [{ InstanceType: "tiny" }, "InvalidInstanceType.Malformed"],
    [{ InstanceType: "S5.MEDIUM4" }, "InvalidParameterValue"],
  ])("refuses %j with %s", async (extra, code) => {
    const ids = await stopped();
    expect((await sdkError(cvm.ResetInstancesType({ InstanceIds: ids, ...extra }))).code).toBe(code);
    expect((await describe(cvm, ids))[0]).toMatchObject({ InstanceType: "S5.MEDIUM4", InstanceState: "STOPPED" });
  });

  it("takes one instance per call", async () => {
    const ids = [...(await stopped()), ...(await stopped())];
    expect((await sdkError(cvm.ResetInstancesType({ InstanceIds: ids, InstanceType: "S5.LARGE8" }))).code).toBe("InvalidParameterValue.LimitExceeded");
  });
});

group("ResetInstance", () => {
  it("reinstalls with another image, grows the system disk and ends RUNNING", async () => {
    const ids = await running();
    await cvm.ResetInstance({ InstanceId: ids[0], ImageId: "img-9id7emv7", SystemDisk: { DiskSize: 80 }, LoginSettings: { Password: "Tr0ub4dor&3x" }, HostName: "db-{IP}" });
    const [after] = await waitFor(cvm, ids, "RUNNING");
    expect(after).toMatchObject({ ImageId: "img-9id7emv7", OsName: "Debian 12.0 64bit", DefaultLoginUser: "root", LatestOperation: "ResetInstance" });
    expect(after.SystemDisk!.DiskSize).toBe(80);
    expect(after.LoginSettings).toEqual({ KeyIds: [] });
  });

  it("grows the system disk to a larger image when no size is given, charging what InquiryPriceResetInstance quotes", async () => {
    const ids = await running({ InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 }, SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskSize: 20 } });
    const windows = { InstanceId: ids[0], ImageId: "img-9qrfy1xt", LoginSettings: { Password: "Tr0ub4dor&3x" } };
    const tooSmall = await sdkError(cvm.ResetInstance({ ...windows, SystemDisk: { DiskSize: 30 } }));
    expect(tooSmall).toMatchObject({ code: "InvalidParameterValue" });
    expect(tooSmall.message).toContain("SystemDisk.DiskSize");
    const quote = await cvm.InquiryPriceResetInstance({ InstanceId: ids[0], ImageId: "img-9qrfy1xt" });
    await cvm.ResetInstance(windows);
    const [after] = await waitFor(cvm, ids, "RUNNING");
    expect(after.SystemDisk!.DiskSize).toBe(50);
    const month = server.clock.now().toISOString().slice(0, 7);
    const { records } = await server.store.billing.bills(server.defaultAccount.account.appId, { month, resourceId: ids[0], actionType: "pre_upgrade" }, 0, 10);
    expect(records.map((l) => l.amount)).toEqual([Math.round(quote.Price!.InstancePrice!.DiscountPrice! * 1_000_000)]);
  });

  it.each([
    [{ ImageId: "img-00000000" }, "InvalidImageId.NotFound"],
    [{ SystemDisk: { DiskSize: 20 } }, "InvalidParameterValue"],
    [{ LoginSettings: { Password: "weak" } }, "InvalidParameterValue.InvalidPassword"],
    [{ HostName: "a..b" }, "InvalidParameterValue.IllegalHostName"],
    [{ UserData: "%%%" }, "InvalidParameterValue.InvalidUserDataFormat"],
  ])("refuses %j with %s", async (extra, code) => {
    const ids = await running();
    expect((await sdkError(cvm.ResetInstance({ InstanceId: ids[0], ...extra }))).code).toBe(code);
    expect((await describe(cvm, ids))[0]).toMatchObject({ ImageId: UBUNTU, LatestOperation: "RunInstances" });
  });
});

group("ResizeInstanceDisks", () => {
  it("grows a data disk of a stopped instance, which stays stopped", async () => {
    const ids = (await launch(cvm, { DataDisks: [{ DiskSize: 50 }] })).InstanceIdSet!;
    await waitFor(cvm, ids, "RUNNING");
    await cvm.StopInstances({ InstanceIds: ids });
    const [before] = await waitFor(cvm, ids, "STOPPED");
    const diskId = before.DataDisks![0].DiskId!;
    await cvm.ResizeInstanceDisks({ InstanceId: ids[0], DataDisks: [{ DiskId: diskId, DiskSize: 100 }] });
    const [after] = await waitFor(cvm, ids, "STOPPED");
    expect(after.DataDisks![0]).toMatchObject({ DiskId: diskId, DiskSize: 100 });
    expect(after.LatestOperation).toBe("ResizeInstanceDisks");
  });

  it("resizes a running instance's system disk with ForceStop and brings it back RUNNING", async () => {
    const ids = await running();
    expect((await sdkError(cvm.ResizeInstanceDisks({ InstanceId: ids[0], SystemDisk: { DiskSize: 60 } }))).code).toBe("UnsupportedOperation.InstanceStateRunning");
    await cvm.ResizeInstanceDisks({ InstanceId: ids[0], SystemDisk: { DiskSize: 60 }, ForceStop: true });
    expect((await waitFor(cvm, ids, "RUNNING"))[0].SystemDisk!.DiskSize).toBe(60);
  });

  it("grows an instance's only data disk when the request names none, and asks which when there are several", async () => {
    const [one] = (await launch(cvm, { DataDisks: [{ DiskSize: 50 }] })).InstanceIdSet!;
    const [two] = (await launch(cvm, { DataDisks: [{ DiskSize: 50 }, { DiskSize: 60 }] })).InstanceIdSet!;
    await waitFor(cvm, [one, two], "RUNNING");
    await cvm.StopInstances({ InstanceIds: [one, two] });
    await waitFor(cvm, [one, two], "STOPPED");
    await cvm.ResizeInstanceDisks({ InstanceId: one, DataDisks: [{ DiskSize: 100 }] });
    expect((await waitFor(cvm, [one], "STOPPED"))[0].DataDisks![0].DiskSize).toBe(100);
    expect((await sdkError(cvm.ResizeInstanceDisks({ InstanceId: two, DataDisks: [{ DiskSize: 100 }] }))).code).toBe("MissingParameter");
  });

  it.each([
    [{}, "MissingParameter.AtLeastOne"],
    [{ SystemDisk: { DiskSize: 40 } }, "InvalidParameterValue"],
    [{ DataDisks: [{ DiskId: "disk-zzzzzzzz", DiskSize: 100 }] }, "UnsupportedOperation.InvalidDataDisk"],
  ])("refuses %j with %s", async (extra, code) => {
    const ids = await stopped();
    expect((await sdkError(cvm.ResizeInstanceDisks({ InstanceId: ids[0], ...extra }))).code).toBe(code);
  });
});

group("ResetInstancesPassword", () => {
  it("sets the password of stopped instances, and of running ones with ForceStop, which run again after", async () => {
    const off = await stopped();
    await cvm.ResetInstancesPassword({ InstanceIds: off, Password: "N3w-Passw0rd" });
    expect((await waitFor(cvm, off, "STOPPED"))[0]).toMatchObject({ LatestOperation: "ResetInstancesPassword", LatestOperationState: "SUCCESS" });

    const on = await running();
    expect((await sdkError(cvm.ResetInstancesPassword({ InstanceIds: on, Password: "N3w-Passw0rd" }))).code).toBe("UnsupportedOperation.InstanceStateRunning");
    await cvm.ResetInstancesPassword({ InstanceIds: on, Password: "N3w-Passw0rd", ForceStop: true, UserName: "admin" });
    expect((await waitFor(cvm, on, "RUNNING"))[0].LatestOperation).toBe("ResetInstancesPassword");
  });

  it("never keeps the password, and refuses a weak one", async () => {
    const ids = await stopped();
    const err = await sdkError(cvm.ResetInstancesPassword({ InstanceIds: ids, Password: "password" }));
    expect(err.code).toBe("InvalidParameterValue.InvalidPassword");
    expect(err.message).not.toContain("password`");
    await cvm.ResetInstancesPassword({ InstanceIds: ids, Password: "Secret-Pass-99" });
    await waitFor(cvm, ids, "STOPPED");
    expect(server.logs.join("")).not.toContain("Secret-Pass-99");
  });
});
