import type { Kysely } from "kysely";

// A monthly EIP's deadline as an indexed column (ms since the epoch; null for any other EIP and for an isolated one),
// so billing finds the terms that end by a range on the index. No EIP had a term before this migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("addresses").addColumn("expires_at", "bigint").execute();
  await db.schema.createIndex("addresses_expiry").on("addresses").columns(["expires_at"]).execute();
}
