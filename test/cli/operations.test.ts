// Running it for real: the health path without credentials, Prometheus metrics scraped and parsed, an event log a
// person can follow (a launch, a failure and an arrears isolation, each with the RequestId DescribeInstances shows),
// and a SIGTERM in the middle of a workload that loses nothing.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describe as describeInstances, launch, waitFor } from "../helpers/instances.js";
import { opencvm } from "../helpers/cli.js";
import { freePort, spawnServer } from "../helpers/process.js";
import { admin, cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  // Starts fail, so that a failure is in the log beside the successes.
  server = await startServer({ OPENCVM_TIMING: "instant", OPENCVM_FAULTS: "start=1" });
});
afterAll(() => server.close());

const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

/** Prometheus text as {name, labels, value} samples. */
function samples(text: string) {
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(l);
      if (!m) throw new Error(`not a sample line: ${l}`);
      const labels = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
      return { name: m[1], labels, value: Number(m[3]) };
    });
}

describe("a server run for real", () => {
  let launched: string;
  let launchRequest: string;
  let startRequest: string;

  it("answers GET /_opencvm/health without credentials", async () => {
    const res = await fetch(url("/_opencvm/health"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ Live: true, Ready: true, Billing: { LagSeconds: 0, Failures: 0 } });
  });

  it("logs a launch, a failure and an arrears isolation with their RequestIds, which `opencvm logs` shows", async () => {
    const cvm = cvmClient(server, { language: "en-US" });
    const run = await launch(cvm);
    [launched] = run.InstanceIdSet!;
    launchRequest = run.RequestId!;
    await waitFor(cvm, [launched], "RUNNING");
    await cvm.StopInstances({ InstanceIds: [launched] });
    await waitFor(cvm, [launched], "STOPPED");
    startRequest = (await cvm.StartInstances({ InstanceIds: [launched] })).RequestId!;
    const [failed] = await waitFor(cvm, [launched], "STOPPED");
    expect(failed.LatestOperationState).toBe("FAILED");

    // No money left: the account goes into arrears, and two hours later its pay-as-you-go instances are isolated.
    const port = String(server.port);
    const appId = String(server.defaultAccount.account.appId);
    expect((await opencvm(["accounts", "balance", appId, "0", "--port", port])).code).toBe(0);
    const advanced = await opencvm(["clock", "advance", "5h", "--port", port]);
    expect(advanced.code, advanced.stderr).toBe(0);
    const [isolated] = await waitFor(cvm, [launched], "SHUTDOWN");
    const isolation = isolated.LatestOperationRequestId!;

    const logs = await opencvm(["logs", "--json", "-n", "1000", "--port", port]);
    expect(logs.code, logs.stderr).toBe(0);
    const events = logs.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    const find = (kind: string, pattern: RegExp, requestId?: string) => events.find((e) => e.kind === kind && pattern.test(e.msg) && (!requestId || e.requestId === requestId));
    expect(find("operation", new RegExp(`^RunInstances succeeded on ${launched}$`), launchRequest)).toBeDefined();
    expect(find("instance", new RegExp(`^${launched} is RUNNING$`), launchRequest)).toBeDefined();
    expect(find("operation", new RegExp(`^StartInstances failed on ${launched}: injected start fault`), startRequest)).toMatchObject({ result: "FAILED" });
    expect(find("billing", new RegExp(`^AppId ${appId} is in arrears since `))).toBeDefined();
    expect(find("billing", new RegExp(`^${launched} isolated: the account is in arrears$`), isolation)).toBeDefined();
    expect(find("instance", new RegExp(`^${launched} is SHUTDOWN$`), isolation)).toBeDefined();
    expect(find("clock", /^clock moved 18000 s forward to /)).toBeDefined();
    expect(find("admin", /^POST \/_opencvm\/balance answered 200$/)).toBeDefined();
    expect(find("service", /^OpenCVM started on /)).toBeDefined();

    // The human form: one line per event, its time, kind and sentence.
    const text = await opencvm(["logs", "--kind", "billing", "--port", port]);
    expect(text.stdout).toMatch(new RegExp(`^\\S+Z  billing    ${launched} isolated: the account is in arrears  \\(instance=${launched} appId=${appId} requestId=${isolation}\\)$`, "m"));
    // The request log keeps its one line per request.
    expect(server.logs.filter((l) => l.includes(`id=${launchRequest}`) && l.includes("msg=request"))).toHaveLength(1);
  }, 120_000);

  it("serves Prometheus metrics: requests by action and code, latencies, operations, instances by state, VMs, billing", async () => {
    const refused = await sdkError(cvmClient(server).DescribeInstances({ Limit: 1000 }));
    const res = await admin(server, "/_opencvm/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const all = samples(await res.text());
    const one = (name: string, labels: Record<string, string> = {}) => all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    expect(one("opencvm_requests_total", { action: "RunInstances", code: "OK" })?.value).toBe(1);
    expect(one("opencvm_requests_total", { action: "DescribeInstances", code: refused.code })?.value).toBe(1);
    expect(one("opencvm_request_duration_seconds_count", { action: "RunInstances" })?.value).toBe(1);
    expect(one("opencvm_request_duration_seconds_bucket", { action: "RunInstances", le: "+Inf" })?.value).toBe(1);
    expect(one("opencvm_operations_total", { kind: "RunInstances", outcome: "SUCCESS" })?.value).toBe(1);
    expect(one("opencvm_operations_total", { kind: "StartInstances", outcome: "FAILED" })?.value).toBe(1);
    expect(one("opencvm_instances", { state: "SHUTDOWN" })?.value).toBe(1);
    expect(one("opencvm_vms_running")).toBeDefined();
    expect(one("opencvm_billed_amount")?.value).toBeGreaterThan(0);
    expect(one("opencvm_billing_lag_seconds")?.value).toBe(0);
    expect(one("opencvm_billing_settlement_failures")?.value).toBe(0);
    expect(one("opencvm_billing_failing_accounts")?.value).toBe(0);
    expect(one("opencvm_process_cpu_seconds_total")).toBeDefined();
  });
});

describe("SIGTERM", () => {
  it("during a workload: requests stop being taken, nothing answered is lost, machines are left running, the stop is logged", async () => {
    const data = mkdtempSync(join(tmpdir(), "opencvm-sigterm-"));
    const port = await freePort();
    const first = await spawnServer(data, port, { OPENCVM_TIMING: "fast" });
    const cvm = cvmClient(first.target);
    const answered: string[] = [];
    let refused = 0;
    let stopped = false;
    const worker = async () => {
      while (!stopped) {
        try {
          answered.push(...(await launch(cvm)).InstanceIdSet!);
        } catch {
          refused++;
          return;
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (answered.length < 10) await new Promise((r) => setTimeout(r, 20));
    const exited = new Promise<number | null>((resolve) => first.child.once("exit", (code) => resolve(code)));
    first.child.kill("SIGTERM");
    const code = await exited;
    stopped = true;
    await Promise.all(workers);
    expect(code).toBe(0);
    expect(first.output()).toMatch(/OpenCVM stopping: no new requests/);
    expect(first.output()).toMatch(/msg="OpenCVM stopped"/);
    expect(refused).toBeGreaterThan(0);

    const second = await spawnServer(data, port, { OPENCVM_TIMING: "fast" });
    try {
      const after = cvmClient(second.target);
      // Every launch that was answered exists, and the work the stop handed back finishes.
      const found = await waitFor(after, answered, "RUNNING", 30_000);
      expect(found.map((i) => i.InstanceId).sort()).toEqual([...answered].sort());
      expect((await describeInstances(after, answered)).every((i) => i.LatestOperationState === "SUCCESS")).toBe(true);
      const service = await opencvm(["logs", "--kind", "service", "--port", String(port)]);
      expect(service.stdout).toMatch(/OpenCVM stopping: no new requests[^\n]*\n[^\n]*OpenCVM stopped[^\n]*\n[^\n]*OpenCVM started on/);
    } finally {
      second.child.kill("SIGKILL");
    }
  }, 120_000);
});
