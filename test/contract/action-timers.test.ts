// Action timers through the official SDK: RunInstances' ActionTimer and ImportInstancesActionTimer schedule an
// instance's termination on the service clock, the admin clock moves past it and the instance is gone; timers are
// listed, filtered and deleted, refused with the documented codes, and one account never sees another's.
import { describe, expect, it } from "vitest";
import { serviceSpec } from "../../src/api/spec.js";
import { HOUR_MS } from "../../src/billing/metering.js";
import { isoSeconds } from "../../src/domain/dates.js";
import { COMMON_CODES } from "../../src/domain/errors.js";
import { generateKeyPair } from "../../src/keys.js";
import { describe as describeInstances, launch, waitFor, waitGone } from "../helpers/instances.js";
import { commonClient, cvmClient, sdkError, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const MINUTE_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
let other: ReturnType<typeof cvmClient>;

serverForFile(async (started) => {
  server = started;
  cvm = cvmClient(server);
  const key = generateKeyPair();
  await server.store.accounts.create(key);
  other = cvmClient(server, key);
}, { OPENCVM_TIMING: "instant" });

/** A time `ms` from now on the service clock, as the API writes times. */
const ahead = (ms: number) => isoSeconds(new Date(server.clock.nowMs() + ms));
const terminateAt = (ms: number, extra: object = {}) => ({ TimerAction: "TerminateInstances", ActionTime: ahead(ms), ...extra });
const timersOf = async (ids: string[]) => (await cvm.DescribeInstancesActionTimer({ InstanceIds: ids })).ActionTimers ?? [];

async function running(extra: Parameters<typeof launch>[1] = {}): Promise<string[]> {
  const ids = (await launch(cvm, extra)).InstanceIdSet!;
  await waitFor(cvm, ids, "RUNNING");
  return ids;
}

/** The refusal `call` ends with, checked to be a code `action` documents or a common one. */
async function refusal(action: string, call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await sdkError(call);
  expect(COMMON_CODES.has(e.code) || serviceSpec("cvm").actions[action].errors.includes(e.code), `${e.code} for ${action}`).toBe(true);
  return e;
}

describe("firing on the service clock", () => {
  it("terminates a pay-as-you-go instance launched with an ActionTimer once the clock passes it, releasing its EIP when asked", async () => {
    const [id] = await running({ ActionTimer: terminateAt(HOUR_MS, { Externals: { ReleaseAddress: true } }) });
    const vpc = commonClient(server, "2017-03-12");
    const [eip] = ((await vpc.request("AllocateAddresses", {})) as { AddressSet: string[] }).AddressSet;
    await vpc.request("AssociateAddress", { AddressId: eip, InstanceId: id });
    const [timer] = await timersOf([id]);
    expect(timer).toMatchObject({ TimerAction: "TerminateInstances", Status: "UNDO", InstanceId: id, Externals: { ReleaseAddress: true } });
    expect(timer.ActionTimerId).toMatch(UUID);

    await server.timekeeper.advance(HOUR_MS - 10 * MINUTE_MS);
    expect((await describeInstances(cvm, [id]))[0].InstanceState).toBe("RUNNING");
    expect((await timersOf([id]))[0].Status).toBe("UNDO");

    await server.timekeeper.advance(HOUR_MS);
    await waitGone(cvm, [id]);
    expect(await timersOf([id])).toEqual([{ ...timer, Status: "DONE" }]);
    expect(((await vpc.request("DescribeAddresses", { AddressIds: [eip] })) as { TotalCount: number }).TotalCount).toBe(0);
  });

  it("returns a monthly instance to the recycle bin with the rest of its term refunded, as TerminateInstances does", async () => {
    const timer = terminateAt(HOUR_MS);
    const [id] = await running({ InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 }, ActionTimer: timer } as never);
    await server.timekeeper.advance(2 * HOUR_MS);
    const [recycled] = await waitFor(cvm, [id], "SHUTDOWN");
    expect(recycled).toMatchObject({ IsolatedSource: "MANMADE", LatestOperation: "TerminateInstances", LatestOperationState: "SUCCESS" });
    // The refund is paid when the timer runs, in the month of its ActionTime.
    const month = timer.ActionTime.slice(0, 7);
    const lines = (await server.store.billing.bills(server.defaultAccount.account.appId, { month, resourceId: id }, 0, 100)).records;
    expect(lines.map((l) => l.actionType)).toContain("pre_refund");
    expect((await timersOf([id]))[0].Status).toBe("DONE");
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm, [id]);
  });

  it("leaves a protected instance as it is and ends its timer DONE", async () => {
    const [id] = await running({ DisableApiTermination: true });
    await cvm.ImportInstancesActionTimer({ InstanceIds: [id], ActionTimer: terminateAt(30 * MINUTE_MS) });
    await server.timekeeper.advance(HOUR_MS);
    expect((await timersOf([id]))[0].Status).toBe("DONE");
    expect((await describeInstances(cvm, [id]))[0].InstanceState).toBe("RUNNING");
    await cvm.ModifyInstancesAttribute({ InstanceIds: [id], DisableApiTermination: false });
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm, [id]);
  });

  it("ends the timer of an instance terminated before it DONE, and never runs it", async () => {
    const [id] = await running({ ActionTimer: terminateAt(HOUR_MS) });
    await cvm.TerminateInstances({ InstanceIds: [id] });
    await waitGone(cvm, [id]);
    expect((await timersOf([id]))[0].Status).toBe("DONE");
    await server.timekeeper.advance(2 * HOUR_MS);
    expect((await timersOf([id]))[0].Status).toBe("DONE");
  });
});

describe("ImportInstancesActionTimer, DescribeInstancesActionTimer, DeleteInstancesActionTimer", () => {
  it("imports one timer per instance, lists them by every filter, and deletes those not yet run", async () => {
    const [a, b] = await running({ InstanceCount: 2 });
    const at = ahead(2 * HOUR_MS);
    const { ActionTimerIds } = await cvm.ImportInstancesActionTimer({ InstanceIds: [a, b], ActionTimer: { TimerAction: "TerminateInstances", ActionTime: at } });
    expect(ActionTimerIds).toHaveLength(2);
    const [ta, tb] = ActionTimerIds!;
    const ids = async (req: object) => ((await cvm.DescribeInstancesActionTimer(req)).ActionTimers ?? []).map((t) => t.ActionTimerId).filter((t) => t === ta || t === tb);
    expect(await timersOf([a])).toEqual([{ TimerAction: "TerminateInstances", ActionTime: at, Externals: {}, ActionTimerId: ta, Status: "UNDO", InstanceId: a }]);
    expect(await ids({})).toEqual([ta, tb]);
    expect(await ids({ ActionTimerIds: [tb] })).toEqual([tb]);
    expect(await ids({ InstanceIds: [b] })).toEqual([tb]);
    expect(await ids({ TimerAction: "TerminateInstances", StatusList: ["UNDO"] })).toEqual([ta, tb]);
    expect(await ids({ StatusList: ["DONE", "DOING"] })).toEqual([]);
    // Both documented forms of a bound: 2018-05-01 19:00:00 (UTC) and ISO-8601.
    expect(await ids({ StartActionTime: at, EndActionTime: at.replace("T", " ").replace("Z", "") })).toEqual([ta, tb]);
    expect(await ids({ StartActionTime: ahead(3 * HOUR_MS) })).toEqual([]);
    expect(await ids({ EndActionTime: ahead(HOUR_MS) })).toEqual([]);

    const held = await refusal("ImportInstancesActionTimer", cvm.ImportInstancesActionTimer({ InstanceIds: [a], ActionTimer: terminateAt(HOUR_MS) }));
    expect(held.code).toBe("FailedOperation.MutActionTimerExist");
    expect(held.message).toContain(ta);

    await cvm.DeleteInstancesActionTimer({ ActionTimerIds: [ta] });
    expect(await ids({})).toEqual([tb]);
    expect((await refusal("DeleteInstancesActionTimer", cvm.DeleteInstancesActionTimer({ ActionTimerIds: [ta] }))).code).toBe("ResourceNotFound");
    // Deleted, the instance may have another.
    const [again] = (await cvm.ImportInstancesActionTimer({ InstanceIds: [a], ActionTimer: terminateAt(HOUR_MS) })).ActionTimerIds!;
    expect(await ids({ InstanceIds: [a] })).toEqual([]);
    expect((await timersOf([a]))[0].ActionTimerId).toBe(again);

    await server.timekeeper.advance(3 * HOUR_MS);
    await waitGone(cvm, [a, b]);
    const done = await refusal("DeleteInstancesActionTimer", cvm.DeleteInstancesActionTimer({ ActionTimerIds: [tb] }));
    expect(done.code).toBe("UnsupportedOperation");
    expect(done.message).toContain("DONE");
    expect((await timersOf([a, b])).map((t) => t.Status)).toEqual(["DONE", "DONE"]);
  });

  it("refuses a time too soon, a malformed one, another action and members only answers carry, naming the field", async () => {
    const [id] = await running();
    const imports = (timer: object) => refusal("ImportInstancesActionTimer", cvm.ImportInstancesActionTimer({ InstanceIds: [id], ActionTimer: timer }));
    const soon = await imports(terminateAt(4 * MINUTE_MS));
    expect(soon).toMatchObject({ code: "InvalidParameterValue" });
    expect(soon.message).toContain("ActionTimer.ActionTime");
    expect(await imports({ TimerAction: "TerminateInstances", ActionTime: "2030-02-30T00:00:00Z" })).toMatchObject({ code: "InvalidParameterValue.InvalidTimeFormat" });
    expect(await imports({ TimerAction: "TerminateInstances", ActionTime: ahead(HOUR_MS).replace("T", " ").replace("Z", "") })).toMatchObject({ code: "InvalidParameterValue.InvalidTimeFormat" });
    expect((await imports(terminateAt(HOUR_MS, { TimerAction: "StopInstances" }))).message).toContain("ActionTimer.TimerAction");
    expect(await imports({ ActionTime: ahead(HOUR_MS) })).toMatchObject({ code: "MissingParameter" });
    expect((await imports(terminateAt(HOUR_MS, { Status: "DONE" }))).message).toContain("ActionTimer.Status");
    expect((await imports(terminateAt(HOUR_MS, { Externals: { UnsupportNetworks: ["BASIC"] } }))).code).toBe("InvalidParameter");

    const ids = (InstanceIds: string[]) => refusal("ImportInstancesActionTimer", cvm.ImportInstancesActionTimer({ InstanceIds, ActionTimer: terminateAt(HOUR_MS) }));
    expect((await ids(["ins-00000000"])).code).toBe("InvalidInstanceId.NotFound");
    expect((await ids(["ins-x"])).code).toBe("InvalidParameterValue.InstanceIdMalformed");
    expect((await ids(Array.from({ length: 101 }, () => id))).code).toBe("InvalidParameterValue.LimitExceeded");

    const describes = (req: object) => refusal("DescribeInstancesActionTimer", cvm.DescribeInstancesActionTimer(req));
    expect((await describes({ StartActionTime: "yesterday" })).code).toBe("InvalidParameterValue.InvalidTimeFormat");
    expect((await describes({ StatusList: ["PENDING"] })).message).toContain("StatusList");
    expect((await describes({ ActionTimerIds: ["at-12345678"] })).message).toContain("ActionTimerIds");
    expect((await describes({ StartActionTime: ahead(2 * HOUR_MS), EndActionTime: ahead(HOUR_MS) })).message).toContain("EndActionTime");
    expect((await refusal("DeleteInstancesActionTimer", cvm.DeleteInstancesActionTimer({ ActionTimerIds: ["x"] }))).message).toContain("ActionTimerIds");

    // RunInstances refuses the same way, before launching anything.
    const before = (await cvm.DescribeInstances({ Limit: 100 })).TotalCount;
    const launchSoon = await refusal("RunInstances", launch(cvm, { ActionTimer: terminateAt(MINUTE_MS) }));
    expect(launchSoon.message).toContain("ActionTimer.ActionTime");
    expect((await cvm.DescribeInstances({ Limit: 100 })).TotalCount).toBe(before);
    expect(await timersOf([id])).toEqual([]);
  });

  it("shows another account nothing of an account's timers and lets it touch none of them", async () => {
    const [id] = await running();
    const [timer] = (await cvm.ImportInstancesActionTimer({ InstanceIds: [id], ActionTimer: terminateAt(HOUR_MS) })).ActionTimerIds!;
    expect((await other.DescribeInstancesActionTimer({})).ActionTimers).toEqual([]);
    expect((await other.DescribeInstancesActionTimer({ ActionTimerIds: [timer] })).ActionTimers).toEqual([]);
    expect((await other.DescribeInstancesActionTimer({ InstanceIds: [id] })).ActionTimers).toEqual([]);
    expect((await refusal("DeleteInstancesActionTimer", other.DeleteInstancesActionTimer({ ActionTimerIds: [timer] }))).code).toBe("ResourceNotFound");
    expect((await refusal("ImportInstancesActionTimer", other.ImportInstancesActionTimer({ InstanceIds: [id], ActionTimer: terminateAt(HOUR_MS) }))).code).toBe("InvalidInstanceId.NotFound");
    expect((await timersOf([id])).map((t) => [t.ActionTimerId, t.Status])).toEqual([[timer, "UNDO"]]);
    await cvm.DeleteInstancesActionTimer({ ActionTimerIds: [timer] });
  });
});
