import type { Kysely } from "kysely";

// Custom images (public ones are catalog data) and who they are shared with. An image's integer seq is its
// creation order, the listing order.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("images")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("image_id", "varchar(32)", (c) => c.notNull().unique())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("image_name", "varchar(128)", (c) => c.notNull())
    .addColumn("state", "varchar(32)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("doc", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("images_account").on("images").columns(["app_id", "region", "image_name"]).execute();

  await db.schema
    .createTable("image_shares")
    .addColumn("image_seq", "integer", (c) => c.notNull().references("images.seq").onDelete("cascade"))
    .addColumn("shared_with", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addPrimaryKeyConstraint("image_shares_pk", ["image_seq", "shared_with"])
    .execute();
  await db.schema.createIndex("image_shares_with").on("image_shares").column("shared_with").execute();
}
