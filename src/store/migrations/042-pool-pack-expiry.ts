import type { Kysely } from "kysely";

// Billing finds the resource pool packs whose term has ended (ACTIVE, end_time at or before the clock) every few
// seconds: an index on the status and the end of the term keeps that a range read. end_time is an ISO-8601 UTC string
// to the second, so ordering the strings orders the times.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("resource_pool_packs_expiry").on("resource_pool_packs").columns(["status", "end_time"]).execute();
}
