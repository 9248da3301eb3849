// The instance counts of migration 035: adjusted in the transaction that creates, deletes or retags an instance,
// rebuilt from the rows when rows arrive by other ways (the migration, a replaced state, the benchmarks' bulk
// load), and read for a TotalCount whose filters are only zones and one tag.
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema.js";

type Tag = { key: string; value: string };

/** What counting an instance needs of it. */
export interface Counted {
  appId: number;
  region: string;
  zone: string;
  state: string;
  chargeType: string;
  instanceType: string;
  tags: readonly Tag[];
}

/** A failed launch holds no purchase quota. */
const holdsQuota = (i: Pick<Counted, "state">) => i.state !== "LAUNCH_FAILED";

/** Adds `sign` (1 or -1) for each instance to every count it is part of: the region's, its zone's and its tags'. */
export async function countInstances(db: Kysely<Database>, instances: readonly Counted[], sign: 1 | -1): Promise<void> {
  const keys: (string | number)[][] = [];
  for (const i of instances) {
    for (const zone of ["", i.zone]) {
      keys.push([i.appId, i.region, zone, "", ""]);
      for (const t of i.tags) keys.push([i.appId, i.region, zone, t.key, t.value]);
    }
  }
  await adjust(db, "instance_counts", ["app_id", "region", "zone", "tag_key", "tag_value"], keys, sign);
  await countQuotas(db, instances.filter(holdsQuota), sign);
}

/** Adds `sign` for each instance to the count of its zone, charge type and instance type. */
async function countQuotas(db: Kysely<Database>, instances: readonly Omit<Counted, "tags" | "state">[], sign: 1 | -1): Promise<void> {
  const keys = instances.map((i) => [i.appId, i.region, i.zone, i.chargeType, i.instanceType]);
  await adjust(db, "instance_type_counts", ["app_id", "region", "zone", "charge_type", "instance_type"], keys, sign);
}

/** Adds `sign` to the count of each key (the values of `columns`), once per distinct key, creating what is not kept yet. */
async function adjust(db: Kysely<Database>, table: "instance_counts" | "instance_type_counts", columns: readonly string[], keys: readonly (string | number)[][], sign: 1 | -1): Promise<void> {
  const deltas = new Map<string, { key: readonly (string | number)[]; n: number }>();
  for (const key of keys) {
    const id = JSON.stringify(key);
    const d = deltas.get(id);
    if (d) d.n += sign;
    else deltas.set(id, { key, n: sign });
  }
  const counts = db as unknown as Kysely<Record<string, Record<string, string | number>>>;
  for (const { key, n } of deltas.values()) {
    await counts
      .insertInto(table)
      .values({ ...Object.fromEntries(columns.map((c, i) => [c, key[i]])), n })
      .onConflict((oc) => oc.columns(columns as string[]).doUpdateSet({ n: sql`${sql.ref(`${table}.n`)} + ${n}` }))
      .execute();
  }
}

/** Moves an instance's purchase-quota count from what it was to what it now is. */
export async function requotaInstance(db: Kysely<Database>, before: Counted, now: Pick<Counted, "state" | "chargeType" | "instanceType">): Promise<void> {
  if (holdsQuota(before)) await countQuotas(db, [before], -1);
  if (holdsQuota(now)) await countQuotas(db, [{ ...before, ...now }], 1);
}

/** The instances holding a purchase quota in the zone, per instance type, of one charge type. */
export async function quotaCounts(db: Kysely<Database>, appId: number, region: string, zone: string, chargeType: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("instance_type_counts")
    .select(["instance_type", "n"])
    .where("app_id", "=", appId)
    .where("region", "=", region)
    .where("zone", "=", zone)
    .where("charge_type", "=", chargeType)
    .where("n", ">", 0)
    .execute();
  return new Map(rows.map((r) => [r.instance_type, Number(r.n)]));
}

/** The instance of `instanceId` as counted, if it exists. */
export async function countedOf(db: Kysely<Database>, instanceId: string): Promise<(Counted & { seq: number }) | undefined> {
  const row = await db.selectFrom("instances").select(["seq", "app_id", "region", "zone", "state", "charge_type", "instance_type"]).where("instance_id", "=", instanceId).executeTakeFirst();
  if (!row) return undefined;
  const tags = await db.selectFrom("instance_tags").select(["tag_key as key", "tag_value as value"]).where("instance_seq", "=", row.seq).execute();
  return { seq: row.seq, appId: Number(row.app_id), region: row.region, zone: row.zone, state: row.state, chargeType: row.charge_type, instanceType: row.instance_type, tags };
}

/** Rebuilds every count from the instances and their tags. */
export async function recountInstances(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom("instance_counts").execute();
  await db.deleteFrom("instance_type_counts").execute();
  await db
    .insertInto("instance_type_counts")
    .columns(["app_id", "region", "zone", "charge_type", "instance_type", "n"])
    .expression(
      db
        .selectFrom("instances")
        .select(["app_id", "region", "zone", "charge_type", "instance_type", (eb) => eb.fn.countAll<number>().as("n")])
        .where("state", "!=", "LAUNCH_FAILED")
        .groupBy(["app_id", "region", "zone", "charge_type", "instance_type"]),
    )
    .execute();
  const columns = ["app_id", "region", "zone", "tag_key", "tag_value", "n"] as const;
  for (const byZone of [false, true]) {
    await db
      .insertInto("instance_counts")
      .columns(columns)
      .expression(
        db
          .selectFrom("instances")
          .select(["app_id", "region", byZone ? "zone" : sql<string>`''`.as("zone"), sql<string>`''`.as("tag_key"), sql<string>`''`.as("tag_value"), (eb) => eb.fn.countAll<number>().as("n")])
          .groupBy(byZone ? ["app_id", "region", "zone"] : ["app_id", "region"]),
      )
      .execute();
    await db
      .insertInto("instance_counts")
      .columns(columns)
      .expression(
        db
          .selectFrom("instance_tags")
          .innerJoin("instances", "instances.seq", "instance_tags.instance_seq")
          .select([
            "instances.app_id",
            "instances.region",
            byZone ? "instances.zone" : sql<string>`''`.as("zone"),
            "instance_tags.tag_key",
            "instance_tags.tag_value",
            (eb) => eb.fn.countAll<number>().as("n"),
          ])
          .groupBy(byZone ? ["instances.app_id", "instances.region", "instances.zone", "instance_tags.tag_key", "instance_tags.tag_value"] : ["instances.app_id", "instances.region", "instance_tags.tag_key", "instance_tags.tag_value"]),
      )
      .execute();
  }
}

/**
 * How many instances of the account in the region are in one of `zones` (any zone when undefined) and carry `tag`
 * with one of its values (tagged or not when undefined), every state included.
 */
export async function countedInstances(db: Kysely<Database>, appId: number, region: string, zones: readonly string[] | undefined, tag: { key: string; values: readonly string[] } | undefined): Promise<number> {
  const row = await db
    .selectFrom("instance_counts")
    .select((eb) => eb.fn.sum<number>("n").as("n"))
    .where("app_id", "=", appId)
    .where("region", "=", region)
    .where("zone", "in", zones ? [...new Set(zones)] : [""])
    .where("tag_key", "=", tag ? tag.key : "")
    .where("tag_value", "in", tag ? [...new Set(tag.values)] : [""])
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
