import type { Kysely } from "kysely";

// Launch templates and their versions. A version is immutable once written: its launch members are one JSON
// document (the members as asked, which RunInstances merges, and the resolved view DescribeLaunchTemplateVersions
// shows). Deleting a template deletes its versions (cascade). The seq is the creation order, the listing order.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("launch_templates")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("launch_template_id", "varchar(32)", (c) => c.notNull().unique())
    .addColumn("app_id", "bigint", (c) => c.notNull().references("accounts.app_id"))
    .addColumn("region", "varchar(32)", (c) => c.notNull())
    .addColumn("name", "varchar(256)", (c) => c.notNull())
    .addColumn("default_version", "integer", (c) => c.notNull())
    // The highest number ever given: a deleted latest version's number is not given again.
    .addColumn("latest_version", "integer", (c) => c.notNull())
    .addColumn("created_by", "varchar(64)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    // JSON array of {key, value}: the template's own tags (LaunchTemplateTagSpecification).
    .addColumn("tags", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("launch_templates_account").on("launch_templates").columns(["app_id", "region", "name"]).execute();

  await db.schema
    .createTable("launch_template_versions")
    .addColumn("template_seq", "integer", (c) => c.notNull().references("launch_templates.seq").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("description", "varchar(512)", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("created_by", "varchar(64)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addPrimaryKeyConstraint("launch_template_versions_pk", ["template_seq", "version"])
    .execute();
}
