// Instances, their tags, security groups and key pairs. Listings filter on indexed columns and page newest first (by
// seq); tag and security-group filters are correlated probes on integer keys.
import { sql, type ExpressionBuilder, type Insertable, type Kysely, type SelectQueryBuilder, type Updateable } from "kysely";
import { SqlActionTimers } from "./action-timers-sql.js";
import { home, keyHomes } from "./key-pairs-sql.js";
import type { Clock } from "../domain/clock.js";
import { isoSeconds } from "../domain/dates.js";
import { LAUNCH_FAILED_RETENTION_MS } from "../domain/lifecycle.js";
import { SqlBilling } from "./billing-sql.js";
import { SqlDisks } from "./disks-sql.js";
import { countedInstances, countedOf, countInstances, quotaCounts, requotaInstance } from "./instance-counts.js";
import type { Database, InstanceRow, InstancesTable } from "./schema.js";
import type { AddressRecord, InstanceChange, InstanceColumn, InstanceCondition, InstanceDoc, InstancePower, InstanceRecord, InstanceRepo, RatedInstance, Rater, StoredState } from "./store.js";

/** The columns what an instance costs depends on. */
export const RATED_COLUMNS = ["instance_id", "app_id", "region", "zone", "state", "instance_type", "charge_type", "doc"] as const;

/** The part of an instance's row its cost depends on, as the rater takes it. */
export function ratedInstance(row: Pick<InstanceRow, (typeof RATED_COLUMNS)[number]>): RatedInstance {
  return {
    instanceId: row.instance_id,
    appId: Number(row.app_id),
    region: row.region,
    zone: row.zone,
    state: row.state as StoredState,
    instanceType: row.instance_type,
    chargeType: row.charge_type,
    doc: JSON.parse(row.doc) as InstanceDoc,
  };
}

/** Changes that can change what an instance costs: its meters are re-rated in the same transaction. */
const RATED: readonly (keyof InstanceChange)[] = ["state", "instanceType", "chargeType", "doc"];

/** Changes its disks' rows follow (sizes, flags, charge), in the same transaction. */
const DISKED: readonly (keyof InstanceChange)[] = ["chargeType", "doc"];

const COLUMNS: Record<InstanceColumn, keyof InstancesTable> = {
  zone: "zone",
  project_id: "project_id",
  vpc_id: "vpc_id",
  subnet_id: "subnet_id",
  instance_id: "instance_id",
  uuid: "uuid",
  instance_charge_type: "charge_type",
  state: "state",
  private_ip: "private_ip",
  public_ip: "public_ip",
  instance_name: "instance_name",
  instance_type: "instance_type",
  instance_family: "instance_family",
  image_id: "image_id",
};

type Listing = SelectQueryBuilder<Database, "instances", object>;

/**
 * How a tag or security-group condition is written: "probe" checks each candidate instance (best when another
 * condition or the page size already bounds the candidates), "set" reads the matching instances from the
 * condition's own index (best when it is the only bound).
 */
type Related = "probe" | "set";
const RELATED: ReadonlySet<InstanceCondition["kind"]> = new Set(["tag", "tag-key", "tag-value", "security-group"]);

/** The columns reconciliation and recovery read. */
const POWER_COLUMNS = ["seq", "instance_id", "state", "latest_operation_state", "latest_operation_request_id", "host_node"] as const;

function powerOfRows(rows: Pick<InstanceRow, (typeof POWER_COLUMNS)[number]>[]): InstancePower[] {
  return rows.map((r) => ({
    instanceId: r.instance_id,
    state: r.state as StoredState,
    latestOperationState: r.latest_operation_state as InstancePower["latestOperationState"],
    latestOperationRequestId: r.latest_operation_request_id,
    hostNode: r.host_node,
    seq: Number(r.seq),
  }));
}

export class SqlInstances implements InstanceRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly rater: Rater | undefined,
    private readonly inTransaction: boolean,
  ) {}

  async insert(records: InstanceRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (!this.inTransaction) return this.atomically((i) => i.insert(records));
    const inserted = await this.db.insertInto("instances").values(records.map(toRow)).returning(["seq", "instance_id"]).execute();
    const seqOf = new Map(inserted.map((r) => [r.instance_id, r.seq]));
    const tags = records.flatMap((r) => r.tags.map((t) => ({ instance_seq: seqOf.get(r.instanceId)!, app_id: r.appId, tag_key: t.key, tag_value: t.value })));
    if (tags.length) await this.db.insertInto("instance_tags").values(tags).execute();
    const groups = records.flatMap((r) =>
      r.securityGroupIds.map((id, position) => ({ instance_seq: seqOf.get(r.instanceId)!, app_id: r.appId, security_group_id: id, position })),
    );
    if (groups.length) await this.db.insertInto("instance_security_groups").values(groups).execute();
    const keys = await keyHomes(this.db, records.flatMap((r) => r.keyIds));
    const bindings = records.flatMap((r) =>
      r.keyIds.filter((id) => keys.get(id) === home(r)).map((key_id, position) => ({ instance_seq: seqOf.get(r.instanceId)!, key_id, position })),
    );
    if (bindings.length) await this.db.insertInto("instance_key_pairs").values(bindings).execute();
    await countInstances(this.db, records, 1);
    await this.disks().followNew(records);
    if (this.rater) await new SqlBilling(this.db).start(records.map((r) => ({ resourceId: r.instanceId, appId: r.appId, rating: this.rater!.instance(r) })), this.clock.nowMs());
  }

  async remove(instanceId: string): Promise<void> {
    if (!this.inTransaction) return this.atomically((i) => i.remove(instanceId));
    await this.disks().release(instanceId);
    const counted = await countedOf(this.db, instanceId);
    if (counted) await countInstances(this.db, [counted], -1);
    await this.db.deleteFrom("instances").where("instance_id", "=", instanceId).execute();
    await new SqlActionTimers(this.db).endWith(instanceId);
    if (this.rater) await new SqlBilling(this.db).sync(instanceId, 0, { meters: [], freeze: 0 }, this.clock.nowMs());
  }

  /** The instance's disk rows, written in this repository's transaction. */
  private disks(): SqlDisks {
    return new SqlDisks(this.db, this.clock, this.rater, true);
  }

  /** Runs `fn` on this repository inside a transaction of its own. */
  private atomically<T>(fn: (i: SqlInstances) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new SqlInstances(trx, this.clock, this.rater, true)));
  }

  /** Brings the instance's meters and freeze in step with what it now is and the EIP bound to it. */
  async rerate(instanceId: string): Promise<void> {
    if (!this.rater) return;
    const row = await this.db.selectFrom("instances").select(RATED_COLUMNS).where("instance_id", "=", instanceId).executeTakeFirst();
    if (!row) return;
    const [r] = await this.withAddresses([ratedInstance(row)]);
    await new SqlBilling(this.db).sync(r.instanceId, r.appId, this.rater.instance(r), this.clock.nowMs());
  }

  /** The instances with the EIPs bound to them (one indexed read for the lot). */
  private async withAddresses(rs: RatedInstance[]): Promise<RatedInstance[]> {
    if (!rs.length) return rs;
    const rows = await this.db.selectFrom("addresses").select(["instance_id", "doc"]).where("instance_id", "in", rs.map((r) => r.instanceId)).execute();
    const bound = new Map(rows.map((a) => [a.instance_id, JSON.parse(a.doc) as Pick<AddressRecord, "chargeType" | "isolated">]));
    return rs.map((r) => {
      const a = bound.get(r.instanceId);
      return a ? { ...r, boundAddress: { chargeType: a.chargeType, isolated: a.isolated } } : r;
    });
  }

  async find(appId: number, region: string, ids: readonly string[]): Promise<InstanceRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.live(appId, region).selectAll().where("instance_id", "in", [...ids]).execute();
    return this.hydrate(rows);
  }

  async get(instanceId: string): Promise<InstanceRecord | undefined> {
    return (await this.getMany([instanceId]))[0];
  }

  async getMany(instanceIds: readonly string[]): Promise<InstanceRecord[]> {
    if (instanceIds.length === 0) return [];
    const rows = await this.db.selectFrom("instances").selectAll().where("instance_id", "in", [...instanceIds]).execute();
    return this.hydrate(rows);
  }

  async ratedPage(afterId: string, limit: number): Promise<RatedInstance[]> {
    const rows = await this.db.selectFrom("instances").select(RATED_COLUMNS).where("instance_id", ">", afterId).orderBy("instance_id").limit(limit).execute();
    return this.withAddresses(rows.map(ratedInstance));
  }

  async labels(instanceIds: readonly string[]): Promise<Pick<InstanceRecord, "instanceId" | "instanceName" | "projectId">[]> {
    if (instanceIds.length === 0) return [];
    const rows = await this.db.selectFrom("instances").select(["instance_id", "instance_name", "project_id"]).where("instance_id", "in", [...instanceIds]).execute();
    return rows.map((r) => ({ instanceId: r.instance_id, instanceName: r.instance_name, projectId: Number(r.project_id) }));
  }

  async list(appId: number, region: string, conditions: readonly InstanceCondition[], offset: number, limit: number) {
    const query = (mode: Related) => conditions.reduce((q, c) => this.condition(q, appId, c, mode), this.live(appId, region));
    // A page walks the account's instances newest first and probes tags per candidate until it has enough.
    const rows = await query("probe").selectAll().orderBy("seq", "desc").offset(offset).limit(limit).execute();
    // A first page that is not full holds every match: no need to count them (the common lookup by ids).
    if (offset === 0 && rows.length < limit) return { total: rows.length, records: await this.hydrate(rows) };
    const kept = await this.keptCount(appId, region, conditions);
    if (kept !== undefined) return { total: kept, records: await this.hydrate(rows) };
    // Counting reads every match: with only tag or security-group conditions, from their index (a rare tag costs
    // nothing); with a column condition too, from that column's index with a probe per candidate.
    const onlyRelated = conditions.every((c) => RELATED.has(c.kind));
    const counted = await query(onlyRelated ? "set" : "probe").select((eb) => eb.fn.countAll().as("n")).executeTakeFirst();
    return { total: Number(counted?.n ?? 0), records: await this.hydrate(rows) };
  }

  /**
   * The number of matches from the kept counts (instance-counts.ts) when the conditions are at most a zone and a
   * tag condition: those counts include failed launches past their retention, which the listing hides, so the few
   * of them that match are counted and taken off.
   */
  private async keptCount(appId: number, region: string, conditions: readonly InstanceCondition[]): Promise<number | undefined> {
    const zones = conditions.filter((c) => c.kind === "column" && c.column === "zone");
    const tags = conditions.filter((c) => c.kind === "tag");
    if (zones.length > 1 || tags.length > 1 || zones.length + tags.length !== conditions.length) return undefined;
    const zone = zones[0]?.kind === "column" ? zones[0].values.map(String) : undefined;
    const tag = tags[0]?.kind === "tag" ? tags[0] : undefined;
    const kept = await countedInstances(this.db, appId, region, zone, tag);
    // Found by the state index first: asked together with the zone, SQLite walks the zone's index instead.
    const expired = await this.db
      .selectFrom("instances")
      .select("seq")
      .where("app_id", "=", appId)
      .where("region", "=", region)
      .where("state", "=", "LAUNCH_FAILED")
      .where("created_at", "<", this.launchFailureCutoff())
      .execute();
    if (expired.length === 0) return kept;
    const hidden = await conditions
      .reduce((q, c) => this.condition(q, appId, c, "probe"), this.db.selectFrom("instances").where("seq", "in", expired.map((r) => r.seq)))
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirst();
    return kept - Number(hidden?.n ?? 0);
  }

  async update(instanceId: string, change: InstanceChange, expect: { state?: StoredState; requestId?: string } = {}): Promise<boolean> {
    const rated = this.rater !== undefined && RATED.some((k) => change[k] !== undefined);
    const disked = DISKED.some((k) => change[k] !== undefined);
    if ((rated || disked) && !this.inTransaction) return this.atomically((i) => i.update(instanceId, change, expect));
    const set: Updateable<InstancesTable> = {};
    if (change.state !== undefined) set.state = change.state;
    if (change.latestOperation !== undefined) set.latest_operation = change.latestOperation;
    if (change.latestOperationState !== undefined) set.latest_operation_state = change.latestOperationState;
    if (change.latestOperationRequestId !== undefined) set.latest_operation_request_id = change.latestOperationRequestId;
    if (change.latestOperationError !== undefined) set.latest_operation_error = change.latestOperationError;
    if (change.instanceName !== undefined) set.instance_name = change.instanceName;
    if (change.instanceType !== undefined) set.instance_type = change.instanceType;
    if (change.instanceFamily !== undefined) set.instance_family = change.instanceFamily;
    if (change.imageId !== undefined) set.image_id = change.imageId;
    if (change.chargeType !== undefined) set.charge_type = change.chargeType;
    if (change.projectId !== undefined) set.project_id = change.projectId;
    if (change.publicIp !== undefined) set.public_ip = change.publicIp;
    if (change.vpcId !== undefined) set.vpc_id = change.vpcId;
    if (change.subnetId !== undefined) set.subnet_id = change.subnetId;
    if (change.privateIp !== undefined) set.private_ip = change.privateIp;
    if (change.hostNode !== undefined) set.host_node = change.hostNode;
    if (change.doc) {
      const current = await this.db.selectFrom("instances").select("doc").where("instance_id", "=", instanceId).executeTakeFirst();
      if (!current) return false;
      set.doc = JSON.stringify({ ...JSON.parse(current.doc), ...change.doc });
      if (change.doc.ExpiredTime !== undefined) set.expires_at = expiresAt(change.doc.ExpiredTime);
      // An instance leaves its resource pool pack when the pack ends (the key is there, its value undefined).
      if ("DedicatedResourcePackId" in change.doc) set.resource_pack_id = change.doc.DedicatedResourcePackId ?? null;
    }
    // What holds a purchase quota changes with a failed launch, a new charge type or a new instance type (rare
    // changes): the kept counts follow them.
    const requota = change.state === "LAUNCH_FAILED" || change.chargeType !== undefined || change.instanceType !== undefined;
    const before = requota ? await countedOf(this.db, instanceId) : undefined;
    let q = this.db.updateTable("instances").set(set).where("instance_id", "=", instanceId);
    if (expect.state !== undefined) q = q.where("state", "=", expect.state);
    if (expect.requestId !== undefined) q = q.where("latest_operation_request_id", "=", expect.requestId);
    const applied = Object.keys(set).length ? Number((await q.executeTakeFirst()).numUpdatedRows) === 1 : true;
    if (!applied) return false;
    if (before) await requotaInstance(this.db, before, { state: change.state ?? before.state, chargeType: change.chargeType ?? before.chargeType, instanceType: change.instanceType ?? before.instanceType });
    if (change.keyIds !== undefined && !(await this.rebind(instanceId, change.keyIds))) return false;
    if (change.securityGroupIds !== undefined && !(await this.regroup(instanceId, change.securityGroupIds))) return false;
    if (rated) await this.rerate(instanceId);
    if (disked) {
      const row = await this.db.selectFrom("instances").select(["instance_id", "app_id", "region", "zone", "charge_type", "project_id", "created_at", "doc"]).where("instance_id", "=", instanceId).executeTakeFirstOrThrow();
      await this.disks().follow({ instanceId, appId: Number(row.app_id), region: row.region, zone: row.zone, chargeType: row.charge_type, projectId: Number(row.project_id), createdAt: row.created_at, doc: JSON.parse(row.doc) as InstanceDoc });
    }
    return true;
  }

  /** Replaces an instance's security groups, in priority order; the foreign key refuses a group that does not exist. */
  private async regroup(instanceId: string, securityGroupIds: readonly string[]): Promise<boolean> {
    const row = await this.db.selectFrom("instances").select(["seq", "app_id"]).where("instance_id", "=", instanceId).executeTakeFirst();
    if (!row) return false;
    await this.db.deleteFrom("instance_security_groups").where("instance_seq", "=", row.seq).execute();
    const groups = securityGroupIds.map((security_group_id, position) => ({ instance_seq: row.seq, app_id: row.app_id, security_group_id, position }));
    if (groups.length) await this.db.insertInto("instance_security_groups").values(groups).execute();
    return true;
  }

  /** Replaces an instance's key pairs with those of `keyIds` that exist in its account and region. */
  private async rebind(instanceId: string, keyIds: readonly string[]): Promise<boolean> {
    const row = await this.db.selectFrom("instances").select(["seq", "app_id", "region"]).where("instance_id", "=", instanceId).executeTakeFirst();
    if (!row) return false;
    await this.db.deleteFrom("instance_key_pairs").where("instance_seq", "=", row.seq).execute();
    const keys = await keyHomes(this.db, keyIds);
    const bindings = keyIds.filter((id) => keys.get(id) === home({ appId: Number(row.app_id), region: row.region })).map((key_id, position) => ({ instance_seq: row.seq, key_id, position }));
    if (bindings.length) await this.db.insertInto("instance_key_pairs").values(bindings).execute();
    return true;
  }

  async billed(states: readonly StoredState[], chargeTypes: readonly string[], appId?: number): Promise<InstanceRecord[]> {
    let q = this.db.selectFrom("instances").selectAll().where("charge_type", "in", [...chargeTypes]).where("state", "in", [...states]);
    if (appId !== undefined) q = q.where("app_id", "=", appId);
    return this.hydrate(await q.execute());
  }

  async expiring(states: readonly StoredState[], until: number): Promise<InstanceRecord[]> {
    // No condition on charge_type: only monthly instances have an ExpiredTime, and one would lead SQLite to the
    // (charge_type, state) index, which holds every monthly instance, instead of the expiry index.
    const rows = await this.db.selectFrom("instances").selectAll().where("expires_at", "<=", until).where("state", "in", [...states]).execute();
    return this.hydrate(rows);
  }

  async nextExpiry(states: readonly StoredState[], after: number): Promise<number | undefined> {
    const row = await this.db
      .selectFrom("instances")
      .select("expires_at")
      .where("expires_at", ">", after)
      .where("state", "in", [...states])
      .orderBy("expires_at")
      .limit(1)
      .executeTakeFirst();
    return row ? Number(row.expires_at) : undefined;
  }

  async anyBilled(states: readonly StoredState[], chargeTypes: readonly string[], appId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom("instances")
      .select("seq")
      .where("app_id", "=", appId)
      .where("charge_type", "in", [...chargeTypes])
      .where("state", "in", [...states])
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async countByType(appId: number, region: string, zone: string, chargeType: string, since?: string): Promise<Map<string, number>> {
    // Kept counts serve all of the zone's; purchases since a date (the monthly quota) are counted from the index.
    if (!since) return quotaCounts(this.db, appId, region, zone, chargeType);
    // A failed launch holds no quota.
    const q = this.live(appId, region).where("zone", "=", zone).where("charge_type", "=", chargeType).where("state", "!=", "LAUNCH_FAILED").where("created_at", ">=", since);
    const rows = await q.select(["instance_type", (eb) => eb.fn.countAll().as("n")]).groupBy("instance_type").execute();
    return new Map(rows.map((r) => [r.instance_type, Number(r.n)]));
  }

  async inStates(states: readonly StoredState[], page?: { after: number; limit: number }): Promise<InstancePower[]> {
    let q = this.db.selectFrom("instances").select(POWER_COLUMNS).where("state", "in", [...states]);
    // By the table's own key: the rows come in storage order. By instance id (random), each row of the page was a
    // random read of the table, 170 ms a page of 5,000 at 100,000 instances.
    if (page) q = q.where("seq", ">", page.after).orderBy("seq").limit(page.limit);
    return powerOfRows(await q.execute());
  }

  async powerOf(instanceIds: readonly string[]): Promise<InstancePower[]> {
    if (instanceIds.length === 0) return [];
    return powerOfRows(await this.db.selectFrom("instances").select(POWER_COLUMNS).where("instance_id", "in", [...instanceIds]).execute());
  }

  /** The account's instances in a region, less failed launches past their retention (until they are deleted). */
  private live(appId: number, region: string): Listing {
    const cutoff = this.launchFailureCutoff();
    return this.db
      .selectFrom("instances")
      .where("app_id", "=", appId)
      .where("region", "=", region)
      .where((eb) => eb.or([eb("state", "!=", "LAUNCH_FAILED"), eb("created_at", ">=", cutoff)]));
  }

  private launchFailureCutoff(): string {
    return isoSeconds(new Date(this.clock.nowMs() - LAUNCH_FAILED_RETENTION_MS));
  }

  async removeExpiredLaunchFailures(): Promise<number> {
    // The state as a literal: a partial index (instances_launch_failed) serves only a query that names its condition.
    const rows = await this.db.selectFrom("instances").select("instance_id").where("state", "=", sql.lit("LAUNCH_FAILED")).where("created_at", "<", this.launchFailureCutoff()).execute();
    for (const r of rows) await this.remove(r.instance_id);
    return rows.length;
  }

  /** A condition on the instance's own columns, or on its tags or security groups (`mode`: see Related). */
  private condition(q: Listing, appId: number, c: InstanceCondition, mode: Related): Listing {
    type Tags = SelectQueryBuilder<Database, "instances" | "instance_tags", object>;
    const tagged = (where: (t: Tags) => Tags) =>
      mode === "set"
        ? q.where("seq", "in", where(this.db.selectFrom("instance_tags") as Tags).where("instance_tags.app_id", "=", appId).select("instance_tags.instance_seq"))
        : q.where((eb: ExpressionBuilder<Database, "instances">) =>
            eb.exists(where(eb.selectFrom("instance_tags").select(sql`1`.as("one")).whereRef("instance_tags.instance_seq", "=", "instances.seq"))),
          );
    switch (c.kind) {
      case "column":
        return q.where(COLUMNS[c.column], "in", c.values);
      case "name-contains":
        return q.where((eb) => eb.or(c.values.map((v) => eb(sql`lower(instance_name)`, "like", sql`lower(${`%${escapeLike(v)}%`}) escape '\\'`))));
      case "security-group": {
        if (mode === "set") {
          return q.where("seq", "in", this.db.selectFrom("instance_security_groups").where("app_id", "=", appId).where("security_group_id", "in", c.values).select("instance_seq"));
        }
        return q.where((eb) =>
          eb.exists(
            eb
              .selectFrom("instance_security_groups")
              .select(sql`1`.as("one"))
              .whereRef("instance_security_groups.instance_seq", "=", "instances.seq")
              .where("security_group_id", "in", c.values),
          ),
        );
      }
      case "tag-key":
        return tagged((t) => t.where("tag_key", "in", c.values));
      case "tag-value":
        return tagged((t) => t.where("tag_value", "in", c.values));
      case "tag":
        return tagged((t) => t.where("tag_key", "=", c.key).where("tag_value", "in", c.values));
      case "created": {
        let r = q;
        if (c.after) r = r.where("created_at", ">=", c.after);
        if (c.before) r = r.where("created_at", "<=", c.before);
        return r;
      }
      case "none":
        return q.where(sql<boolean>`1 = 0`);
    }
  }

  private async hydrate(rows: InstanceRow[]): Promise<InstanceRecord[]> {
    if (rows.length === 0) return [];
    const seqs = rows.map((r) => r.seq);
    // Tags, security groups and key pairs in one query: a lookup by id is mostly these round trips.
    const related = await this.db
      .selectFrom("instance_tags")
      .select(["instance_seq", sql<string>`'tag'`.as("kind"), "tag_key as a", "tag_value as b", sql<number>`0`.as("position")])
      .where("instance_seq", "in", seqs)
      .unionAll(
        this.db
          .selectFrom("instance_security_groups")
          .select(["instance_seq", sql<string>`'group'`.as("kind"), "security_group_id as a", sql<string>`''`.as("b"), "position"])
          .where("instance_seq", "in", seqs),
      )
      .unionAll(
        this.db
          .selectFrom("instance_key_pairs")
          .select(["instance_seq", sql<string>`'key'`.as("kind"), "key_id as a", sql<string>`''`.as("b"), "position"])
          .where("instance_seq", "in", seqs),
      )
      .execute();
    related.sort((x, y) => x.position - y.position);
    const of = (seq: number, kind: string) => related.filter((x) => x.instance_seq === seq && x.kind === kind);
    return rows.map((r) => ({
      instanceId: r.instance_id,
      appId: Number(r.app_id),
      region: r.region,
      zone: r.zone,
      state: r.state as StoredState,
      instanceName: r.instance_name,
      instanceType: r.instance_type,
      instanceFamily: r.instance_family,
      imageId: r.image_id,
      chargeType: r.charge_type,
      projectId: Number(r.project_id),
      vpcId: r.vpc_id,
      subnetId: r.subnet_id,
      privateIp: r.private_ip,
      publicIp: r.public_ip,
      uuid: r.uuid,
      createdAt: r.created_at,
      latestOperation: r.latest_operation,
      latestOperationState: r.latest_operation_state as InstanceRecord["latestOperationState"],
      latestOperationRequestId: r.latest_operation_request_id,
      latestOperationError: r.latest_operation_error,
      tags: of(r.seq, "tag").map((t) => ({ key: t.a, value: t.b })),
      securityGroupIds: of(r.seq, "group").map((g) => g.a),
      keyIds: of(r.seq, "key").map((k) => k.a),
      doc: JSON.parse(r.doc),
    }));
  }
}

/** An instance's row as it is stored (the bulk seed of the benchmarks writes the same rows). */
export function toRow(r: InstanceRecord): Insertable<InstancesTable> {
  return {
    instance_id: r.instanceId,
    app_id: r.appId,
    region: r.region,
    zone: r.zone,
    state: r.state,
    instance_name: r.instanceName,
    instance_type: r.instanceType,
    instance_family: r.instanceFamily,
    image_id: r.imageId,
    charge_type: r.chargeType,
    project_id: r.projectId,
    vpc_id: r.vpcId,
    subnet_id: r.subnetId,
    private_ip: r.privateIp,
    public_ip: r.publicIp,
    uuid: r.uuid,
    created_at: r.createdAt,
    latest_operation: r.latestOperation,
    latest_operation_state: r.latestOperationState,
    latest_operation_request_id: r.latestOperationRequestId,
    latest_operation_error: r.latestOperationError,
    doc: JSON.stringify(r.doc),
    expires_at: expiresAt(r.doc.ExpiredTime),
    dedicated_host_id: r.doc.HostId ?? null,
    hpc_cluster_id: r.doc.HpcClusterId ?? null,
    resource_pack_id: r.doc.DedicatedResourcePackId ?? null,
  };
}

function expiresAt(expiredTime: string | null | undefined): number | null {
  return expiredTime ? Date.parse(expiredTime) : null;
}

function escapeLike(v: string): string {
  return v.replace(/[\\%_]/g, (c) => `\\${c}`);
}
