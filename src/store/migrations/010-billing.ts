import type { Kysely } from "kysely";

// Billing: the service clock's offset and the metering mark (service_state), each account's money (balances), the
// hour of cost frozen per pay-as-you-go resource (freezes), the rated usage intervals hourly settlement reads
// (meters) and the settled records the billing service answers from (bills). Money is in micro-units of the
// catalog's currency (1e-6 CNY): per-second usage of a cent-priced hour is exact to that.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("service_state")
    .addColumn("key", "varchar(64)", (c) => c.primaryKey())
    .addColumn("value", "varchar(64)", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("balances")
    .addColumn("app_id", "bigint", (c) => c.primaryKey().references("accounts.app_id"))
    .addColumn("cash", "bigint", (c) => c.notNull())
    .addColumn("owed", "bigint", (c) => c.notNull())
    .addColumn("arrears_since", "varchar(32)")
    .execute();
  await db.schema
    .createTable("freezes")
    .addColumn("resource_id", "varchar(32)", (c) => c.primaryKey())
    .addColumn("app_id", "bigint", (c) => c.notNull())
    .addColumn("amount", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("freezes_account").on("freezes").column("app_id").execute();
  await db.schema
    .createTable("meters")
    .addColumn("meter_id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("resource_id", "varchar(32)", (c) => c.notNull())
    .addColumn("app_id", "bigint", (c) => c.notNull())
    .addColumn("component", "varchar(32)", (c) => c.notNull())
    .addColumn("rate", "bigint", (c) => c.notNull())
    .addColumn("since", "bigint", (c) => c.notNull())
    .addColumn("until", "bigint")
    .addColumn("doc", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("meters_resource").on("meters").columns(["resource_id", "until"]).execute();
  await db.schema.createIndex("meters_since").on("meters").column("since").execute();
  await db.schema
    .createTable("bills")
    .addColumn("bill_id", "varchar(32)", (c) => c.primaryKey())
    .addColumn("app_id", "bigint", (c) => c.notNull())
    .addColumn("month", "varchar(7)", (c) => c.notNull())
    .addColumn("resource_id", "varchar(32)", (c) => c.notNull())
    .addColumn("pay_mode", "varchar(16)", (c) => c.notNull())
    .addColumn("action_type", "varchar(32)", (c) => c.notNull())
    .addColumn("business_code", "varchar(32)", (c) => c.notNull())
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("amount", "bigint", (c) => c.notNull())
    .addColumn("fee_begin", "varchar(32)", (c) => c.notNull())
    .addColumn("pay_time", "varchar(32)", (c) => c.notNull())
    .addColumn("doc", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("bills_month").on("bills").columns(["app_id", "month", "pay_time"]).execute();
  // The expiry job looks for monthly instances only.
  await db.schema.createIndex("instances_billing").on("instances").columns(["charge_type", "state"]).execute();
}
