import type { Kysely } from "kysely";

// The key pairs a custom image carries: those of the instance it was captured from, in its account and region.
// Deleting the image frees them (cascade); a carried key cannot be deleted (no cascade from the key's side: the
// foreign key refuses it), as with instances.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("image_key_pairs")
    .addColumn("image_seq", "integer", (c) => c.notNull().references("images.seq").onDelete("cascade"))
    .addColumn("key_id", "varchar(32)", (c) => c.notNull().references("key_pairs.key_id"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("image_key_pairs_pk", ["image_seq", "key_id"])
    .execute();
  // "Which images carry this key", for DeleteKeyPairs.
  await db.schema.createIndex("image_key_pairs_key").on("image_key_pairs").columns(["key_id", "image_seq"]).execute();
}
