// The official SDKs reach the server with every signing method and request style they support, and the
// parameters arrive the same whatever the encoding.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action } from "../../src/api/action.js";
import { ACTIONS } from "../../src/actions/index.js";
import { COMBINATIONS, commonClient, cvmClient, startServer, type TestServer } from "../helpers/server.js";
import { outputProblems } from "../helpers/contract.js";

// Handlers that record what reached them, standing in for actions that take lists and filters.
const received: Record<string, unknown>[] = [];
const recordInstances = action("cvm", "DescribeInstances", (_ctx, params: Record<string, unknown>) => {
  received.push(params);
  return { TotalCount: 0, InstanceSet: [] };
});
const recordVpcs = action("vpc", "DescribeVpcs", (_ctx, params: Record<string, unknown>) => {
  received.push(params);
  return { TotalCount: 0, VpcSet: [] };
});

let server: TestServer;
beforeAll(async () => {
  server = await startServer({}, [...ACTIONS, recordInstances, recordVpcs]);
});
afterAll(() => server.close());

describe.each(COMBINATIONS)("%s over %s", (signMethod, reqMethod) => {
  it("answers DescribeZones with the region's zones", async () => {
    const out = await cvmClient(server, { signMethod, reqMethod }).DescribeZones();
    expect(out.TotalCount).toBe(6);
    expect(out.ZoneSet?.map((z) => z.Zone)).toEqual(["ap-guangzhou-1", "ap-guangzhou-2", "ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6", "ap-guangzhou-7"]);
    expect(out.ZoneSet?.[2]).toEqual({ Zone: "ap-guangzhou-3", ZoneName: "广州三区", ZoneId: "100003", ZoneState: "AVAILABLE" });
    expect(out.ZoneSet?.[0].ZoneState).toBe("UNAVAILABLE");
    expect(outputProblems("cvm", "DescribeZones", out as Record<string, unknown>)).toEqual([]);
  });

  it("delivers a list, filters with value lists and numbers, typed as the spec says", async () => {
    received.length = 0;
    const filters = [
      { Name: "zone", Values: ["ap-guangzhou-3", "ap-guangzhou-4"] },
      { Name: "tag:env", Values: ["prod env"] },
    ];
    // Twelve ids, so a text sort of the flattened indexes (.10 before .2) would show.
    const ids = Array.from({ length: 12 }, (_, i) => `ins-${String(i).padStart(8, "0")}`);
    await cvmClient(server, { signMethod, reqMethod }).DescribeInstances({ InstanceIds: ids, Filters: filters, Offset: 0, Limit: 100 });
    expect(received).toEqual([{ InstanceIds: ids, Filters: filters, Offset: 0, Limit: 100 }]);
  });

  it("serves vpc through the CommonClient with the same parameters", async () => {
    received.length = 0;
    const params = { VpcIds: ["vpc-aaaaaaaa", "vpc-bbbbbbbb"], Filters: [{ Name: "is-default", Values: ["true"] }], Offset: "0", Limit: "20" };
    const out = await commonClient(server, "2017-03-12", { signMethod, reqMethod }).request("DescribeVpcs", params);
    expect(received).toEqual([params]);
    expect(outputProblems("vpc", "DescribeVpcs", out)).toEqual([]);
  });
});

describe("the language of an answer", () => {
  it("follows X-TC-Language (TC3) and Language (v1)", async () => {
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"] as const) {
      const en = await cvmClient(server, { signMethod, language: "en-US" }).DescribeZones();
      expect(en.ZoneSet?.[2].ZoneName).toBe("Guangzhou Zone 3");
      const zh = await cvmClient(server, { signMethod, language: "zh-CN" }).DescribeZones();
      expect(zh.ZoneSet?.[2].ZoneName).toBe("广州三区");
    }
  });
});
