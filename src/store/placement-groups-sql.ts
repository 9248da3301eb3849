// Spread placement groups and where their instances were placed. An account holds a quota's worth per region, so
// listings read the account's groups whole.
import type { Kysely, Selectable } from "kysely";
import type { Database, PlacementGroupsTable } from "./schema.js";
import type { PlacementGroupRecord, PlacementGroupRepo, PlacementMember } from "./store.js";

/** Instances that have ended hold no place. */
const ENDED = ["TERMINATED", "LAUNCH_FAILED"];

export class SqlPlacementGroups implements PlacementGroupRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(g: Omit<PlacementGroupRecord, "members">): Promise<void> {
    await this.db
      .insertInto("placement_groups")
      .values({ group_id: g.groupId, app_id: g.appId, region: g.region, name: g.name, type: g.type, affinity: g.affinity, client_token: g.clientToken, created_at: g.createdAt, tags: JSON.stringify(g.tags) })
      .execute();
  }

  async count(appId: number, region: string): Promise<number> {
    const row = await this.db.selectFrom("placement_groups").select((eb) => eb.fn.countAll().as("n")).where("app_id", "=", appId).where("region", "=", region).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async byClientToken(appId: number, token: string): Promise<PlacementGroupRecord | undefined> {
    const rows = await this.db.selectFrom("placement_groups").selectAll().where("app_id", "=", appId).where("client_token", "=", token).execute();
    return (await this.hydrate(rows))[0];
  }

  async find(appId: number, region: string, ids: readonly string[]): Promise<PlacementGroupRecord[]> {
    if (ids.length === 0) return [];
    return this.hydrate(await this.account(appId, region).where("group_id", "in", [...ids]).execute());
  }

  async all(appId: number, region: string): Promise<PlacementGroupRecord[]> {
    return this.hydrate(await this.account(appId, region).execute());
  }

  async update(groupId: string, change: { name: string; affinity: number }): Promise<void> {
    await this.db.updateTable("placement_groups").set(change).where("group_id", "=", groupId).execute();
  }

  async remove(groupIds: readonly string[]): Promise<void> {
    if (groupIds.length) await this.db.deleteFrom("placement_groups").where("group_id", "in", [...groupIds]).execute();
  }

  async join(groupId: string, members: readonly PlacementMember[]): Promise<void> {
    if (members.length === 0) return;
    await this.leave(members.map((m) => m.instanceId));
    const { seq } = await this.db.selectFrom("placement_groups").select("seq").where("group_id", "=", groupId).executeTakeFirstOrThrow();
    const instances = await this.db.selectFrom("instances").select(["seq", "instance_id"]).where("instance_id", "in", members.map((m) => m.instanceId)).execute();
    const seqOf = new Map(instances.map((i) => [i.instance_id, Number(i.seq)]));
    await this.db
      .insertInto("placement_group_instances")
      .values(members.map((m) => ({ instance_seq: seqOf.get(m.instanceId)!, group_seq: Number(seq), zone: m.zone, host: m.host })))
      .execute();
  }

  async leave(instanceIds: readonly string[]): Promise<void> {
    if (instanceIds.length === 0) return;
    const seqs = this.db.selectFrom("instances").select("seq").where("instance_id", "in", [...instanceIds]);
    await this.db.deleteFrom("placement_group_instances").where("instance_seq", "in", seqs).execute();
  }

  async groupsOf(instanceIds: readonly string[]): Promise<Map<string, string>> {
    if (instanceIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom("placement_group_instances")
      .innerJoin("instances", "instances.seq", "placement_group_instances.instance_seq")
      .innerJoin("placement_groups", "placement_groups.seq", "placement_group_instances.group_seq")
      .select(["instances.instance_id", "placement_groups.group_id"])
      .where("instances.instance_id", "in", [...instanceIds])
      .execute();
    return new Map(rows.map((r) => [r.instance_id, r.group_id]));
  }

  private account(appId: number, region: string) {
    return this.db.selectFrom("placement_groups").selectAll().where("app_id", "=", appId).where("region", "=", region).orderBy("seq");
  }

  private async hydrate(rows: Selectable<PlacementGroupsTable>[]): Promise<PlacementGroupRecord[]> {
    if (rows.length === 0) return [];
    const members = await this.db
      .selectFrom("placement_group_instances")
      .innerJoin("instances", "instances.seq", "placement_group_instances.instance_seq")
      .select(["placement_group_instances.group_seq", "instances.instance_id", "placement_group_instances.zone", "placement_group_instances.host"])
      .where("placement_group_instances.group_seq", "in", rows.map((r) => r.seq))
      .where("instances.state", "not in", ENDED)
      .orderBy("instances.seq")
      .execute();
    return rows.map((r) => ({
      groupId: r.group_id,
      appId: Number(r.app_id),
      region: r.region,
      name: r.name,
      type: r.type,
      affinity: Number(r.affinity),
      clientToken: r.client_token,
      createdAt: r.created_at,
      tags: JSON.parse(r.tags) as { key: string; value: string }[],
      members: members.filter((m) => Number(m.group_seq) === Number(r.seq)).map((m) => ({ instanceId: m.instance_id, zone: m.zone, host: m.host })),
    }));
  }
}
