import type { Kysely } from "kysely";

// Counting an account's instances per zone and charge type (purchase quotas, counted in every RunInstances) from the
// index alone: at 100,000 instances a count that reads table rows costs a launch over 100 ms.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("instances_quota")
    .on("instances")
    .columns(["app_id", "region", "zone", "charge_type", "instance_type", "created_at"])
    .execute();
}
