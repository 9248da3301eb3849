import fc from "fast-check";
import { Counter, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { RequestStats } from "./request-stats.js";

describe("the request metrics", () => {
  it("expose the lines prom-client's own counter and histogram would for the same requests", async () => {
    const request = fc.record({
      action: fc.constantFrom("", "DescribeZones", "RunInstances"),
      code: fc.constantFrom("OK", "InvalidParameter", "AuthFailure.SignatureFailure"),
      seconds: fc.oneof(fc.double({ min: 0, max: 5, noNaN: true }), fc.constantFrom(0.0005, 0.001, 0.0025, 2.5)),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { maxLength: 40 }), async (requests) => {
        const kept = new Registry();
        const stats = new RequestStats(kept);
        const reference = new Registry();
        const counter = new Counter({ name: "opencvm_requests_total", help: "API requests answered, by action and result code (OK for a success).", labelNames: ["action", "code"], registers: [reference] });
        const histogram = new Histogram({
          name: "opencvm_request_duration_seconds",
          help: "Time from a request's arrival to its answer, by action.",
          labelNames: ["action"],
          buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
          registers: [reference],
        });
        for (const r of requests) {
          stats.request(r.action, r.code, r.seconds);
          counter.inc({ action: r.action, code: r.code });
          histogram.observe({ action: r.action }, r.seconds);
        }
        // The same lines; the order of series within a metric means nothing to a scraper.
        const lines = async (r: Registry) => (await r.metrics()).split("\n").sort();
        expect(await lines(kept)).toEqual(await lines(reference));
      }),
    );
  });
});
