// Load (issue 7, point 4): a real server process on loopback, many accounts, many simulated users at once, each
// living through a small deployment's life (test/long/load-user.ts) with the real cloud's rate limits on. Bounded
// by a count of requests and a duration, whichever ends first. Every answer must be a success or
// RequestLimitExceeded, the documented throttling; afterwards every instance settles and the store's invariants
// hold. Latency percentiles and throughput are printed (docs/reliability.md, "Load"), never asserted.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cpuMs } from "../../bench/common.js";
import { freePort, kill9, spawnServer, type ServerProcess } from "../helpers/process.js";
import { cvmClient, startServer } from "../helpers/server.js";
import { invariantProblems, type Caller } from "../trust/invariants.js";
import { createAccounts } from "./accounts.js";
import { bound } from "./bounds.js";
import { Budget, Tally, type Latency } from "./load-tally.js";
import { LoadUser } from "./load-user.js";

const REQUESTS = bound("LOAD_REQUESTS", 40_000);
const SECONDS = bound("LOAD_SECONDS", 40);
const ACCOUNTS = bound("LOAD_ACCOUNTS", 16);
const CONCURRENCY = bound("LOAD_CONCURRENCY", 64);

describe("load from many accounts at once", () => {
  it(`answers ${CONCURRENCY} users of ${ACCOUNTS} accounts with successes and throttling only`, { timeout: (SECONDS + 120) * 1000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), "opencvm-load-"));
    const accounts = await createAccounts(data, ACCOUNTS);
    const server = await spawnServer(data, await freePort(), { OPENCVM_RATE_LIMIT: "default", OPENCVM_TIMING: "fast" });
    const tally = new Tally();
    try {
      const budget = new Budget(REQUESTS, SECONDS);
      const cpuBefore = cpuMs(server.child.pid!);
      await Promise.all(Array.from({ length: CONCURRENCY }, (_, u) => new LoadUser(server.target, accounts[u % ACCOUNTS], Math.floor(u / ACCOUNTS), budget, tally).run()));
      tally.end();
      report(tally, cpuMs(server.child.pid!) - cpuBefore);
      expect(tally.unexpected.slice(0, 20)).toEqual([]);
      expect(serverCodes(server)).toEqual(expect.arrayContaining(["OK"]));
      expect(serverCodes(server).filter((c) => c !== "OK" && c !== "RequestLimitExceeded")).toEqual([]);
      for (const account of accounts) await settle(server, account);
    } finally {
      await kill9(server);
    }
    // The same data, opened in-process, for the invariant checker.
    const check = await startServer({ OPENCVM_DATA: data });
    try {
      expect(await invariantProblems(check, accounts)).toEqual([]);
    } finally {
      await check.close();
    }
  });
});

/** Waits until no instance of the account has an operation in progress; each then shows a settled state. */
async function settle(server: ServerProcess, account: Caller): Promise<void> {
  const cvm = cvmClient(server.target, account);
  const until = Date.now() + 30_000;
  for (;;) {
    const set = (await cvm.DescribeInstances({ Limit: 100 })).InstanceSet!;
    if (!set.some((i) => i.LatestOperationState === "OPERATING")) {
      expect(set.filter((i) => i.LatestOperationState !== "SUCCESS" || !["RUNNING", "STOPPED"].includes(i.InstanceState!))).toEqual([]);
      return;
    }
    if (Date.now() > until) throw new Error(`account ${account.appId}: instances did not settle`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The distinct codes of the server's own log lines, one per request. */
function serverCodes(server: ServerProcess): string[] {
  return [...new Set([...server.output().matchAll(/ msg=request .* code=(\S+)/g)].map((m) => m[1]))];
}

/** Prints the figures, with the server's own CPU time per answer (which barely moves when the machine is busy). */
function report(tally: Tally, serverCpuMs: number): void {
  const f = tally.figures();
  const ms = (l: Latency) => `p50 ${l.p50.toFixed(1)} p90 ${l.p90.toFixed(1)} p99 ${l.p99.toFixed(1)} max ${l.max.toFixed(1)}`;
  const lines = [
    `load: ${CONCURRENCY} users of ${ACCOUNTS} accounts, ${f.answers} answers in ${f.seconds.toFixed(1)} s (${f.perSecond.toFixed(0)}/s), ` +
      `${f.throttled} throttled (${((100 * f.throttled) / f.answers).toFixed(1)}%), server CPU ${((1000 * serverCpuMs) / f.answers).toFixed(0)} µs per answer`,
    `  latency ms, every answer: ${ms(f.all)}; successes: ${ms(f.succeeded)}`,
    ...[...tally.codes].sort(([a], [b]) => a.localeCompare(b)).map(([action, codes]) => `  ${action}: ${[...codes].map(([c, n]) => `${c} ${n}`).join(", ")}`),
  ];
  console.log(lines.join("\n"));
}
