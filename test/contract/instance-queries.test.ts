// Read-only instance queries through the official SDK: operation limits, the types an instance may change to, and
// the VNC console address (which the simulated backend cannot give).
import { describe as group, expect, it } from "vitest";
import { MAX_MODIFICATION_IDS } from "../../src/actions/cvm/instances/describe-instances-modification.js";
import { defaultCatalogData } from "../../src/catalog/index.js";
import type { InstanceTypeEntry } from "../../src/domain/catalog.js";
import { generateKeyPair } from "../../src/keys.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { launch, waitFor, ZONE } from "../helpers/instances.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const QUERIES = ["DescribeInstancesOperationLimit", "DescribeInstancesModification", "DescribeInstanceVncUrl"];
/** The request log lines of every server this file starts: each test checks the codes its queries answered with. */
const logs: string[][] = [];
everyRefusalDocumented(() => logs, (action) => QUERIES.includes(action));

let server: TestServer;
let cvm: ReturnType<typeof cvmClient>;
/** Two running instances in ZONE: S5.MEDIUM4 and SA2.SMALL2. */
let running: string[];
serverForFile(async (started) => {
  server = started;
  logs.push(server.logs);
  cvm = cvmClient(server, { language: "en-US" });
  const a = (await launch(cvm)).InstanceIdSet!;
  const b = (await launch(cvm, { InstanceType: "SA2.SMALL2" })).InstanceIdSet!;
  running = [...a, ...b];
  await waitFor(cvm, running, "RUNNING");
}, { OPENCVM_TIMING: "instant" });

const ids = (n: number) => Array.from({ length: n }, (_, i) => `ins-${String(i).padStart(8, "0")}`);

group("DescribeInstancesOperationLimit", () => {
  it("answers -1 / -1 (no limit: OpenCVM enforces none) for each instance, in the order asked", async () => {
    const out = await cvm.DescribeInstancesOperationLimit({ InstanceIds: [running[1], running[0]], Operation: "INSTANCE_DEGRADE" });
    expect(out.InstanceOperationLimitSet).toEqual([
      { Operation: "INSTANCE_DEGRADE", InstanceId: running[1], CurrentCount: -1, LimitCount: -1 },
      { Operation: "INSTANCE_DEGRADE", InstanceId: running[0], CurrentCount: -1, LimitCount: -1 },
    ]);
    const charge = await cvm.DescribeInstancesOperationLimit({ InstanceIds: [running[0]], Operation: "INTERNET_CHARGE_TYPE_CHANGE" });
    expect(charge.InstanceOperationLimitSet).toEqual([{ Operation: "INTERNET_CHARGE_TYPE_CHANGE", InstanceId: running[0], CurrentCount: -1, LimitCount: -1 }]);
  });

  it("answers for a stopped instance too", async () => {
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    await cvm.StopInstances({ InstanceIds: [id] });
    await waitFor(cvm, [id], "STOPPED");
    const out = await cvm.DescribeInstancesOperationLimit({ InstanceIds: [id], Operation: "INSTANCE_DEGRADE" });
    expect(out.InstanceOperationLimitSet).toHaveLength(1);
  });

  it.each([
    [{ InstanceIds: ["i-1"], Operation: "INSTANCE_DEGRADE" }, "InvalidParameterValue.InstanceIdMalformed", "i-1"],
    [{ InstanceIds: ["ins-zzzzzzzz"], Operation: "INSTANCE_DEGRADE" }, "InvalidInstanceId.NotFound", "ins-zzzzzzzz"],
    [{ InstanceIds: ids(101), Operation: "INSTANCE_DEGRADE" }, "InvalidParameterValue.LimitExceeded", "InstanceIds"],
    [{ InstanceIds: [], Operation: "INSTANCE_DEGRADE" }, "MissingParameter", "InstanceIds"],
    [{ InstanceIds: ["ins-zzzzzzzz"], Operation: "INSTANCE_UPGRADE" }, "InvalidParameterValue", "INSTANCE_UPGRADE"],
  ])("refuses %j with %s naming %s", async (params, code, named) => {
    const err = await sdkError(cvm.DescribeInstancesOperationLimit(params));
    expect(err.code).toBe(code);
    expect(err.message).toContain(named);
  });

  it("refuses the whole call when one id is unknown", async () => {
    const err = await sdkError(cvm.DescribeInstancesOperationLimit({ InstanceIds: [running[0], "ins-zzzzzzzz"], Operation: "INSTANCE_DEGRADE" }));
    expect(err).toMatchObject({ code: "InvalidInstanceId.NotFound", message: expect.stringContaining("ins-zzzzzzzz") });
  });

  it("is a MissingParameter without Operation", async () => {
    expect((await sdkError(cvm.DescribeInstancesOperationLimit({ InstanceIds: [running[0]] } as never))).code).toBe("MissingParameter");
  });
});

group("DescribeInstancesModification", () => {
  const catalog = defaultCatalogData();
  /** ResetInstancesType takes a type for an x86 instance without GPUs when the zone has it in stock and it is x86 without GPUs too. */
  const takes = (zone: string, t: InstanceTypeEntry) => t.zones[zone] === "SELL" && !t.gpu && t.architecture === "x86_64";
  const offeredIn = (zone: string) => catalog.instanceTypes.filter((t) => t.zones[zone] !== undefined);
  const expected = (zone: string, except: string[]) =>
    offeredIn(zone)
      .filter((t) => !except.includes(t.instanceType))
      .map((t) => ({
        Status: takes(zone, t) ? "SELL" : "UNAVAILABLE",
        Message: takes(zone, t) ? "" : expect.stringMatching(/./),
        InstanceTypeConfig: {
          Zone: zone,
          InstanceType: t.instanceType,
          InstanceFamily: t.family,
          GPU: t.gpu ? Math.ceil(t.gpu.count) : 0,
          CPU: t.cpu,
          Memory: t.memory,
          FPGA: 0,
          GpuCount: t.gpu?.count ?? 0,
          ...(t.gpu ? { GpuType: t.gpu.type, GpuMemory: t.gpu.memory } : {}),
        },
      }));

  it("lists every type the catalog offers in the instance's zone except its own, SELL where ResetInstancesType would take it", async () => {
    const out = await cvm.DescribeInstancesModification({ InstanceIds: [running[0]] });
    expect(out.InstanceTypeConfigStatusSet).toEqual(expected(ZONE, ["S5.MEDIUM4"]));
    expect(out.TotalCount).toBe(offeredIn(ZONE).length - 1);
    // A type may change across families, but not to a GPU one; a sold-out type says so.
    const byType = new Map(out.InstanceTypeConfigStatusSet!.map((s) => [s.InstanceTypeConfig!.InstanceType, s]));
    expect(new Set([...byType.values()].filter((s) => s.Status === "SELL").map((s) => s.InstanceTypeConfig!.InstanceFamily))).toEqual(new Set(["S5", "SA2", "M5", "C5"]));
    expect(byType.get("GN7.2XLARGE32")).toMatchObject({ Status: "UNAVAILABLE", Message: expect.stringContaining("GPU") });
    expect(byType.get("GN7.10XLARGE160")).toMatchObject({ Status: "UNAVAILABLE", Message: expect.stringContaining("sold out") });
  });

  it("marks a type only some of the instances have as UNAVAILABLE, naming them", async () => {
    const all = expected(ZONE, []);
    const out = await cvm.DescribeInstancesModification({ InstanceIds: running });
    expect(out.TotalCount).toBe(all.length);
    const byType = new Map(out.InstanceTypeConfigStatusSet!.map((s) => [s.InstanceTypeConfig!.InstanceType, s]));
    expect(byType.get("S5.MEDIUM4")).toMatchObject({ Status: "UNAVAILABLE", Message: expect.stringContaining(running[0]) });
    expect(byType.get("SA2.SMALL2")).toMatchObject({ Status: "UNAVAILABLE", Message: expect.stringContaining(running[1]) });
    expect(byType.get("M5.SMALL8")).toMatchObject({ Status: "SELL", Message: "" });

    const refused = all.filter((e) => e.Status === "UNAVAILABLE").map((e) => e.InstanceTypeConfig.InstanceType);
    const unavailableNames = all.map((e) => e.InstanceTypeConfig.InstanceType).filter((n) => refused.includes(n) || n === "S5.MEDIUM4" || n === "SA2.SMALL2");
    const sell = await cvm.DescribeInstancesModification({ InstanceIds: running, Filters: [{ Name: "status", Values: ["SELL"] }] });
    expect(sell.TotalCount).toBe(all.length - unavailableNames.length);
    expect(sell.InstanceTypeConfigStatusSet!.every((s) => s.Status === "SELL")).toBe(true);
    const unavailable = await cvm.DescribeInstancesModification({ InstanceIds: running, Filters: [{ Name: "status", Values: ["UNAVAILABLE"] }] });
    expect(unavailable.InstanceTypeConfigStatusSet!.map((s) => s.InstanceTypeConfig!.InstanceType)).toEqual(unavailableNames);
    const both = await cvm.DescribeInstancesModification({ InstanceIds: running, Filters: [{ Name: "status", Values: ["SELL", "UNAVAILABLE"] }] });
    expect(both.TotalCount).toBe(all.length);
    // Filters AND together.
    const none = await cvm.DescribeInstancesModification({
      InstanceIds: running,
      Filters: [
        { Name: "status", Values: ["SELL"] },
        { Name: "status", Values: ["UNAVAILABLE"] },
      ],
    });
    expect(none).toMatchObject({ TotalCount: 0, InstanceTypeConfigStatusSet: [] });
  });

  it("writes UNAVAILABLE reasons in the request's language", async () => {
    const zh = cvmClient(server, { language: "zh-CN" });
    const out = await zh.DescribeInstancesModification({ InstanceIds: running, Filters: [{ Name: "status", Values: ["UNAVAILABLE"] }] });
    expect(out.InstanceTypeConfigStatusSet!.find((s) => s.InstanceTypeConfig!.InstanceType === "S5.MEDIUM4")!.Message).toContain("已是实例");
  });

  it("answers in the instances' zone, whatever their state", async () => {
    const sh = cvmClient(server, { region: "ap-shanghai" });
    const [id] = (await launch(sh, { Placement: { Zone: "ap-shanghai-3" }, InstanceType: "M5.LARGE32" })).InstanceIdSet!;
    await waitFor(sh, [id], "RUNNING");
    await sh.StopInstances({ InstanceIds: [id] });
    await waitFor(sh, [id], "STOPPED");
    const out = await sh.DescribeInstancesModification({ InstanceIds: [id] });
    expect(out.InstanceTypeConfigStatusSet).toEqual(expected("ap-shanghai-3", ["M5.LARGE32"]));
  });

  it("refuses instances of different zones", async () => {
    const [other] = (await launch(cvm, { Placement: { Zone: "ap-guangzhou-4" } })).InstanceIdSet!;
    await waitFor(cvm, [other], "RUNNING");
    const err = await sdkError(cvm.DescribeInstancesModification({ InstanceIds: [running[0], other] }));
    expect(err.code).toBe("FailedOperation.ZoneInconsistent");
    expect(err.message).toContain("ap-guangzhou-4");
  });

  it.each([
    [{ InstanceIds: ["i-1"] }, "InvalidParameterValue.InstanceIdMalformed", "i-1"],
    [{ InstanceIds: ["ins-zzzzzzzz"] }, "InvalidInstanceId.NotFound", "ins-zzzzzzzz"],
    [{ InstanceIds: ids(MAX_MODIFICATION_IDS + 1) }, "InvalidParameterValue.LimitExceeded", "InstanceIds"],
    [{ InstanceIds: [] }, "MissingParameter", "InstanceIds"],
    [{ InstanceIds: ["ins-zzzzzzzz"], Filters: [{ Name: "zone", Values: ["ap-guangzhou-3"] }] }, "InvalidFilter", "zone"],
    [{ InstanceIds: ["ins-zzzzzzzz"], Filters: [{ Name: "status", Values: ["SELL", "UNAVAILABLE", "SELL"] }] }, "InvalidFilterValue.LimitExceeded", "Filters.0.Values"],
    [{ InstanceIds: ["ins-zzzzzzzz"], Filters: Array.from({ length: 11 }, () => ({ Name: "status", Values: ["SELL"] })) }, "InvalidFilterValue.LimitExceeded", "Filters"],
    [{ InstanceIds: ["ins-zzzzzzzz"], Filters: [{ Name: "status", Values: ["SOLD_OUT"] }] }, "InvalidParameterValue", "SOLD_OUT"],
  ])("refuses %j with %s naming %s", async (params, code, named) => {
    const err = await sdkError(cvm.DescribeInstancesModification(params));
    expect(err.code).toBe(code);
    expect(err.message).toContain(named);
  });

  it("takes up to 20 ids", async () => {
    const twenty = [...running, ...ids(MAX_MODIFICATION_IDS - running.length)];
    // Accepted as a batch; the unknown ones are then named.
    expect((await sdkError(cvm.DescribeInstancesModification({ InstanceIds: twenty }))).code).toBe("InvalidInstanceId.NotFound");
  });
});

group("DescribeInstanceVncUrl", () => {
  it("refuses a RUNNING instance clearly: the simulated backend has no console, so no address is made up", async () => {
    const err = await sdkError(cvm.DescribeInstanceVncUrl({ InstanceId: running[0] }));
    expect(err.code).toBe("UnsupportedOperation");
    expect(err.message).toContain(running[0]);
    expect(err.message).toContain("no VNC console");
    const zh = await sdkError(cvmClient(server, { language: "zh-CN" }).DescribeInstanceVncUrl({ InstanceId: running[0] }));
    expect(zh.message).toContain("没有 VNC 管理终端");
  });

  it("refuses other states with the documented InstanceState codes first", async () => {
    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    await cvm.StopInstances({ InstanceIds: [id] });
    await waitFor(cvm, [id], "STOPPED");
    const stopped = await sdkError(cvm.DescribeInstanceVncUrl({ InstanceId: id }));
    expect(stopped.code).toBe("UnsupportedOperation.InstanceStateStopped");
    expect(stopped.message).toContain(id);

    const [monthly] = (await launch(cvm, { InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } })).InstanceIdSet!;
    await waitFor(cvm, [monthly], "RUNNING");
    await cvm.TerminateInstances({ InstanceIds: [monthly] });
    await waitFor(cvm, [monthly], "SHUTDOWN");
    expect((await sdkError(cvm.DescribeInstanceVncUrl({ InstanceId: monthly }))).code).toBe("UnsupportedOperation.InstanceStateShutdown");
  });

  it("refuses an instance whose operation is still running, and one that failed to launch", async () => {
    const slow = await startServer({ OPENCVM_TIMING: "fast" });
    logs.push(slow.logs);
    try {
      const c = cvmClient(slow);
      const [pending] = (await launch(c)).InstanceIdSet!;
      expect((await sdkError(c.DescribeInstanceVncUrl({ InstanceId: pending }))).code).toBe("OperationDenied.InstanceOperationInProgress");
    } finally {
      await slow.close();
    }
    const faulty = await startServer({ OPENCVM_TIMING: "instant", OPENCVM_FAULTS: "launch=1" });
    logs.push(faulty.logs);
    try {
      const c = cvmClient(faulty);
      const [failed] = (await launch(c)).InstanceIdSet!;
      await waitFor(c, [failed], "LAUNCH_FAILED");
      // The action documents no InstanceStateLaunchFailed code: the generic one.
      expect((await sdkError(c.DescribeInstanceVncUrl({ InstanceId: failed }))).code).toBe("UnsupportedOperation");
    } finally {
      await faulty.close();
    }
  });

  it.each([
    ["i-1", "InvalidParameterValue.InstanceIdMalformed"],
    ["ins-zzzzzzzz", "InvalidInstanceId.NotFound"],
  ])("refuses %s with %s", async (InstanceId, code) => {
    const err = await sdkError(cvm.DescribeInstanceVncUrl({ InstanceId }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(InstanceId);
  });

  it("is a MissingParameter without InstanceId", async () => {
    expect((await sdkError(cvm.DescribeInstanceVncUrl({} as never))).code).toBe("MissingParameter");
  });
});

group("accounts", () => {
  it("never answer for another account's instance", async () => {
    const key = generateKeyPair();
    await server.store.accounts.create(key);
    const other = cvmClient(server, key);
    // Each call is made when it is awaited: one refused before its turn would be an unhandled rejection.
    for (const call of [
      () => other.DescribeInstancesOperationLimit({ InstanceIds: [running[0]], Operation: "INSTANCE_DEGRADE" }),
      () => other.DescribeInstancesModification({ InstanceIds: [running[0]] }),
      () => other.DescribeInstanceVncUrl({ InstanceId: running[0] }),
    ]) {
      const err = await sdkError(call());
      expect(err.code).toBe("InvalidInstanceId.NotFound");
      expect(err.message).toContain(running[0]);
    }
  });
});
