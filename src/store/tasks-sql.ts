// The VPC's tasks: what DescribeTaskResult answers, and the ClientTokens of the calls that made them.
import type { Kysely, Selectable } from "kysely";
import type { Database, TasksTable } from "./schema.js";
import type { TaskRecord, TaskRepo } from "./store.js";

const record = (r: Selectable<TasksTable>): TaskRecord => ({
  taskId: Number(r.task_id),
  appId: Number(r.app_id),
  region: r.region,
  action: r.action,
  clientToken: r.client_token,
  resourceIds: JSON.parse(r.resource_ids) as string[],
  result: r.result as TaskRecord["result"],
  createdAt: r.created_at,
});

export class SqlTasks implements TaskRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async add(t: TaskRecord): Promise<void> {
    await this.db
      .insertInto("tasks")
      .values({ task_id: t.taskId, app_id: t.appId, region: t.region, action: t.action, client_token: t.clientToken, resource_ids: JSON.stringify(t.resourceIds), result: t.result, created_at: t.createdAt })
      .execute();
  }

  async get(appId: number, taskId: number): Promise<TaskRecord | undefined> {
    const row = await this.db.selectFrom("tasks").selectAll().where("app_id", "=", appId).where("task_id", "=", taskId).executeTakeFirst();
    return row && record(row);
  }

  async byClientToken(appId: number, action: string, token: string): Promise<TaskRecord | undefined> {
    const row = await this.db.selectFrom("tasks").selectAll().where("app_id", "=", appId).where("action", "=", action).where("client_token", "=", token).executeTakeFirst();
    return row && record(row);
  }

  async prune(before: string, limit: number): Promise<number> {
    const old = this.db.selectFrom("tasks").select(["app_id", "task_id"]).where("created_at", "<", before).limit(limit);
    const r = await this.db.deleteFrom("tasks").where((eb) => eb(eb.refTuple("app_id", "task_id"), "in", old.$asTuple("app_id", "task_id"))).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
