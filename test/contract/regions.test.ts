// DescribeRegions and DescribeZones answer from the catalog of the real public regions.
import { describe, expect, it } from "vitest";
import { outputProblems } from "../../src/api/output-check.js";
import { cvmClient, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

let server: TestServer;
serverForFile((started) => (server = started));

describe("DescribeRegions", () => {
  it("lists the public regions in the request's language, with or without a Region", async () => {
    const zh = await cvmClient(server, { region: null }).DescribeRegions();
    expect(outputProblems("cvm", "DescribeRegions", zh as Record<string, unknown>)).toEqual([]);
    expect(zh.TotalCount).toBe(zh.RegionSet?.length);
    expect(zh.RegionSet).toContainEqual({ Region: "ap-guangzhou", RegionName: "华南地区(广州)", RegionState: "AVAILABLE" });
    const en = await cvmClient(server, { language: "en-US", signMethod: "HmacSHA1" }).DescribeRegions();
    expect(en.RegionSet).toContainEqual({ Region: "na-siliconvalley", RegionName: "West US(Silicon Valley)", RegionState: "AVAILABLE" });
  });
});

describe("DescribeZones", () => {
  it("answers every listed region with its own zones, ids derived from the region code", async () => {
    const { RegionSet } = await cvmClient(server).DescribeRegions();
    for (const Region of RegionSet!.map((r) => r.Region!)) {
      const out = await cvmClient(server, { region: Region, language: "en-US" }).DescribeZones();
      expect(outputProblems("cvm", "DescribeZones", out as Record<string, unknown>)).toEqual([]);
      expect(out.TotalCount).toBeGreaterThan(0);
      const codes = new Set<string>();
      for (const z of out.ZoneSet!) {
        if (!z.Zone) throw new Error("a zone without a name");
        expect(z.Zone).toMatch(new RegExp(`^${Region}-\\d+$`));
        const n = Number(z.Zone.slice(Region.length + 1));
        expect(Number(z.ZoneId) % 1000).toBe(n);
        codes.add(String(Math.floor(Number(z.ZoneId) / 1000)));
        expect(z.ZoneName).toMatch(new RegExp(` Zone ${n}$`));
        expect(["AVAILABLE", "UNAVAILABLE"]).toContain(z.ZoneState);
      }
      expect(codes.size).toBe(1);
    }
  });

  it("reports the zones the real cloud has sold out as UNAVAILABLE", async () => {
    const out = await cvmClient(server, { region: "ap-beijing" }).DescribeZones();
    expect(out.ZoneSet?.find((z) => z.Zone === "ap-beijing-1")?.ZoneState).toBe("UNAVAILABLE");
    expect(out.ZoneSet?.find((z) => z.Zone === "ap-beijing-3")).toEqual({ Zone: "ap-beijing-3", ZoneName: "北京三区", ZoneId: "800003", ZoneState: "AVAILABLE" });
  });
});
