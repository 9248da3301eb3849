// DescribeRouteTables and ReplaceRouteTableAssociation (service vpc). Every VPC has exactly one route table, its
// default (main) one, with the local route of the VPC's range, and every subnet of the VPC is associated with it.
// OpenCVM builds no other route tables (CreateRouteTable is not built), so the table is derived from the VPC rather
// than stored: its id is the VPC's with the `rtb-` prefix.
import { action } from "../../../api/action.js";
import type * as vpc from "../../../api/generated/vpc-types.js";
import { fail } from "../../../domain/errors.js";
import type { SubnetRecord, VpcRecord } from "../../../store/store.js";
import { invalid } from "../../shared/refusals.js";
import { applyFilters, checkIdShape, vpcPaging, vpcTime } from "./vpc-inputs.js";

/** The id of a VPC's default route table. */
export const defaultRouteTableId = (vpcId: string): string => `rtb-${vpcId.slice("vpc-".length)}`;

interface Table {
  vpc: VpcRecord;
  routeTableId: string;
  subnetIds: string[];
  /** Route tables carry no tags here: tag filters match none. */
  tags: { key: string; value: string }[];
}

function view(t: Table): vpc.RouteTable {
  const createdTime = vpcTime(t.vpc.createdAt);
  return {
    VpcId: t.vpc.vpcId,
    RouteTableId: t.routeTableId,
    RouteTableName: "default",
    AssociationSet: t.subnetIds.map((SubnetId) => ({ SubnetId, RouteTableId: t.routeTableId })),
    RouteSet: [
      {
        // The system route that keeps traffic between the VPC's subnets inside it.
        DestinationCidrBlock: t.vpc.cidr,
        GatewayType: "LOCAL",
        GatewayId: "Local",
        RouteId: 0,
        RouteDescription: "",
        Enabled: true,
        RouteType: "NETD_ROUTE",
        RouteTableId: t.routeTableId,
        RouteItemId: `rti-${t.vpc.vpcId.slice("vpc-".length)}`,
        PublishedToVbc: false,
        CreatedTime: createdTime,
      },
    ],
    Main: true,
    CreatedTime: createdTime,
    TagSet: [],
    LocalCidrForCcn: [{ Cidr: t.vpc.cidr, PublishedToVbc: false }],
  };
}

function tables(vpcs: readonly VpcRecord[], subnets: readonly SubnetRecord[]): Table[] {
  return vpcs.map((v) => ({ vpc: v, routeTableId: defaultRouteTableId(v.vpcId), subnetIds: subnets.filter((s) => s.vpcId === v.vpcId).map((s) => s.subnetId), tags: [] }));
}

export const describeRouteTables = action<vpc.DescribeRouteTablesRequest, vpc.DescribeRouteTablesResponse>("vpc", "DescribeRouteTables", async (ctx, p, deps) => {
  const { offset, limit } = vpcPaging(p);
  const filters = p.Filters ?? [];
  if (p.RouteTableIds?.length && filters.length) throw fail("InvalidParameter.Coexist", "`RouteTableIds` and `Filters` cannot be given together.", "`RouteTableIds` 与 `Filters` 不能同时指定。");
  for (const [i, id] of (p.RouteTableIds ?? []).entries()) checkIdShape("rtb", id, `RouteTableIds.${i}`);
  const [vpcs, subnets] = await Promise.all([deps.store.networks.vpcs(ctx.account.appId, ctx.region!), deps.store.networks.subnets(ctx.account.appId, ctx.region!)]);
  let found = tables(vpcs, subnets);
  if (p.RouteTableIds?.length) found = found.filter((t) => p.RouteTableIds!.includes(t.routeTableId));
  found = applyFilters(found, filters, {
    "route-table-id": (t, v) => t.routeTableId === v,
    "route-table-name": (_t, v) => v === "default",
    "vpc-id": (t, v) => t.vpc.vpcId === v,
    "association.main": (_t, v) => v.toLowerCase() === "true",
    "association.subnet-id": (t, v) => t.subnetIds.includes(v),
    "tag-key": () => false,
  });
  return { TotalCount: found.length, RouteTableSet: found.slice(offset, offset + limit).map(view) };
});

export const replaceRouteTableAssociation = action<vpc.ReplaceRouteTableAssociationRequest, vpc.ReplaceRouteTableAssociationResponse>(
  "vpc",
  "ReplaceRouteTableAssociation",
  async (ctx, p, deps) => {
    checkIdShape("rtb", p.RouteTableId, "RouteTableId");
    if (p.SubnetId === undefined) throw fail("MissingParameter", "Give the `SubnetId` to associate with the route table.", "请指定要关联路由表的 `SubnetId`。");
    checkIdShape("subnet", p.SubnetId, "SubnetId");
    const [vpcs, subnets] = await Promise.all([deps.store.networks.vpcs(ctx.account.appId, ctx.region!), deps.store.networks.subnets(ctx.account.appId, ctx.region!)]);
    const owner = vpcs.find((v) => defaultRouteTableId(v.vpcId) === p.RouteTableId);
    if (!owner) throw invalid("ResourceNotFound", "RouteTableId", p.RouteTableId, `no such route table in ${ctx.region}`, `${ctx.region} 不存在该路由表`);
    const subnet = subnets.find((s) => s.subnetId === p.SubnetId);
    if (!subnet) throw invalid("ResourceNotFound", "SubnetId", p.SubnetId, `no such subnet in ${ctx.region}`, `${ctx.region} 不存在该子网`);
    if (subnet.vpcId !== owner.vpcId) {
      throw invalid("UnsupportedOperation.VpcMismatch", "RouteTableId", p.RouteTableId, `the route table is of ${owner.vpcId}, the subnet of ${subnet.vpcId}`, `路由表属于 ${owner.vpcId}，子网属于 ${subnet.vpcId}`);
    }
    // The subnet is associated with its VPC's only route table already: nothing changes.
    return {};
  },
);
