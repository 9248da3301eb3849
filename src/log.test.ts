import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createLogger } from "./log.js";

describe("the access log line", () => {
  it("is the line info('request', …) writes for the same fields, in both formats", () => {
    const access = fc.record({
      id: fc.uuid(),
      account: fc.option(fc.nat(), { nil: undefined }),
      action: fc.option(fc.string(), { nil: undefined }),
      region: fc.option(fc.string(), { nil: undefined }),
      ms: fc.double({ min: 0, max: 1e5, noNaN: true }),
      code: fc.constantFrom("OK", "InvalidParameter", "AuthFailure.SignatureFailure"),
    });
    fc.assert(
      fc.property(access, fc.constantFrom("text" as const, "json" as const), (a, format) => {
        const lines: string[] = [];
        const log = createLogger("info", (l) => lines.push(l), format);
        log.access(a);
        log.info("request", { id: a.id, account: a.account, action: a.action, region: a.region, ms: a.ms.toFixed(2), code: a.code });
        expect(lines).toHaveLength(2);
        // The same millisecond's timestamp is not guaranteed: compare the rest.
        const rest = (l: string) => (format === "json" ? { ...(JSON.parse(l) as object), ts: "" } : l.replace(/^ts=\S+ /, ""));
        expect(rest(lines[0])).toEqual(rest(lines[1]));
      }),
    );
  });

  it("is not written below info level", () => {
    const lines: string[] = [];
    createLogger("warn", (l) => lines.push(l)).access({ id: "r", account: 1, action: "DescribeZones", region: "ap-guangzhou", ms: 1, code: "OK" });
    expect(lines).toEqual([]);
  });
});
