// Key pairs, their tags, and the instances and images bound to them. An account holds at most a quota's worth per
// region, so listings are plain filtered scans of the account's keys.
import { sql, type Kysely, type SelectQueryBuilder } from "kysely";
import type { Database, KeyPairsTable } from "./schema.js";
import type { KeyPairCondition, KeyPairRecord, KeyPairRepo, NewKeyPair } from "./store.js";

type Listing = SelectQueryBuilder<Database, "key_pairs", object>;
type Row = Omit<KeyPairsTable, "seq"> & { seq: number };

/** Where a resource lives, as `keyHomes` gives it: a resource binds only keys of its own account and region. */
export const home = (r: { appId: number; region: string }): string => `${r.appId}/${r.region}`;

/** Which of these key pairs exist, each with its `home`. */
export async function keyHomes(db: Kysely<Database>, keyIds: readonly string[]): Promise<Map<string, string>> {
  if (keyIds.length === 0) return new Map();
  const rows = await db.selectFrom("key_pairs").select(["key_id", "app_id", "region"]).where("key_id", "in", [...new Set(keyIds)]).execute();
  return new Map(rows.map((r) => [r.key_id, home({ appId: Number(r.app_id), region: r.region })]));
}

export class SqlKeyPairs implements KeyPairRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(r: NewKeyPair): Promise<void> {
    const { seq } = await this.db
      .insertInto("key_pairs")
      .values({
        key_id: r.keyId,
        app_id: r.appId,
        region: r.region,
        key_name: r.keyName,
        project_id: r.projectId,
        description: r.description,
        public_key: r.publicKey,
        fingerprint: r.fingerprint,
        created_at: r.createdAt,
      })
      .returning("seq")
      .executeTakeFirstOrThrow();
    if (r.tags.length) await this.db.insertInto("key_pair_tags").values(r.tags.map((t) => ({ key_seq: seq, app_id: r.appId, tag_key: t.key, tag_value: t.value }))).execute();
  }

  async find(appId: number, region: string, ids: readonly string[]): Promise<KeyPairRecord[]> {
    if (ids.length === 0) return [];
    return this.hydrate(await this.account(appId, region).selectAll().where("key_id", "in", [...ids]).execute());
  }

  async list(appId: number, region: string, conditions: readonly KeyPairCondition[], offset: number, limit: number) {
    const query = conditions.reduce((q, c) => this.condition(q, c), this.account(appId, region));
    const [rows, counted] = await Promise.all([
      query.selectAll().orderBy("seq", "desc").offset(offset).limit(limit).execute(),
      query.select((eb) => eb.fn.countAll().as("n")).executeTakeFirst(),
    ]);
    return { total: Number(counted?.n ?? 0), records: await this.hydrate(rows) };
  }

  async count(appId: number, region: string): Promise<number> {
    const row = await this.account(appId, region).select((eb) => eb.fn.countAll().as("n")).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async byName(appId: number, region: string, name: string): Promise<string | undefined> {
    return (await this.account(appId, region).select("key_id").where("key_name", "=", name).executeTakeFirst())?.key_id;
  }

  async byFingerprint(appId: number, region: string, fingerprint: string): Promise<string | undefined> {
    return (await this.account(appId, region).select("key_id").where("fingerprint", "=", fingerprint).executeTakeFirst())?.key_id;
  }

  async update(keyId: string, change: { keyName?: string; description?: string }): Promise<void> {
    const set: { key_name?: string; description?: string } = {};
    if (change.keyName !== undefined) set.key_name = change.keyName;
    if (change.description !== undefined) set.description = change.description;
    if (Object.keys(set).length) await this.db.updateTable("key_pairs").set(set).where("key_id", "=", keyId).execute();
  }

  async remove(keyIds: readonly string[]): Promise<void> {
    if (keyIds.length) await this.db.deleteFrom("key_pairs").where("key_id", "in", [...keyIds]).execute();
  }

  private account(appId: number, region: string): Listing {
    return this.db.selectFrom("key_pairs").where("key_pairs.app_id", "=", appId).where("key_pairs.region", "=", region);
  }

  private condition(q: Listing, c: KeyPairCondition): Listing {
    const tagged = (where: (t: SelectQueryBuilder<Database, "key_pair_tags", object>) => SelectQueryBuilder<Database, "key_pair_tags", object>) =>
      q.where((eb) => eb.exists(where(eb.selectFrom("key_pair_tags").select(sql`1`.as("one")).whereRef("key_pair_tags.key_seq", "=", "key_pairs.seq"))));
    switch (c.kind) {
      case "key-id":
        return q.where("key_id", "in", c.values);
      case "project":
        return q.where("project_id", "in", c.values);
      case "name":
        return q.where("key_name", "in", c.values);
      case "tag-key":
        return tagged((t) => t.where("tag_key", "in", c.values));
      case "tag-value":
        return tagged((t) => t.where("tag_value", "in", c.values));
      case "tag":
        return tagged((t) => t.where("tag_key", "=", c.key).where("tag_value", "in", c.values));
    }
  }

  private async hydrate(rows: Row[]): Promise<KeyPairRecord[]> {
    if (rows.length === 0) return [];
    const seqs = rows.map((r) => r.seq);
    const ids = rows.map((r) => r.key_id);
    const [tags, bound, carried] = await Promise.all([
      this.db.selectFrom("key_pair_tags").select(["key_seq", "tag_key", "tag_value"]).where("key_seq", "in", seqs).execute(),
      this.db
        .selectFrom("instance_key_pairs")
        .innerJoin("instances", "instances.seq", "instance_key_pairs.instance_seq")
        .select(["instance_key_pairs.key_id", "instances.instance_id"])
        .where("instance_key_pairs.key_id", "in", ids)
        .orderBy("instances.seq")
        .execute(),
      this.db
        .selectFrom("image_key_pairs")
        .innerJoin("images", "images.seq", "image_key_pairs.image_seq")
        .select(["image_key_pairs.key_id", "images.image_id"])
        .where("image_key_pairs.key_id", "in", ids)
        .orderBy("images.seq")
        .execute(),
    ]);
    return rows.map((r) => ({
      keyId: r.key_id,
      appId: Number(r.app_id),
      region: r.region,
      keyName: r.key_name,
      projectId: Number(r.project_id),
      description: r.description,
      publicKey: r.public_key,
      fingerprint: r.fingerprint,
      createdAt: r.created_at,
      tags: tags.filter((t) => t.key_seq === r.seq).map((t) => ({ key: t.tag_key, value: t.tag_value })),
      instanceIds: bound.filter((b) => b.key_id === r.key_id).map((b) => b.instance_id),
      imageIds: carried.filter((c) => c.key_id === r.key_id).map((c) => c.image_id),
    }));
  }
}
