// Default VPCs and subnets, and the addresses in use in each subnet.
import type { Kysely } from "kysely";
import { randomId } from "../domain/ids.js";
import type { Database } from "./schema.js";
import type { NetworkRepo, Subnet } from "./store.js";

// As in the real cloud: a default VPC of 172.16.0.0/16 per region, and a /20 default subnet per zone.
const DEFAULT_VPC_CIDR = "172.16.0.0/16";
const defaultSubnetCidr = (zoneIndex: number) => `172.16.${zoneIndex * 16}.0/20`;

export class SqlNetworks implements NetworkRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async defaultSubnet(appId: number, region: string, zone: string, zoneIndex: number): Promise<Subnet> {
    const created_at = new Date().toISOString();
    let vpc = await this.db.selectFrom("vpcs").select(["vpc_id", "cidr"]).where("app_id", "=", appId).where("region", "=", region).where("is_default", "=", 1).executeTakeFirst();
    if (!vpc) {
      vpc = { vpc_id: randomId("vpc"), cidr: DEFAULT_VPC_CIDR };
      await this.db.insertInto("vpcs").values({ ...vpc, app_id: appId, region, is_default: 1, created_at }).execute();
    }
    let subnet = await this.db.selectFrom("subnets").select(["subnet_id", "cidr"]).where("vpc_id", "=", vpc.vpc_id).where("zone", "=", zone).where("is_default", "=", 1).executeTakeFirst();
    if (!subnet) {
      subnet = { subnet_id: randomId("subnet"), cidr: defaultSubnetCidr(zoneIndex) };
      await this.db.insertInto("subnets").values({ ...subnet, vpc_id: vpc.vpc_id, app_id: appId, zone, is_default: 1, created_at }).execute();
    }
    return { vpcId: vpc.vpc_id, subnetId: subnet.subnet_id, cidr: subnet.cidr };
  }

  async allocated(subnetId: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom("ip_allocations").select("ip").where("subnet_id", "=", subnetId).execute();
    return new Set(rows.map((r) => r.ip));
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

  async release(instanceId: string): Promise<void> {
    await this.db.deleteFrom("ip_allocations").where("instance_id", "=", instanceId).execute();
    await this.db.deleteFrom("public_ips").where("instance_id", "=", instanceId).execute();
  }
}
