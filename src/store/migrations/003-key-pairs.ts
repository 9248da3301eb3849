import type { Kysely } from "kysely";

// SSH key pairs (public halves only: a private key is never stored), their tags, and the instances each is bound to.
// Key pairs are regional, as every CVM resource a request names by region; a key's integer seq is its creation
// order (the listing order). The unique indexes are the last word on a duplicate name or public key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("key_pairs")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("key_id", "varchar(32)", (c) => c.notNull().unique())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("key_name", "varchar(64)", (c) => c.notNull())
    .addColumn("project_id", "bigint", (c) => c.notNull())
    .addColumn("description", "varchar(256)", (c) => c.notNull())
    .addColumn("public_key", "text", (c) => c.notNull())
    .addColumn("fingerprint", "varchar(64)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("key_pairs_name").on("key_pairs").columns(["app_id", "region", "key_name"]).unique().execute();
  await db.schema.createIndex("key_pairs_fingerprint").on("key_pairs").columns(["app_id", "region", "fingerprint"]).unique().execute();

  await db.schema
    .createTable("key_pair_tags")
    .addColumn("key_seq", "integer", (c) => c.notNull().references("key_pairs.seq").onDelete("cascade"))
    .addColumn("app_id", "bigint", (c) => c.notNull())
    .addColumn("tag_key", "varchar(255)", (c) => c.notNull())
    .addColumn("tag_value", "varchar(255)", (c) => c.notNull())
    .addPrimaryKeyConstraint("key_pair_tags_pk", ["key_seq", "tag_key"])
    .execute();

  // An instance's keys in the order they were given. Deleting the instance frees them (cascade); a bound key cannot
  // be deleted (no cascade from the key's side: the foreign key refuses it).
  await db.schema
    .createTable("instance_key_pairs")
    .addColumn("instance_seq", "integer", (c) => c.notNull().references("instances.seq").onDelete("cascade"))
    .addColumn("key_id", "varchar(32)", (c) => c.notNull().references("key_pairs.key_id"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("instance_key_pairs_pk", ["instance_seq", "key_id"])
    .execute();
  // "Is this key bound anywhere", and the instances DescribeKeyPairs lists for a key.
  await db.schema.createIndex("instance_key_pairs_key").on("instance_key_pairs").columns(["key_id", "instance_seq"]).execute();
}
