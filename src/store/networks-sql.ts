// VPCs, subnets (the default ones created on first use), and the addresses in use in each subnet.
import type { Clock } from "../domain/clock.js";
import type { Kysely, Selectable } from "kysely";
import { isoSeconds } from "../domain/dates.js";
import { randomId } from "../domain/ids.js";
import type { Database, SubnetsTable, VpcsTable } from "./schema.js";
import type { NetworkRepo, Subnet, SubnetRecord, VpcRecord } from "./store.js";

// As in the real cloud: a default VPC of 172.16.0.0/16 per region, and a /20 default subnet per zone.
const DEFAULT_VPC_CIDR = "172.16.0.0/16";
const defaultSubnetCidr = (zoneIndex: number) => `172.16.${zoneIndex * 16}.0/20`;
/** The real cloud's DNS servers inside a VPC. */
export const DEFAULT_DNS = ["183.60.83.19", "183.60.82.98"];

type VpcDoc = Pick<VpcRecord, "enableMulticast" | "dnsServers" | "domainName" | "tags" | "assistantCidrs">;
type SubnetDoc = Pick<SubnetRecord, "enableBroadcast" | "tags">;

function toVpc(r: Selectable<VpcsTable>): VpcRecord {
  const doc: VpcDoc = { enableMulticast: false, dnsServers: DEFAULT_DNS, domainName: "", tags: [], assistantCidrs: [], ...JSON.parse(r.doc) };
  return { vpcId: r.vpc_id, appId: Number(r.app_id), region: r.region, cidr: r.cidr, isDefault: r.is_default === 1, createdAt: r.created_at, vpcName: r.vpc_name, ...doc };
}

function toSubnet(r: Selectable<SubnetsTable>): SubnetRecord {
  const doc: SubnetDoc = { enableBroadcast: false, tags: [], ...JSON.parse(r.doc) };
  return { vpcId: r.vpc_id, subnetId: r.subnet_id, cidr: r.cidr, appId: Number(r.app_id), zone: r.zone, isDefault: r.is_default === 1, createdAt: r.created_at, subnetName: r.subnet_name, ...doc };
}

export class SqlNetworks implements NetworkRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async defaultSubnet(appId: number, region: string, zone: string, zoneIndex: number): Promise<Subnet> {
    const created_at = isoSeconds(this.clock.now());
    let vpc = await this.db.selectFrom("vpcs").select(["vpc_id", "cidr"]).where("app_id", "=", appId).where("region", "=", region).where("is_default", "=", 1).executeTakeFirst();
    if (!vpc) {
      vpc = { vpc_id: randomId("vpc"), cidr: DEFAULT_VPC_CIDR };
      await this.db.insertInto("vpcs").values({ ...vpc, app_id: appId, region, is_default: 1, created_at, vpc_name: "Default-VPC", doc: "{}" }).execute();
    }
    let subnet = await this.db.selectFrom("subnets").select(["subnet_id", "cidr"]).where("vpc_id", "=", vpc.vpc_id).where("zone", "=", zone).where("is_default", "=", 1).executeTakeFirst();
    if (!subnet) {
      subnet = { subnet_id: randomId("subnet"), cidr: defaultSubnetCidr(zoneIndex) };
      await this.db.insertInto("subnets").values({ ...subnet, vpc_id: vpc.vpc_id, app_id: appId, zone, is_default: 1, created_at, subnet_name: "Default-Subnet", doc: "{}" }).execute();
    }
    return { vpcId: vpc.vpc_id, subnetId: subnet.subnet_id, cidr: subnet.cidr };
  }

  async vpcs(appId: number, region: string): Promise<VpcRecord[]> {
    const rows = await this.db.selectFrom("vpcs").selectAll().where("app_id", "=", appId).where("region", "=", region).orderBy("created_at").orderBy("vpc_id").execute();
    return rows.map(toVpc);
  }

  async createVpc(v: VpcRecord): Promise<void> {
    const doc: VpcDoc = { enableMulticast: v.enableMulticast, dnsServers: v.dnsServers, domainName: v.domainName, tags: v.tags, assistantCidrs: v.assistantCidrs };
    await this.db
      .insertInto("vpcs")
      .values({ vpc_id: v.vpcId, app_id: v.appId, region: v.region, cidr: v.cidr, is_default: v.isDefault ? 1 : 0, created_at: v.createdAt, vpc_name: v.vpcName, doc: JSON.stringify(doc) })
      .execute();
  }

  async updateVpc(vpcId: string, change: Partial<VpcRecord>): Promise<void> {
    const row = await this.db.selectFrom("vpcs").selectAll().where("vpc_id", "=", vpcId).executeTakeFirstOrThrow();
    const next = { ...toVpc(row), ...change };
    const doc: VpcDoc = { enableMulticast: next.enableMulticast, dnsServers: next.dnsServers, domainName: next.domainName, tags: next.tags, assistantCidrs: next.assistantCidrs };
    await this.db.updateTable("vpcs").set({ vpc_name: next.vpcName, doc: JSON.stringify(doc) }).where("vpc_id", "=", vpcId).execute();
  }

  async deleteVpc(vpcId: string): Promise<void> {
    await this.db.deleteFrom("vpcs").where("vpc_id", "=", vpcId).execute();
  }

  async subnets(appId: number, region: string): Promise<SubnetRecord[]> {
    const rows = await this.db
      .selectFrom("subnets")
      .innerJoin("vpcs", "vpcs.vpc_id", "subnets.vpc_id")
      .selectAll("subnets")
      .where("subnets.app_id", "=", appId)
      .where("vpcs.region", "=", region)
      .orderBy("subnets.created_at")
      .orderBy("subnets.subnet_id")
      .execute();
    return rows.map(toSubnet);
  }

  async createSubnets(subnets: SubnetRecord[]): Promise<void> {
    if (!subnets.length) return;
    await this.db
      .insertInto("subnets")
      .values(
        subnets.map((s) => ({
          subnet_id: s.subnetId,
          vpc_id: s.vpcId,
          app_id: s.appId,
          zone: s.zone,
          cidr: s.cidr,
          is_default: s.isDefault ? 1 : 0,
          created_at: s.createdAt,
          subnet_name: s.subnetName,
          doc: JSON.stringify({ enableBroadcast: s.enableBroadcast, tags: s.tags } satisfies SubnetDoc),
        })),
      )
      .execute();
  }

  async updateSubnet(subnetId: string, change: Partial<SubnetRecord>): Promise<void> {
    const row = await this.db.selectFrom("subnets").selectAll().where("subnet_id", "=", subnetId).executeTakeFirstOrThrow();
    const next = { ...toSubnet(row), ...change };
    await this.db
      .updateTable("subnets")
      .set({ subnet_name: next.subnetName, doc: JSON.stringify({ enableBroadcast: next.enableBroadcast, tags: next.tags } satisfies SubnetDoc) })
      .where("subnet_id", "=", subnetId)
      .execute();
  }

  async deleteSubnet(subnetId: string): Promise<void> {
    await this.db.deleteFrom("subnets").where("subnet_id", "=", subnetId).execute();
  }

  async allocatedCounts(subnetIds: readonly string[]): Promise<Map<string, number>> {
    if (!subnetIds.length) return new Map();
    const rows = await this.db
      .selectFrom("ip_allocations")
      .select(["subnet_id", (eb) => eb.fn.countAll().as("n")])
      .where("subnet_id", "in", [...subnetIds])
      .groupBy("subnet_id")
      .execute();
    return new Map(rows.map((r) => [r.subnet_id, Number(r.n)]));
  }

  async allocated(subnetId: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom("ip_allocations").select("ip").where("subnet_id", "=", subnetId).execute();
    return new Set(rows.map((r) => r.ip));
  }

  async allocations(subnetIds: readonly string[]): Promise<{ subnetId: string; ip: string; instanceId: string }[]> {
    if (subnetIds.length === 0) return [];
    const rows = await this.db.selectFrom("ip_allocations").select(["subnet_id", "ip", "instance_id"]).where("subnet_id", "in", [...subnetIds]).orderBy("subnet_id").orderBy("ip").execute();
    return rows.map((r) => ({ subnetId: r.subnet_id, ip: r.ip, instanceId: r.instance_id }));
  }

  async allocate(subnetId: string, pairs: { ip: string; instanceId: string }[]): Promise<void> {
    if (pairs.length === 0) return;
    await this.db
      .insertInto("ip_allocations")
      .values(pairs.map((p) => ({ subnet_id: subnetId, ip: p.ip, instance_id: p.instanceId })))
      .execute();
  }

  async publicInUse(ips: readonly string[]): Promise<Set<string>> {
    if (ips.length === 0) return new Set();
    const rows = await this.db.selectFrom("public_ips").select("ip").where("ip", "in", [...ips]).execute();
    return new Set(rows.map((r) => r.ip));
  }

  async allocatePublic(appId: number, pairs: { ip: string; instanceId: string }[]): Promise<void> {
    if (pairs.length === 0) return;
    await this.db.insertInto("public_ips").values(pairs.map((p) => ({ ip: p.ip, app_id: appId, instance_id: p.instanceId }))).execute();
  }

  async setPublicHolder(ip: string, holder: string): Promise<void> {
    await this.db.updateTable("public_ips").set({ instance_id: holder }).where("ip", "=", ip).execute();
  }

  async releasePrivate(subnetId: string, ip: string): Promise<void> {
    await this.db.deleteFrom("ip_allocations").where("subnet_id", "=", subnetId).where("ip", "=", ip).execute();
  }

  async releasePublicIp(ip: string): Promise<void> {
    await this.db.deleteFrom("public_ips").where("ip", "=", ip).execute();
  }

  async release(instanceId: string): Promise<void> {
    await this.db.deleteFrom("ip_allocations").where("instance_id", "=", instanceId).execute();
    await this.db.deleteFrom("public_ips").where("instance_id", "=", instanceId).execute();
  }
}
