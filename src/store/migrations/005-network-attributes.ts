import type { Kysely } from "kysely";

// VPCs and subnets become full resources: names, and the rest of their attributes as one JSON document.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("vpcs").addColumn("vpc_name", "varchar(128)", (c) => c.notNull().defaultTo("")).execute();
  await db.schema.alterTable("vpcs").addColumn("doc", "text", (c) => c.notNull().defaultTo("{}")).execute();
  await db.schema.alterTable("subnets").addColumn("subnet_name", "varchar(128)", (c) => c.notNull().defaultTo("")).execute();
  await db.schema.alterTable("subnets").addColumn("doc", "text", (c) => c.notNull().defaultTo("{}")).execute();
}
