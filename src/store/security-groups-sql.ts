// Security groups with their rules (one JSON document per group), and what instances hold them. An account has a
// quota's worth per region, so listings read them all.
import type { Clock } from "../domain/clock.js";
import type { Kysely, Selectable } from "kysely";
import { isoSeconds } from "../domain/dates.js";
import { randomId } from "../domain/ids.js";
import { defaultGroupPolicies, type GuardingGroup } from "../domain/security-policy.js";
import type { Database, SecurityGroupsTable } from "./schema.js";
import type { SecurityGroupChange, SecurityGroupRecord, SecurityGroupRepo } from "./store.js";

/** The default group as the real cloud names and describes it. */
export const DEFAULT_GROUP = { name: "default", description: "System created security group" };

type Doc = Pick<SecurityGroupRecord, "groupDescription" | "tags" | "ingress" | "egress">;

function toRecord(r: Selectable<SecurityGroupsTable>): SecurityGroupRecord {
  const doc: Doc = { groupDescription: "", tags: [], ingress: [], egress: [], ...JSON.parse(r.doc) };
  return {
    securityGroupId: r.security_group_id,
    appId: Number(r.app_id),
    region: r.region,
    projectId: Number(r.project_id),
    isDefault: r.is_default === 1,
    groupName: r.group_name,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...doc,
  };
}

const docOf = (g: Doc): string => JSON.stringify({ groupDescription: g.groupDescription, tags: g.tags, ingress: g.ingress, egress: g.egress } satisfies Doc);

export class SqlSecurityGroups implements SecurityGroupRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async list(appId: number, region: string): Promise<SecurityGroupRecord[]> {
    const rows = await this.db.selectFrom("security_groups").selectAll().where("app_id", "=", appId).where("region", "=", region).orderBy("seq").execute();
    return rows.map(toRecord);
  }

  async defaultGroup(appId: number, region: string): Promise<SecurityGroupRecord> {
    const existing = () => this.db.selectFrom("security_groups").selectAll().where("app_id", "=", appId).where("region", "=", region).where("is_default", "=", 1).executeTakeFirst();
    const found = await existing();
    if (found) return toRecord(found);
    const now = isoSeconds(this.clock.now());
    const record: SecurityGroupRecord = {
      securityGroupId: randomId("sg"),
      appId,
      region,
      projectId: 0,
      isDefault: true,
      groupName: DEFAULT_GROUP.name,
      groupDescription: DEFAULT_GROUP.description,
      // Created with its rules: one change.
      version: 1,
      createdAt: now,
      updatedAt: now,
      tags: [],
      ...defaultGroupPolicies(now),
    };
    try {
      await this.insert(record);
      return record;
    } catch (e) {
      // Another request created it first (the unique index on defaults): that one is the default.
      const raced = await existing();
      if (raced) return toRecord(raced);
      throw e;
    }
  }

  async insert(g: SecurityGroupRecord): Promise<void> {
    await this.db
      .insertInto("security_groups")
      .values({
        security_group_id: g.securityGroupId,
        app_id: g.appId,
        region: g.region,
        project_id: g.projectId,
        is_default: g.isDefault ? 1 : 0,
        group_name: g.groupName,
        version: g.version,
        created_at: g.createdAt,
        updated_at: g.updatedAt,
        doc: docOf(g),
      })
      .execute();
  }

  async update(securityGroupId: string, change: SecurityGroupChange, expectVersion?: number): Promise<boolean> {
    const row = await this.db.selectFrom("security_groups").selectAll().where("security_group_id", "=", securityGroupId).executeTakeFirst();
    if (!row) return false;
    const next = { ...toRecord(row), ...change };
    let q = this.db
      .updateTable("security_groups")
      .set({ group_name: next.groupName, version: next.version, updated_at: next.updatedAt, doc: docOf(next) })
      .where("security_group_id", "=", securityGroupId);
    // The version read above, or the caller's: a change that lost a race changes nothing.
    q = q.where("version", "=", expectVersion ?? Number(row.version));
    return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
  }

  async remove(securityGroupId: string): Promise<void> {
    await this.db.deleteFrom("security_groups").where("security_group_id", "=", securityGroupId).execute();
  }

  async instanceCounts(securityGroupIds: readonly string[]): Promise<Map<string, number>> {
    if (!securityGroupIds.length) return new Map();
    const rows = await this.db
      .selectFrom("instance_security_groups")
      .select(["security_group_id", (eb) => eb.fn.countAll().as("n")])
      .where("security_group_id", "in", [...securityGroupIds])
      .groupBy("security_group_id")
      .execute();
    return new Map(rows.map((r) => [r.security_group_id, Number(r.n)]));
  }

  async guarding(instanceId: string): Promise<GuardingGroup[]> {
    const rows = await this.db
      .selectFrom("instances")
      .innerJoin("instance_security_groups", "instance_security_groups.instance_seq", "instances.seq")
      .innerJoin("security_groups", "security_groups.security_group_id", "instance_security_groups.security_group_id")
      .selectAll("security_groups")
      .where("instances.instance_id", "=", instanceId)
      .orderBy("instance_security_groups.position")
      .execute();
    return rows.map(toRecord).map((g) => ({ securityGroupId: g.securityGroupId, ingress: g.ingress }));
  }

  async memberAddresses(securityGroupIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(securityGroupIds.map((id) => [id, []]));
    if (!securityGroupIds.length) return out;
    const rows = await this.db
      .selectFrom("instance_security_groups")
      .innerJoin("instances", "instances.seq", "instance_security_groups.instance_seq")
      .select(["instance_security_groups.security_group_id", "instances.private_ip"])
      .where("instance_security_groups.security_group_id", "in", [...securityGroupIds])
      .orderBy("instances.seq")
      .execute();
    for (const r of rows) out.get(r.security_group_id)!.push(r.private_ip);
    return out;
  }
}
