import { sql, type Kysely } from "kysely";

// What each account has frozen, kept as a total beside the per-resource freezes: a purchase checks it, and summing
// the freezes of an account with 100,000 instances cost a launch more than 10 ms.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("frozen_totals")
    .addColumn("app_id", "bigint", (c) => c.primaryKey())
    .addColumn("amount", "bigint", (c) => c.notNull())
    .execute();
  await sql`INSERT INTO frozen_totals (app_id, amount) SELECT app_id, sum(amount) FROM freezes GROUP BY app_id`.execute(db);
}
