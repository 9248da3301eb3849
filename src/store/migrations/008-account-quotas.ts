import type { Kysely } from "kysely";

// Purchase quotas an operator set for one account, over the defaults (src/domain/quotas.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("account_quotas")
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("quota", "varchar(32)", (c) => c.notNull())
    .addColumn("value", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("account_quotas_pk", ["app_id", "quota"])
    .execute();
}
