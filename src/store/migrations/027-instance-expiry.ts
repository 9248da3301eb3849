import type { Kysely } from "kysely";

// A monthly instance's ExpiredTime as an indexed column (ms since the epoch; null when it has none), so billing finds
// what falls due by a range on the index instead of reading every monthly instance of every account each tick.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("instances").addColumn("expires_at", "bigint").execute();
  await db.schema.createIndex("instances_expiry").on("instances").columns(["expires_at"]).execute();
  // Filled from the document in JS: the dialects read JSON and convert times differently.
  const kdb = db as Kysely<{ instances: { instance_id: string; doc: string; expires_at: number | null } }>;
  const rows = await kdb.selectFrom("instances").select(["instance_id", "doc"]).execute();
  for (const r of rows) {
    const expiredTime = (JSON.parse(r.doc) as { ExpiredTime?: string | null }).ExpiredTime;
    if (expiredTime) await kdb.updateTable("instances").set({ expires_at: Date.parse(expiredTime) }).where("instance_id", "=", r.instance_id).execute();
  }
}
