// Launch templates and their immutable versions. An account holds at most a quota's worth per region, and a
// template a few dozen versions, so listings are plain scans of the account's rows.
import type { Kysely, Selectable } from "kysely";
import type { Database, LaunchTemplatesTable } from "./schema.js";
import type { LaunchTemplateRecord, LaunchTemplateRepo, LaunchTemplateVersionRecord, NewLaunchTemplate } from "./store.js";

export class SqlLaunchTemplates implements LaunchTemplateRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(t: NewLaunchTemplate, first: LaunchTemplateVersionRecord): Promise<void> {
    const { seq } = await this.db
      .insertInto("launch_templates")
      .values({
        launch_template_id: t.launchTemplateId,
        app_id: t.appId,
        region: t.region,
        name: t.name,
        default_version: first.version,
        latest_version: first.version,
        created_by: t.createdBy,
        created_at: t.createdAt,
        tags: JSON.stringify(t.tags),
      })
      .returning("seq")
      .executeTakeFirstOrThrow();
    await this.insertVersion(seq, first);
  }

  async count(appId: number, region: string): Promise<number> {
    const row = await this.account(appId, region).select((eb) => eb.fn.countAll().as("n")).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async find(appId: number, region: string, ids: readonly string[]): Promise<LaunchTemplateRecord[]> {
    if (ids.length === 0) return [];
    return this.hydrate(await this.account(appId, region).selectAll().where("launch_template_id", "in", [...ids]).execute());
  }

  async list(appId: number, region: string, names: readonly string[] | undefined, offset: number, limit: number) {
    const query = names ? this.account(appId, region).where("name", "in", [...names]) : this.account(appId, region);
    const [rows, counted] = await Promise.all([
      query.selectAll().orderBy("seq").offset(offset).limit(limit).execute(),
      query.select((eb) => eb.fn.countAll().as("n")).executeTakeFirst(),
    ]);
    return { total: Number(counted?.n ?? 0), records: await this.hydrate(rows) };
  }

  async versions(launchTemplateId: string): Promise<LaunchTemplateVersionRecord[]> {
    const rows = await this.db
      .selectFrom("launch_template_versions")
      .innerJoin("launch_templates", "launch_templates.seq", "launch_template_versions.template_seq")
      .select(["launch_template_versions.version", "launch_template_versions.description", "launch_template_versions.data", "launch_template_versions.created_by", "launch_template_versions.created_at"])
      .where("launch_templates.launch_template_id", "=", launchTemplateId)
      .orderBy("launch_template_versions.version")
      .execute();
    return rows.map((r) => ({
      launchTemplateId,
      version: Number(r.version),
      description: r.description,
      data: JSON.parse(r.data) as Record<string, unknown>,
      createdBy: r.created_by,
      createdAt: r.created_at,
    }));
  }

  async addVersion(v: LaunchTemplateVersionRecord): Promise<void> {
    const { seq } = await this.db.selectFrom("launch_templates").select("seq").where("launch_template_id", "=", v.launchTemplateId).executeTakeFirstOrThrow();
    await this.insertVersion(seq, v);
    await this.db.updateTable("launch_templates").set({ latest_version: v.version }).where("seq", "=", seq).execute();
  }

  async setDefault(launchTemplateId: string, version: number): Promise<void> {
    await this.db.updateTable("launch_templates").set({ default_version: version }).where("launch_template_id", "=", launchTemplateId).execute();
  }

  async removeVersions(launchTemplateId: string, versions: readonly number[]): Promise<void> {
    if (versions.length === 0) return;
    const { seq } = await this.db.selectFrom("launch_templates").select("seq").where("launch_template_id", "=", launchTemplateId).executeTakeFirstOrThrow();
    await this.db.deleteFrom("launch_template_versions").where("template_seq", "=", seq).where("version", "in", [...versions]).execute();
  }

  async remove(launchTemplateId: string): Promise<void> {
    await this.db.deleteFrom("launch_templates").where("launch_template_id", "=", launchTemplateId).execute();
  }

  private account(appId: number, region: string) {
    return this.db.selectFrom("launch_templates").where("app_id", "=", appId).where("region", "=", region);
  }

  private async insertVersion(seq: number, v: LaunchTemplateVersionRecord): Promise<void> {
    await this.db
      .insertInto("launch_template_versions")
      .values({ template_seq: seq, version: v.version, description: v.description, data: JSON.stringify(v.data), created_by: v.createdBy, created_at: v.createdAt })
      .execute();
  }

  private async hydrate(rows: Selectable<LaunchTemplatesTable>[]): Promise<LaunchTemplateRecord[]> {
    if (rows.length === 0) return [];
    const counts = await this.db
      .selectFrom("launch_template_versions")
      .select(["template_seq", (eb) => eb.fn.countAll().as("n")])
      .where("template_seq", "in", rows.map((r) => r.seq))
      .groupBy("template_seq")
      .execute();
    return rows.map((r) => ({
      launchTemplateId: r.launch_template_id,
      appId: Number(r.app_id),
      region: r.region,
      name: r.name,
      defaultVersion: Number(r.default_version),
      latestVersion: Number(r.latest_version),
      versionCount: Number(counts.find((c) => Number(c.template_seq) === Number(r.seq))?.n ?? 0),
      createdBy: r.created_by,
      createdAt: r.created_at,
      tags: JSON.parse(r.tags) as { key: string; value: string }[],
    }));
  }
}
