// Maintenance tasks against instances: raised by an operator, authorised by the instance's owner.
import type { Kysely, Selectable } from "kysely";
import type { Database, RepairTasksTable } from "./schema.js";
import type { RepairTaskRecord, RepairTaskRepo } from "./store.js";

const record = (r: Selectable<RepairTasksTable>): RepairTaskRecord => ({
  taskId: r.task_id,
  appId: Number(r.app_id),
  region: r.region,
  instanceId: r.instance_id,
  taskTypeId: Number(r.task_type_id),
  authType: Number(r.auth_type),
  detail: r.detail,
  createdAt: r.created_at,
  authTime: r.auth_time,
  authSource: r.auth_source,
});

export class SqlRepairTasks implements RepairTaskRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(t: RepairTaskRecord): Promise<void> {
    await this.db
      .insertInto("repair_tasks")
      .values({ task_id: t.taskId, app_id: t.appId, region: t.region, instance_id: t.instanceId, task_type_id: t.taskTypeId, auth_type: t.authType, detail: t.detail, created_at: t.createdAt, auth_time: t.authTime, auth_source: t.authSource })
      .execute();
  }

  async all(appId: number, region: string): Promise<RepairTaskRecord[]> {
    return (await this.db.selectFrom("repair_tasks").selectAll().where("app_id", "=", appId).where("region", "=", region).orderBy("seq").execute()).map(record);
  }

  async authorise(taskId: string, authTime: string, authSource: string): Promise<void> {
    await this.db.updateTable("repair_tasks").set({ auth_time: authTime, auth_source: authSource }).where("task_id", "=", taskId).execute();
  }
}
