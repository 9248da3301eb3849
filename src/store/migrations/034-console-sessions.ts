import type { Kysely } from "kysely";

// The web console's sessions and its count of sign-in attempts, in the database so that every node sharing it knows
// them: a session made on one node is valid on another, and an account or address refused on one is refused on all.
// A session is kept by the SHA-256 of its cookie's token (someone who reads the table cannot sign in with it) and goes
// with its account. An attempt counter is keyed by what it counts ("account:<hash>" or "address:<ip>") over a window
// that starts at its first attempt.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("console_sessions")
    .addColumn("token_hash", "varchar(64)", (c) => c.primaryKey())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("csrf", "varchar(64)", (c) => c.notNull())
    .addColumn("expires", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("console_sessions_by_app").on("console_sessions").columns(["app_id", "expires"]).execute();
  await db.schema.createIndex("console_sessions_by_expiry").on("console_sessions").column("expires").execute();
  await db.schema
    .createTable("console_sign_in_attempts")
    .addColumn("counter", "varchar(128)", (c) => c.primaryKey())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("since", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("console_sign_in_attempts_by_start").on("console_sign_in_attempts").column("since").execute();
}
