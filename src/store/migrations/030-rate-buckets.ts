import { PostgresAdapter, sql, type Kysely } from "kysely";

// The rate limit's token buckets where several nodes share the database, so that an account's limit holds for the
// whole cloud rather than per node. A bucket's state is worth nothing after a second, so on PostgreSQL the table is
// unlogged: its writes skip the write-ahead log (a crash empties it, which only refills every bucket).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("rate_buckets")
    .addColumn("bucket", "varchar(128)", (c) => c.primaryKey())
    .addColumn("tokens", "double precision", (c) => c.notNull())
    .addColumn("at", "double precision", (c) => c.notNull())
    .execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`alter table rate_buckets set unlogged`.execute(db);
}
