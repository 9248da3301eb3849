// The test suite checks every answer against the spec; an answer outside it is a bug the client sees as InternalError.
import { describe, expect, it } from "vitest";
import { action } from "../../src/api/action.js";
import { outputProblems } from "../../src/api/output-check.js";
import { cvmClient, sdkError, startServer } from "../helpers/server.js";

describe("the output check", () => {
  it("names missing, undeclared and mistyped members", () => {
    expect(outputProblems("cvm", "DescribeZones", { TotalCount: "1", ZoneSet: [{ Zone: "z", ZoneName: "n", ZoneId: 1, Extra: true }] })).toEqual([
      'DescribeZones.TotalCount: "1" is not uint64',
      "DescribeZones.ZoneSet.0.Extra: not declared by ZoneInfo",
      "DescribeZones.ZoneSet.0.ZoneId: 1 is not string",
      "DescribeZones.ZoneSet.0.ZoneState: missing",
    ]);
  });

  it("turns an answer outside the spec into InternalError in the test server", async () => {
    const sloppy = action("cvm", "DescribeZones", () => ({ TotalCount: 0, ZoneSet: [], Bonus: 1 }));
    const server = await startServer({}, [sloppy]);
    try {
      const err = await sdkError(cvmClient(server).DescribeZones());
      expect(err.code).toBe("InternalError");
      expect(server.logs.find((l) => l.includes(err.requestId))).toContain("Bonus: not declared");
    } finally {
      await server.close();
    }
  });
});
