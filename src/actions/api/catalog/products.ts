// The api service's region and zone lists (tencentcloud_availability_zones_by_product, ..._regions), answered from
// the catalog for the products OpenCVM serves: they sell in the same regions and zones.
import { action } from "../../../api/action.js";
import type * as api from "../../../api/generated/api-types.js";
import type { Catalog } from "../../../domain/catalog.js";
import { fail } from "../../../domain/errors.js";

const PRODUCTS = ["cvm", "vpc", "cbs"] as const;

function checkProduct(product: string): void {
  if (!(PRODUCTS as readonly string[]).includes(product)) {
    throw fail(
      "UnsupportedOperation",
      `\`Product\` = \`${product}\`: OpenCVM serves the regions and zones of ${PRODUCTS.join(", ")} only.`,
      `\`Product\` = \`${product}\`：OpenCVM 只提供 ${PRODUCTS.join("、")} 的地域与可用区。`,
    );
  }
}

export const describeProducts = action<api.DescribeProductsRequest, api.DescribeProductsResponse>("api", "DescribeProducts", (_ctx, p) => {
  const offset = p.Offset ?? 0;
  const limit = p.Limit ?? 20;
  return { Products: PRODUCTS.slice(offset, offset + limit).map((Name) => ({ Name })), TotalCount: PRODUCTS.length };
}, { catalogOnly: true });

export const describeProductRegions = action<api.DescribeRegionsRequest, api.DescribeRegionsResponse>("api", "DescribeRegions", (ctx, p, { catalog }) => {
  checkProduct(p.Product);
  const RegionSet = catalog.regions.map((r) => ({ Region: r.region, RegionName: r.name[ctx.language], RegionState: r.state }));
  return { TotalCount: RegionSet.length, RegionSet };
}, { catalogOnly: true });

/** The zones of the request's region, or of every region when it names none (Region is optional here). */
export const describeProductZones = action<api.DescribeZonesRequest, api.DescribeZonesResponse>(
  "api",
  "DescribeZones",
  (ctx, p, { catalog }) => {
    checkProduct(p.Product);
    const ZoneSet = regionsOf(catalog, ctx.region).flatMap((r) =>
      r.zones.map((z) => ({
        Zone: z.zone,
        ZoneName: z.name[ctx.language],
        ZoneId: z.zoneId,
        ZoneState: z.state,
        // OpenCVM's zones are ordinary zones: none is an edge zone of a parent.
        ParentZone: null,
        ParentZoneId: null,
        ParentZoneName: null,
        ZoneType: null,
        MachineRoomTypeMC: null,
        ZoneIdMC: null,
      })),
    );
    return { TotalCount: ZoneSet.length, ZoneSet };
  },
  { regionOptional: true, catalogOnly: true },
);

function regionsOf(catalog: Catalog, region: string | undefined) {
  return region ? [catalog.region(region)!] : catalog.regions;
}
