// DescribeRegions and DescribeZones, answered from the catalog.
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";

export const describeRegions = action<cvm.DescribeRegionsRequest, cvm.DescribeRegionsResponse>(
  "cvm",
  "DescribeRegions",
  (ctx, _params, { catalog }) => {
    const RegionSet = catalog.regions.map((r) => ({ Region: r.region, RegionName: r.name[ctx.language], RegionState: r.state }));
    return { TotalCount: RegionSet.length, RegionSet };
  },
  { regionless: true, catalogOnly: true },
);

export const describeZones = action<cvm.DescribeZonesRequest, cvm.DescribeZonesResponse>("cvm", "DescribeZones", (ctx, _params, { catalog }) => {
  // The pipeline has checked the region exists before any handler runs.
  const ZoneSet = catalog.region(ctx.region!)!.zones.map((z) => ({
    Zone: z.zone,
    ZoneName: z.name[ctx.language],
    ZoneId: z.zoneId,
    ZoneState: z.state,
  }));
  return { TotalCount: ZoneSet.length, ZoneSet };
}, { catalogOnly: true });
