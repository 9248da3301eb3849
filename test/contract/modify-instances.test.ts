// Changing instances through the official SDK: ModifyInstancesAttribute (names, user data, protection, host names
// with their reboot, and the attributes OpenCVM refuses), ModifyInstancesProject, the billing actions
// (ModifyInstancesRenewFlag, RenewInstances, ModifyInstancesChargeType) and DescribeInstancesAttributes; every
// refusal leaves the instances as they were.
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import type { Client } from "tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_client.js";
import { addMonths } from "../../src/domain/dates.js";
import { generateKeyPair } from "../../src/keys.js";
import { describe, launch, waitFor } from "../helpers/instances.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

const serve = (env: Record<string, string>) => startServer(env);

const WINDOWS = "img-9qrfy1xt";
const MONTHLY = { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } } as const;
const b64 = (text: string) => Buffer.from(text).toString("base64");

let server: TestServer;
let cvm: Client;
beforeAll(async () => {
  server = await serve({ OPENCVM_TIMING: "instant" });
  cvm = cvmClient(server, { language: "en-US" });
});
afterAll(() => server.close());

async function running(c: Client = cvm, extra: Parameters<typeof launch>[1] = {}): Promise<string[]> {
  const ids = (await launch(c, extra)).InstanceIdSet!;
  await waitFor(c, ids, "RUNNING");
  return ids;
}

async function stopped(c: Client = cvm, extra: Parameters<typeof launch>[1] = {}): Promise<string[]> {
  const ids = await running(c, extra);
  await c.StopInstances({ InstanceIds: ids });
  await waitFor(c, ids, "STOPPED");
  return ids;
}

/** Monthly instances returned to the recycle bin. */
async function recycled(c: Client = cvm): Promise<string[]> {
  const ids = await running(c, MONTHLY);
  await c.TerminateInstances({ InstanceIds: ids });
  await waitFor(c, ids, "SHUTDOWN");
  return ids;
}

async function hostNameOf(id: string, s: TestServer = server): Promise<string> {
  return (await s.store.instances.get(id))!.doc.HostName;
}

/** The error `call` ends with, after checking that the instances are exactly as before it, also what DescribeInstances does not show. */
async function refusedUnchanged(ids: string[], call: () => Promise<unknown>, c: Client = cvm, s: TestServer = server) {
  const stored = () => Promise.all(ids.map((id) => s.store.instances.get(id)));
  const before = [await describe(c, ids), await stored()];
  const err = await sdkError(call());
  expect([await describe(c, ids), await stored()]).toEqual(before);
  return err;
}

/** Year*12+month and day of an ISO time, to check month arithmetic independently of the server's. */
function calendar(iso: string) {
  const d = new Date(iso);
  return { month: d.getUTCFullYear() * 12 + d.getUTCMonth(), day: d.getUTCDate(), time: d.getTime() % 86400_000 };
}
function lastDayOf(month: number): number {
  return new Date(Date.UTC(Math.floor(month / 12), (month % 12) + 1, 0)).getUTCDate();
}
function expectMonthsLater(later: string, earlier: string, months: number): void {
  const a = calendar(earlier);
  const b = calendar(later);
  expect(b.month - a.month).toBe(months);
  expect(b.day).toBe(Math.min(a.day, lastDayOf(b.month)));
  expect(b.time).toBe(a.time);
}

group("ModifyInstancesAttribute", () => {
  it("renames every instance to the name as given, marking the change as the latest successful operation", async () => {
    const ids = [...(await running()), ...(await stopped())];
    const out = await cvm.ModifyInstancesAttribute({ InstanceIds: ids, InstanceName: "db-{R:1}" });
    const set = await describe(cvm, ids);
    for (const i of set) {
      expect(i).toMatchObject({ InstanceName: "db-{R:1}", LatestOperation: "ModifyInstancesAttribute", LatestOperationState: "SUCCESS", LatestOperationRequestId: out.RequestId });
    }
    expect(set.map((i) => i.InstanceState).sort()).toEqual(["RUNNING", "STOPPED"]);
    const long = "名".repeat(128);
    await cvm.ModifyInstancesAttribute({ InstanceIds: ids, InstanceName: long });
    expect((await describe(cvm, ids)).map((i) => i.InstanceName)).toEqual([long, long]);
  });

  it("replaces the user data, which DescribeInstancesAttributes reads back, and clears it with an empty string", async () => {
    const ids = await running(cvm, { UserData: b64("#!/bin/sh\necho first\n") });
    const read = async () => (await cvm.DescribeInstancesAttributes({ InstanceIds: ids, Attributes: ["UserData"] })).InstanceSet![0].Attributes!.UserData;
    expect(await read()).toBe(b64("#!/bin/sh\necho first\n"));
    await cvm.ModifyInstancesAttribute({ InstanceIds: ids, UserData: b64("second") });
    expect(await read()).toBe(b64("second"));
    expect((await describe(cvm, ids))[0]).toMatchObject({ InstanceState: "RUNNING", LatestOperation: "ModifyInstancesAttribute", LatestOperationState: "SUCCESS" });
    await cvm.ModifyInstancesAttribute({ InstanceIds: ids, UserData: "" });
    expect(await read()).toBe("");
  });

  it("turns termination protection on and off", async () => {
    const ids = await running();
    await cvm.ModifyInstancesAttribute({ InstanceIds: ids, DisableApiTermination: true });
    expect((await describe(cvm, ids))[0].DisableApiTermination).toBe(true);
    expect((await sdkError(cvm.TerminateInstances({ InstanceIds: ids }))).code).toBe("UnsupportedOperation.InstancesProtected");
    await cvm.ModifyInstancesAttribute({ InstanceIds: ids, DisableApiTermination: false });
    expect((await describe(cvm, ids))[0].DisableApiTermination).toBe(false);
    await cvm.TerminateInstances({ InstanceIds: ids });
  });

  it("reboots a running instance for a new host name, which it has once RUNNING again", async () => {
    const slow = await serve({ OPENCVM_TIMING: "fast" });
    try {
      const c = cvmClient(slow);
      const ids = await running(c);
      const old = await hostNameOf(ids[0], slow);
      const out = await c.ModifyInstancesAttribute({ InstanceIds: ids, HostName: "web-01.example" });
      const [rebooting] = await describe(c, ids);
      expect(rebooting).toMatchObject({ InstanceState: "REBOOTING", LatestOperation: "ModifyInstancesAttribute", LatestOperationState: "OPERATING", LatestOperationRequestId: out.RequestId });
      expect(await hostNameOf(ids[0], slow)).toBe(old);
      // A second change while the reboot runs is refused and changes nothing.
      const busy = await sdkError(c.ModifyInstancesAttribute({ InstanceIds: ids, InstanceName: "later" }));
      expect(busy.code).toBe("OperationDenied.InstanceOperationInProgress");
      const [done] = await waitFor(c, ids, "RUNNING");
      expect(done).toMatchObject({ InstanceName: rebooting.InstanceName, LatestOperation: "ModifyInstancesAttribute", LatestOperationState: "SUCCESS", LatestOperationRequestId: out.RequestId });
      expect(await hostNameOf(ids[0], slow)).toBe("web-01.example");
    } finally {
      await slow.close();
    }
  });

  it("sets the host name at once with AutoReboot=false, and for a stopped instance, without a reboot", async () => {
    const run = await running();
    const out = await cvm.ModifyInstancesAttribute({ InstanceIds: run, HostName: "no-reboot", AutoReboot: false });
    expect((await describe(cvm, run))[0]).toMatchObject({ InstanceState: "RUNNING", LatestOperation: "ModifyInstancesAttribute", LatestOperationState: "SUCCESS", LatestOperationRequestId: out.RequestId });
    expect(await hostNameOf(run[0])).toBe("no-reboot");

    const stop = await stopped();
    await cvm.ModifyInstancesAttribute({ InstanceIds: stop, HostName: "quiet" });
    expect((await describe(cvm, stop))[0]).toMatchObject({ InstanceState: "STOPPED", LatestOperation: "ModifyInstancesAttribute", LatestOperationState: "SUCCESS" });
    expect(await hostNameOf(stop[0])).toBe("quiet");
  });

  it("reboots the running instances of a mixed batch and renames the stopped ones at once", async () => {
    const run = await running();
    const stop = await stopped();
    await cvm.ModifyInstancesAttribute({ InstanceIds: [...run, ...stop], HostName: "batch" });
    await waitFor(cvm, run, "RUNNING");
    expect((await describe(cvm, stop))[0].InstanceState).toBe("STOPPED");
    expect([await hostNameOf(run[0]), await hostNameOf(stop[0])]).toEqual(["batch", "batch"]);
  });

  it("checks a host name by each instance's platform", async () => {
    const linux = await running();
    const windows = await running(cvm, { ImageId: WINDOWS });
    const err = await refusedUnchanged([...linux, ...windows], () => cvm.ModifyInstancesAttribute({ InstanceIds: [...linux, ...windows], HostName: "web.01", AutoReboot: false }));
    expect(err).toMatchObject({ code: "InvalidParameterValue.IllegalHostName", message: expect.stringContaining("web.01") });
    await cvm.ModifyInstancesAttribute({ InstanceIds: linux, HostName: "web.01", AutoReboot: false });
    await cvm.ModifyInstancesAttribute({ InstanceIds: windows, HostName: "WEB-01", AutoReboot: false });
    expect([await hostNameOf(linux[0]), await hostNameOf(windows[0])]).toEqual(["web.01", "WEB-01"]);
    expect((await sdkError(cvm.ModifyInstancesAttribute({ InstanceIds: windows, HostName: "12345" }))).code).toBe("InvalidParameterValue.IllegalHostName");
  });

  it("unbinds a CAM role (an empty name), which no instance has", async () => {
    const ids = await running();
    const out = await cvm.ModifyInstancesAttribute({ InstanceIds: ids, CamRoleName: "" });
    expect((await describe(cvm, ids))[0]).toMatchObject({ CamRoleName: null, LatestOperation: "ModifyInstancesAttribute", LatestOperationRequestId: out.RequestId });
  });

  let target: string[];
  beforeAll(async () => {
    target = await running();
  });
  it.each([
    [{}, "MissingParameter", "InstanceName"],
    [{ InstanceName: "a", HostName: "b1" }, "InvalidParameter", "InstanceName and HostName"],
    [{ InstanceName: "" }, "InvalidParameterValue", "InstanceName"],
    [{ InstanceName: "x".repeat(129) }, "InvalidInstanceName.TooLong", "InstanceName"],
    [{ UserData: "not base64!" }, "InvalidParameterValue.InvalidUserDataFormat", "UserData"],
    [{ HostName: "-bad-" }, "InvalidParameterValue.IllegalHostName", "-bad-"],
    [{ HostName: "a..b" }, "InvalidParameterValue.IllegalHostName", "a..b"],
    [{ AutoReboot: false }, "InvalidParameter", "AutoReboot"],
    [{ SecurityGroups: ["sg-abcdefgh"] }, "InvalidSecurityGroupId.NotFound", "sg-abcdefgh"],
    [{ SecurityGroups: ["sg-1"] }, "InvalidParameterValue", "sg-1"],
    [{ SecurityGroups: ["sg-abcdefgh", "sg-abcdefgh"] }, "InvalidParameterValue", "sg-abcdefgh"],
    [{ SecurityGroups: ["sg-a", "sg-b", "sg-c", "sg-d", "sg-e", "sg-f"] }, "LimitExceeded.AssociateUSGLimitExceeded", "SecurityGroups"],
    [{ SecurityGroups: [] }, "InvalidParameterValue", "SecurityGroups"],
    [{ CamRoleName: "CVM_QcsRole" }, "AuthFailure.CamRoleNameAuthenticateFailed", "CVM_QcsRole"],
    [{ CamRoleName: "bad role!" }, "InvalidParameterValue.CamRoleNameMalformed", "bad role!"],
    [{ CamRoleName: "CVM_QcsRole", CamRoleType: "admin" }, "InvalidParameterValue", "CamRoleType"],
    [{ CamRoleType: "user" }, "InvalidParameter", "CamRoleType"],
    [{ EnableJumboFrame: true }, "UnknownParameter", "EnableJumboFrame"],
  ] as const)("refuses %j with %s naming %s, changing nothing", async (params, code, named) => {
    const err = await refusedUnchanged(target, () => cvm.ModifyInstancesAttribute({ InstanceIds: target, ...(params as object) }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(named);
  });

  it("answers in Chinese when asked, naming the field", async () => {
    const zh = cvmClient(server, { language: "zh-CN" });
    const err = await sdkError(zh.ModifyInstancesAttribute({ InstanceIds: target, SecurityGroups: ["sg-abcdefgh"] }));
    expect(err.message).toBe("`SecurityGroups` = `sg-abcdefgh`：安全组不存在。");
  });
});

group("states and ids", () => {
  it("refuses the recycle bin with the documented code, and a whole mixed batch, changing nothing", async () => {
    const bin = await recycled();
    const ok = await running();
    const err = await refusedUnchanged([...ok, ...bin], () => cvm.ModifyInstancesAttribute({ InstanceIds: [...ok, ...bin], InstanceName: "nope" }));
    expect(err).toMatchObject({ code: "UnsupportedOperation.InstanceStateShutdown", message: expect.stringContaining(bin[0]) });
    expect((await refusedUnchanged(bin, () => cvm.ModifyInstancesAttribute({ InstanceIds: bin, HostName: "nope" }))).code).toBe("UnsupportedOperation.InstanceStateShutdown");
    // ModifyInstancesProject does not document the specific code: the generic one.
    expect((await refusedUnchanged(bin, () => cvm.ModifyInstancesProject({ InstanceIds: bin, ProjectId: 3 }))).code).toBe("UnsupportedOperation");
    expect((await refusedUnchanged(bin, () => cvm.ModifyInstancesRenewFlag({ InstanceIds: bin, RenewFlag: "NOTIFY_AND_AUTO_RENEW" }))).code).toBe("UnsupportedOperation.InstanceStateShutdown");
    expect((await refusedUnchanged(bin, () => cvm.ModifyInstancesChargeType({ InstanceIds: bin, InstanceChargeType: "POSTPAID_BY_HOUR" }))).code).toBe("UnsupportedOperation.InstanceStateShutdown");
  });

  it("refuses an instance whose launch failed with the generic code", async () => {
    const faulty = await serve({ OPENCVM_TIMING: "instant", OPENCVM_FAULTS: "launch=1" });
    try {
      const c = cvmClient(faulty);
      const ids = (await launch(c, MONTHLY)).InstanceIdSet!;
      await waitFor(c, ids, "LAUNCH_FAILED");
      for (const call of [
        () => c.ModifyInstancesAttribute({ InstanceIds: ids, InstanceName: "x" }),
        () => c.ModifyInstancesProject({ InstanceIds: ids, ProjectId: 1 }),
        () => c.ModifyInstancesRenewFlag({ InstanceIds: ids, RenewFlag: "NOTIFY_AND_AUTO_RENEW" }),
        () => c.RenewInstances({ InstanceIds: ids, InstanceChargePrepaid: { Period: 1 } }),
        () => c.ModifyInstancesChargeType({ InstanceIds: ids, InstanceChargeType: "POSTPAID_BY_HOUR" }),
      ]) {
        expect((await refusedUnchanged(ids, call, c, faulty)).code).toBe("UnsupportedOperation");
      }
    } finally {
      await faulty.close();
    }
  });

  it("refuses every change while an operation runs", async () => {
    const slow = await serve({ OPENCVM_TIMING: "fast" });
    try {
      const c = cvmClient(slow);
      const post = (await launch(c)).InstanceIdSet!;
      const pre = (await launch(c, MONTHLY)).InstanceIdSet!;
      for (const call of [
        () => c.ModifyInstancesAttribute({ InstanceIds: post, DisableApiTermination: true }),
        () => c.ModifyInstancesAttribute({ InstanceIds: post, HostName: "busy" }),
        () => c.ModifyInstancesProject({ InstanceIds: post, ProjectId: 1 }),
        () => c.ModifyInstancesChargeType({ InstanceIds: post, InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } }),
        () => c.ModifyInstancesRenewFlag({ InstanceIds: pre, RenewFlag: "NOTIFY_AND_AUTO_RENEW" }),
        () => c.RenewInstances({ InstanceIds: pre, InstanceChargePrepaid: { Period: 1 } }),
      ]) {
        expect((await sdkError(call())).code).toBe("OperationDenied.InstanceOperationInProgress");
      }
      const set = await describe(c, [...post, ...pre]);
      expect(set.map((i) => [i.InstanceState, i.LatestOperation])).toEqual([
        ["PENDING", "RunInstances"],
        ["PENDING", "RunInstances"],
      ]);
    } finally {
      await slow.close();
    }
  });

  it("refuses unknown, malformed, repeated, too many, no ids and another account's, changing nothing", async () => {
    const ids = await running(cvm, MONTHLY);
    const key = generateKeyPair();
    await server.store.accounts.create(key);
    const other = cvmClient(server, key);
    const calls = (c: Client, InstanceIds: string[]) => [
      () => c.ModifyInstancesAttribute({ InstanceIds, InstanceName: "x" }),
      () => c.ModifyInstancesProject({ InstanceIds, ProjectId: 1 }),
      () => c.ModifyInstancesRenewFlag({ InstanceIds, RenewFlag: "NOTIFY_AND_AUTO_RENEW" }),
      () => c.RenewInstances({ InstanceIds, InstanceChargePrepaid: { Period: 1 } }),
      () => c.ModifyInstancesChargeType({ InstanceIds, InstanceChargeType: "POSTPAID_BY_HOUR" }),
    ];
    const many = Array.from({ length: 101 }, (_, i) => `ins-${String(i).padStart(8, "0")}`);
    for (const [c, list, code, named] of [
      [cvm, [...ids, "ins-zzzzzzzz"], "InvalidInstanceId.NotFound", "ins-zzzzzzzz"],
      [other, ids, "InvalidInstanceId.NotFound", ids[0]],
      [cvm, [...ids, "ins-1122"], "InvalidParameterValue.InstanceIdMalformed", "ins-1122"],
      [cvm, [...ids, ...ids], "InvalidParameterValue", ids[0]],
      [cvm, [], "MissingParameter", "InstanceIds"],
      [cvm, many, "InvalidParameterValue.LimitExceeded", "InstanceIds"],
    ] as const) {
      for (const call of calls(c, [...list])) {
        const err = await refusedUnchanged(ids, call);
        expect(err.code).toBe(code);
        expect(err.message).toContain(named);
      }
    }
    const twentyOne = Array.from({ length: 21 }, (_, i) => `ins-${String(i).padStart(8, "0")}`);
    expect((await sdkError(cvm.ModifyInstancesChargeType({ InstanceIds: twentyOne, InstanceChargeType: "POSTPAID_BY_HOUR" }))).code).toBe("InvalidParameterValue.LimitExceeded");
  });
});

group("ModifyInstancesProject", () => {
  it("moves running and stopped instances to a project, as DescribeInstances shows and filters", async () => {
    const ids = [...(await running()), ...(await stopped())];
    const out = await cvm.ModifyInstancesProject({ InstanceIds: ids, ProjectId: 1045 });
    for (const i of await describe(cvm, ids)) {
      expect(i).toMatchObject({ Placement: { ProjectId: 1045 }, LatestOperation: "ModifyInstancesProject", LatestOperationState: "SUCCESS", LatestOperationRequestId: out.RequestId });
    }
    const filtered = await cvm.DescribeInstances({ Filters: [{ Name: "project-id", Values: ["1045"] }], Limit: 100 });
    expect(new Set(filtered.InstanceSet!.map((i) => i.InstanceId))).toEqual(new Set(ids));
    await cvm.ModifyInstancesProject({ InstanceIds: ids, ProjectId: 0 });
    expect((await describe(cvm, ids)).map((i) => i.Placement!.ProjectId)).toEqual([0, 0]);
  });

  it("refuses a negative project id, changing nothing", async () => {
    const ids = await running();
    const err = await refusedUnchanged(ids, () => cvm.ModifyInstancesProject({ InstanceIds: ids, ProjectId: -1 }));
    expect(err).toMatchObject({ code: "InvalidParameterValue", message: expect.stringContaining("ProjectId") });
  });
});

group("ModifyInstancesRenewFlag", () => {
  it("sets the renewal flag of running and stopped monthly instances", async () => {
    const ids = [...(await running(cvm, MONTHLY)), ...(await stopped(cvm, MONTHLY))];
    for (const flag of ["NOTIFY_AND_AUTO_RENEW", "DISABLE_NOTIFY_AND_MANUAL_RENEW"]) {
      const out = await cvm.ModifyInstancesRenewFlag({ InstanceIds: ids, RenewFlag: flag });
      for (const i of await describe(cvm, ids)) {
        expect(i).toMatchObject({ RenewFlag: flag, LatestOperation: "ModifyInstancesRenewFlag", LatestOperationState: "SUCCESS", LatestOperationRequestId: out.RequestId });
      }
    }
  });

  it("refuses pay-as-you-go instances (also in a mixed batch) and unknown flags, changing nothing", async () => {
    const monthly = await running(cvm, MONTHLY);
    const hourly = await running();
    const mixed = await refusedUnchanged([...monthly, ...hourly], () => cvm.ModifyInstancesRenewFlag({ InstanceIds: [...monthly, ...hourly], RenewFlag: "NOTIFY_AND_AUTO_RENEW" }));
    expect(mixed).toMatchObject({ code: "UnsupportedOperation.InstanceChargeType", message: expect.stringContaining(hourly[0]) });
    const bad = await refusedUnchanged(monthly, () => cvm.ModifyInstancesRenewFlag({ InstanceIds: monthly, RenewFlag: "AUTO" }));
    expect(bad).toMatchObject({ code: "InvalidParameterValue", message: expect.stringContaining("AUTO") });
  });
});

group("RenewInstances", () => {
  it("extends the expiry by the period, from the old expiry, and takes a new renewal flag", async () => {
    const ids = [...(await running(cvm, MONTHLY)), ...(await stopped(cvm, MONTHLY))];
    const before = await describe(cvm, ids);
    const out = await cvm.RenewInstances({ InstanceIds: ids, InstanceChargePrepaid: { Period: 3, RenewFlag: "NOTIFY_AND_AUTO_RENEW" } });
    const after = await describe(cvm, ids);
    after.forEach((i, n) => {
      expectMonthsLater(i.ExpiredTime!, before[n].ExpiredTime!, 3);
      expect(i).toMatchObject({ InstanceState: before[n].InstanceState, RenewFlag: "NOTIFY_AND_AUTO_RENEW", LatestOperation: "RenewInstances", LatestOperationState: "SUCCESS", LatestOperationRequestId: out.RequestId });
    });
    await cvm.RenewInstances({ InstanceIds: ids, InstanceChargePrepaid: { Period: 12 } });
    const year = await describe(cvm, ids);
    year.forEach((i, n) => {
      expectMonthsLater(i.ExpiredTime!, after[n].ExpiredTime!, 12);
      expect(i.RenewFlag).toBe("NOTIFY_AND_AUTO_RENEW");
    });
  });

  it("recovers a monthly instance from the recycle bin, stopped, so that it can be started again", async () => {
    const ids = await recycled();
    const [bin] = await describe(cvm, ids);
    expect(bin.IsolatedSource).toBe("MANMADE");
    await cvm.RenewInstances({ InstanceIds: ids, InstanceChargePrepaid: { Period: 1 } });
    const [back] = await describe(cvm, ids);
    expect(back).toMatchObject({ InstanceState: "STOPPED", IsolatedSource: "NOTISOLATED", StopChargingMode: "KEEP_CHARGING", LatestOperation: "RenewInstances", LatestOperationState: "SUCCESS" });
    expectMonthsLater(back.ExpiredTime!, bin.ExpiredTime!, 1);
    await cvm.StartInstances({ InstanceIds: ids });
    await waitFor(cvm, ids, "RUNNING");
  });

  it.each([
    [{ InstanceChargePrepaid: { Period: 13 } }, "InvalidPeriod", "13"],
    [{ InstanceChargePrepaid: { Period: 0 } }, "InvalidPeriod", "InstanceChargePrepaid.Period"],
    [{}, "MissingParameter", "InstanceChargePrepaid"],
    [{ InstanceChargePrepaid: {} }, "MissingParameter", "InstanceChargePrepaid.Period"],
    [{ InstanceChargePrepaid: { Period: 1, RenewFlag: "SOMETIMES" } }, "InvalidParameterValue", "SOMETIMES"],
  ] as const)("refuses %j with %s naming %s, changing nothing", async (params, code, named) => {
    const ids = await running(cvm, MONTHLY);
    const err = await refusedUnchanged(ids, () => cvm.RenewInstances({ InstanceIds: ids, ...(params as object) }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(named);
  });

  it("refuses pay-as-you-go instances, changing nothing", async () => {
    const ids = [...(await running(cvm, MONTHLY)), ...(await running())];
    const err = await refusedUnchanged(ids, () => cvm.RenewInstances({ InstanceIds: ids, InstanceChargePrepaid: { Period: 1 } }));
    expect(err).toMatchObject({ code: "UnsupportedOperation.InstanceChargeType", message: expect.stringContaining(ids[1]) });
  });
});

group("ModifyInstancesChargeType", () => {
  it("switches pay-as-you-go instances to monthly for a period, and back", async () => {
    const ids = [...(await running()), ...(await stopped())];
    const start = new Date().toISOString();
    const out = await cvm.ModifyInstancesChargeType({ InstanceIds: ids, InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 2, RenewFlag: "NOTIFY_AND_AUTO_RENEW" } });
    for (const i of await describe(cvm, ids)) {
      expect(i).toMatchObject({ InstanceChargeType: "PREPAID", RenewFlag: "NOTIFY_AND_AUTO_RENEW", LatestOperation: "ModifyInstancesChargeType", LatestOperationState: "SUCCESS", LatestOperationRequestId: out.RequestId });
      const months = calendar(i.ExpiredTime!).month - calendar(start).month;
      expect(months).toBe(2);
      expect(Date.parse(i.ExpiredTime!) - Date.parse(start)).toBeGreaterThan(55 * 86400_000);
    }
    await cvm.ModifyInstancesChargeType({ InstanceIds: ids, InstanceChargeType: "POSTPAID_BY_HOUR" });
    for (const i of await describe(cvm, ids)) {
      expect(i).toMatchObject({ InstanceChargeType: "POSTPAID_BY_HOUR", RenewFlag: null, ExpiredTime: null, LatestOperation: "ModifyInstancesChargeType" });
    }
  });

  it("defaults the renewal flag to NOTIFY_AND_MANUAL_RENEW", async () => {
    const ids = await running();
    await cvm.ModifyInstancesChargeType({ InstanceIds: ids, InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } });
    expect((await describe(cvm, ids))[0].RenewFlag).toBe("NOTIFY_AND_MANUAL_RENEW");
  });

  it.each([
    [{ InstanceChargeType: "SPOTPAID" }, "InvalidParameterValue", "SPOTPAID"],
    [{ InstanceChargeType: "PREPAID" }, "MissingParameter", "InstanceChargePrepaid"],
    [{ InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 7 * 12 } }, "InvalidPeriod", "84"],
    [{ InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1, RenewFlag: "NEVER" } }, "InvalidParameterValue", "NEVER"],
    [{ InstanceChargeType: "POSTPAID_BY_HOUR" }, "UnsupportedOperation.InstanceChargeType", "POSTPAID_BY_HOUR"],
  ] as const)("refuses %j for a pay-as-you-go instance with %s naming %s, changing nothing", async (params, code, named) => {
    const ids = await running();
    const err = await refusedUnchanged(ids, () => cvm.ModifyInstancesChargeType({ InstanceIds: ids, ...(params as { InstanceChargeType: string }) }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(named);
  });

  it("refuses monthly instances switched to monthly, and prepaid settings for pay-as-you-go", async () => {
    const monthly = await running(cvm, MONTHLY);
    const again = await refusedUnchanged(monthly, () => cvm.ModifyInstancesChargeType({ InstanceIds: monthly, InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } }));
    expect(again).toMatchObject({ code: "UnsupportedOperation.InstanceChargeType", message: expect.stringContaining(monthly[0]) });
    const extra = await refusedUnchanged(monthly, () => cvm.ModifyInstancesChargeType({ InstanceIds: monthly, InstanceChargeType: "POSTPAID_BY_HOUR", InstanceChargePrepaid: { Period: 1 } }));
    expect(extra).toMatchObject({ code: "InvalidParameter", message: expect.stringContaining("InstanceChargePrepaid") });
  });

  it("refuses an instance stopped without charging, changing nothing", async () => {
    const ids = await running();
    await cvm.StopInstances({ InstanceIds: ids, StoppedMode: "STOP_CHARGING" });
    await waitFor(cvm, ids, "STOPPED");
    const err = await refusedUnchanged(ids, () => cvm.ModifyInstancesChargeType({ InstanceIds: ids, InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } }));
    expect(err).toMatchObject({ code: "UnsupportedOperation", message: expect.stringContaining("STOP_CHARGING") });
  });
});

group("DescribeInstancesAttributes", () => {
  it("answers the user data of each instance in the order asked, empty for none", async () => {
    const a = await running(cvm, { UserData: b64("a") });
    const b = await running();
    const out = await cvm.DescribeInstancesAttributes({ InstanceIds: [...b, ...a], Attributes: ["UserData"] });
    expect(out.InstanceSet).toEqual([
      { InstanceId: b[0], Attributes: { UserData: "" } },
      { InstanceId: a[0], Attributes: { UserData: b64("a") } },
    ]);
    // A read is no operation.
    expect((await describe(cvm, a))[0].LatestOperation).toBe("RunInstances");
  });

  it.each([
    [{ Attributes: ["Password"] }, "InvalidParameterValue", "Password"],
    [{ Attributes: [] }, "MissingParameter", "Attributes"],
    [{ InstanceIds: ["ins-1122"] }, "InvalidParameterValue.InstanceIdMalformed", "ins-1122"],
    [{ InstanceIds: ["ins-zzzzzzzz"] }, "InvalidInstanceId.NotFound", "ins-zzzzzzzz"],
    [{ InstanceIds: [] }, "MissingParameter", "InstanceIds"],
    [{ InstanceIds: Array.from({ length: 101 }, (_, i) => `ins-${String(i).padStart(8, "0")}`) }, "InvalidParameterValue", "InstanceIds"],
  ] as const)("refuses %j with %s naming %s", async (params, code, named) => {
    const err = await sdkError(cvm.DescribeInstancesAttributes({ InstanceIds: ["ins-zzzzzzzz"], Attributes: ["UserData"], ...(params as object) }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(named);
  });

  it("never shows another account's instances", async () => {
    const ids = await running(cvm, { UserData: b64("secret") });
    const key = generateKeyPair();
    await server.store.accounts.create(key);
    const err = await sdkError(cvmClient(server, key).DescribeInstancesAttributes({ InstanceIds: ids, Attributes: ["UserData"] }));
    expect(err).toMatchObject({ code: "InvalidInstanceId.NotFound", message: expect.stringContaining(ids[0]) });
  });
});

group("addMonths", () => {
  it.each([
    ["2024-01-31T10:00:00Z", 1, "2024-02-29T10:00:00Z"],
    ["2023-01-31T10:00:00Z", 1, "2023-02-28T10:00:00Z"],
    ["2024-03-31T00:00:00Z", 6, "2024-09-30T00:00:00Z"],
    ["2024-11-15T23:59:59Z", 3, "2025-02-15T23:59:59Z"],
    ["2024-02-29T12:00:00Z", 60, "2029-02-28T12:00:00Z"],
  ])("%s + %i months = %s", (from, months, to) => {
    expect(addMonths(from, months)).toBe(to);
  });
});
