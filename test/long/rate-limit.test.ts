// The rate limiter measured from outside: one account calls one action of a real server process started with
// OPENCVM_RATE_LIMIT=N, first at half the rate (never throttled), then at three times the rate (throttled, with
// about N accepted per second). Only counts are asserted, with bounds that timing noise cannot cross; the
// tolerances are argued where they are set.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, kill9, spawnServer, type ServerProcess } from "../helpers/process.js";
import { cvmClient } from "../helpers/server.js";

const RATE = 20;
const BELOW_SECONDS = 4;
const ABOVE_SECONDS = 5;

let server: ServerProcess;
let cvm: ReturnType<typeof cvmClient>;
beforeAll(async () => {
  server = await spawnServer(mkdtempSync(join(tmpdir(), "opencvm-rate-")), await freePort(), { OPENCVM_RATE_LIMIT: String(RATE) });
  cvm = cvmClient(server.target);
});
afterAll(() => kill9(server));

/** The codes of the server's answers to DescribeZones, in the order it gave them (its log). */
const logged = () => [...server.output().matchAll(/ action=DescribeZones .* code=(\S+)/g)].map((m) => m[1]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const code = (call: Promise<unknown>) => call.then(() => "OK", (e: { code?: string }) => e.code ?? String(e));

describe(`OPENCVM_RATE_LIMIT=${RATE}`, () => {
  it(`never throttles ${RATE / 2} calls a second`, async () => {
    // One call at a time, each sent at least 1/(N/2) s after the previous one (never sooner to catch up after a
    // stall): arrivals cannot bunch, and the bucket (N tokens, N more a second) could only run dry if the server
    // saw more than N/2 calls a second for over a second.
    const codes: string[] = [];
    const interval = 1000 / (RATE / 2);
    const end = performance.now() + BELOW_SECONDS * 1000;
    for (let next = performance.now(); next < end; next = Math.max(next + interval, performance.now())) {
      await sleep(next - performance.now());
      codes.push(await code(cvm.DescribeZones()));
    }
    console.log(`rate limit ${RATE}/s, offered ${RATE / 2}/s for ${BELOW_SECONDS} s: ${codes.length} calls, ${codes.filter((c) => c !== "OK").length} refused`);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.filter((c) => c !== "OK")).toEqual([]);
  });

  it(`accepts about ${RATE} calls a second, and the first ${RATE} at once, of ${RATE * 3} offered`, async () => {
    await sleep(1500); // a full bucket to start from
    const calls = logged().length;
    // Sent on a fixed schedule without waiting for answers, so that a slow answer does not lower the offered rate.
    const interval = 1000 / (RATE * 3);
    const first = performance.now();
    const answers: Promise<string>[] = [];
    for (let k = 0; k < RATE * 3 * ABOVE_SECONDS; k++) {
      await sleep(first + k * interval - performance.now());
      answers.push(code(cvm.DescribeZones()));
    }
    const codes = await Promise.all(answers);
    const span = (performance.now() - first) / 1000;
    const accepted = codes.filter((c) => c === "OK").length;
    const throttled = codes.filter((c) => c === "RequestLimitExceeded").length;
    console.log(`rate limit ${RATE}/s, offered ${RATE * 3}/s for ${ABOVE_SECONDS} s: ${codes.length} calls over ${span.toFixed(2)} s, ${accepted} accepted (${(accepted / span).toFixed(1)}/s), ${throttled} RequestLimitExceeded`);
    expect(accepted + throttled).toBe(codes.length);

    // A bucket of N tokens refilled at N a second can accept no more than N + N·t in t seconds, and the server saw
    // every call between the first send and the last answer: a hard bound, whatever the timing.
    expect(accepted).toBeLessThanOrEqual(RATE + RATE * span + 1);
    // Offered three times the rate, the bucket is empty from the first second on and every token is taken as soon
    // as it is made; tokens are lost only while the server hears no call for about a second. Accepting 80% of
    // N + N·t would take a stall of over a second of the five (where a busy two-core machine stalls for tens of ms).
    expect(accepted).toBeGreaterThanOrEqual(0.8 * (RATE + RATE * ABOVE_SECONDS));

    // "Not before": in the order the server answered, the first refusal follows at least N acceptances.
    while (logged().length < calls + codes.length) await sleep(50);
    const answered = logged().slice(calls);
    expect(answered.indexOf("RequestLimitExceeded")).toBeGreaterThanOrEqual(RATE);
  });
});
