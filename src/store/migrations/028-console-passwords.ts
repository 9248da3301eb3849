import type { Kysely } from "kysely";

// The web console's password an operator set for an account (`opencvm accounts console-password`), kept only as an
// scrypt hash with its salt and parameters in one string; deleting the account deletes it (every table with app_id).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("console_passwords")
    .addColumn("app_id", "bigint", (c) => c.primaryKey().references("accounts.app_id"))
    .addColumn("hash", "varchar(256)", (c) => c.notNull())
    .execute();
}
