// Read-only instance queries through the official SDK: operation limits, the types an instance may change to, and
// the VNC console address (the simulated backend's own still screen, over RFB).
import { describe as group, expect, it, vi } from "vitest";
import { MAX_MODIFICATION_IDS } from "../../src/actions/cvm/instances/describe-instances-modification.js";
import { defaultCatalogData } from "../../src/catalog/index.js";
import { TICKET_LIFETIME_MS } from "../../src/domain/console-tickets.js";
import type { InstanceTypeEntry } from "../../src/domain/catalog.js";
import { generateKeyPair } from "../../src/keys.js";
import { everyRefusalDocumented } from "../helpers/documented-refusals.js";
import { launch, waitFor, ZONE } from "../helpers/instances.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";
import { openVnc } from "../helpers/vnc-client.js";

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
  it("answers a URL-encoded websocket address whose RFB screen names the instance and shows a picture", async () => {
    const { InstanceVncUrl } = await cvm.DescribeInstanceVncUrl({ InstanceId: running[0] });
    expect(InstanceVncUrl).toMatch(/^ws%3A%2F%2F127\.0\.0\.1%3A\d+%2Fvnc%3Fs%3D[\w-]{32}$/);
    const { ws, read } = await openVnc(decodeURIComponent(InstanceVncUrl!));
    try {
      expect(ws.protocol).toBe("binary");
      expect((await read(12)).toString()).toBe("RFB 003.008\n");
      ws.send(Buffer.from("RFB 003.008\n"));
      expect([...(await read(2))]).toEqual([1, 1]); // one security type: None
      ws.send(Buffer.from([1]));
      expect((await read(4)).readUInt32BE(0)).toBe(0); // security result: OK
      ws.send(Buffer.from([1])); // ClientInit, shared
      const init = await read(24);
      expect([init.readUInt16BE(0), init.readUInt16BE(2), init[4], init[7]]).toEqual([640, 400, 32, 1]);
      const name = (await read(init.readUInt32BE(20))).toString();
      expect(name).toBe(`OpenCVM simulated instance ${running[0]}`);

      // Keys and the pointer are taken and ignored; the whole screen comes raw, in the server's own format.
      ws.send(Buffer.from([4, 1, 0, 0, 0, 0, 0, 0x61, 5, 1, 0, 10, 0, 10]));
      ws.send(Buffer.from([2, 0, 0, 1, 0, 0, 0, 0])); // SetEncodings: raw
      ws.send(Buffer.from([3, 0, 0, 0, 0, 0, 2, 128, 1, 144])); // FramebufferUpdateRequest 640x400, not incremental
      const header = await read(16);
      expect([header[0], header.readUInt16BE(2), header.readUInt16BE(8), header.readUInt16BE(10), header.readInt32BE(12)]).toEqual([0, 1, 640, 400, 0]);
      const pixels = await read(640 * 400 * 4);
      const colours = new Set(Array.from({ length: 640 * 400 }, (_, i) => pixels.readUInt32LE(i * 4) & 0xffffff));
      expect(colours.size).toBe(2);

      // noVNC's own format (red in the low byte): the top-left pixel is the background, blue above red.
      ws.send(Buffer.from([0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 0, 8, 16, 0, 0, 0]));
      ws.send(Buffer.from([3, 0, 0, 0, 0, 0, 0, 1, 0, 1]));
      expect((await read(16)).readUInt16BE(8)).toBe(1);
      const [red, , blue] = await read(4);
      expect(blue).toBeGreaterThan(red);
    } finally {
      ws.close();
    }
  });

  it("refuses an address used once already, one past its 15 seconds, and one whose instance stopped", async () => {
    const address = async (InstanceId: string) => decodeURIComponent((await cvm.DescribeInstanceVncUrl({ InstanceId })).InstanceVncUrl!);
    const used = await address(running[0]);
    const late = await address(running[0]);
    const first = await openVnc(used);
    expect((await first.read(12)).toString()).toBe("RFB 003.008\n");
    first.ws.close();
    await expect(openVnc(used)).rejects.toThrow("refused: 403");
    // The proxy reads the time when the address is shown: one shown a second after its lifetime.
    const shown = Date.now() + TICKET_LIFETIME_MS + 1000;
    const clock = vi.spyOn(Date, "now").mockReturnValue(shown);
    try {
      await expect(openVnc(late)).rejects.toThrow("refused: 403");
    } finally {
      clock.mockRestore();
    }
    await expect(openVnc(`ws://127.0.0.1:${server.port}/vnc?s=${"A".repeat(32)}`)).rejects.toThrow("refused: 403");

    const [id] = (await launch(cvm)).InstanceIdSet!;
    await waitFor(cvm, [id], "RUNNING");
    const before = await address(id);
    await cvm.StopInstances({ InstanceIds: [id] });
    await waitFor(cvm, [id], "STOPPED");
    await expect(openVnc(before)).rejects.toThrow("refused: 409");
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
