// Action timers. Times are stored as ISO-8601 UTC to the second, so comparing them as strings compares the times.
import type { Kysely, Selectable } from "kysely";
import type { ActionTimersTable, Database } from "./schema.js";
import type { ActionTimerQuery, ActionTimerRecord, ActionTimerRepo, ActionTimerStatus } from "./store.js";

function toRecord(r: Selectable<ActionTimersTable>): ActionTimerRecord {
  return {
    actionTimerId: r.action_timer_id,
    appId: Number(r.app_id),
    region: r.region,
    instanceId: r.instance_id,
    timerAction: r.timer_action,
    actionTime: r.action_time,
    releaseAddress: r.release_address === null ? null : r.release_address === 1,
    status: r.status as ActionTimerStatus,
    createdAt: r.created_at,
  };
}

export class SqlActionTimers implements ActionTimerRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(records: readonly ActionTimerRecord[]): Promise<void> {
    if (!records.length) return;
    await this.db
      .insertInto("action_timers")
      .values(
        records.map((t) => ({
          action_timer_id: t.actionTimerId,
          app_id: t.appId,
          region: t.region,
          instance_id: t.instanceId,
          timer_action: t.timerAction,
          action_time: t.actionTime,
          release_address: t.releaseAddress === null ? null : Number(t.releaseAddress),
          status: t.status,
          created_at: t.createdAt,
        })),
      )
      .execute();
  }

  async list(appId: number, region: string, q: ActionTimerQuery): Promise<ActionTimerRecord[]> {
    let query = this.db.selectFrom("action_timers").selectAll().where("app_id", "=", appId).where("region", "=", region);
    if (q.actionTimerIds?.length) query = query.where("action_timer_id", "in", q.actionTimerIds);
    if (q.instanceIds?.length) query = query.where("instance_id", "in", q.instanceIds);
    if (q.statuses?.length) query = query.where("status", "in", q.statuses);
    if (q.timerAction !== undefined) query = query.where("timer_action", "=", q.timerAction);
    if (q.from !== undefined) query = query.where("action_time", ">=", q.from);
    if (q.to !== undefined) query = query.where("action_time", "<=", q.to);
    return (await query.orderBy("action_time").orderBy("seq").execute()).map(toRecord);
  }

  async due(at: string): Promise<ActionTimerRecord[]> {
    const rows = await this.db
      .selectFrom("action_timers")
      .selectAll()
      .where((eb) => eb.or([eb.and([eb("status", "=", "UNDO"), eb("action_time", "<=", at)]), eb("status", "=", "DOING")]))
      .orderBy("action_time")
      .orderBy("seq")
      .execute();
    return rows.map(toRecord);
  }

  async nextDue(after: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("action_timers")
      .select("action_time")
      .where("status", "=", "UNDO")
      .where("action_time", ">", after)
      .orderBy("action_time")
      .limit(1)
      .executeTakeFirst();
    return row?.action_time;
  }

  async setStatus(actionTimerId: string, status: ActionTimerStatus, expect: ActionTimerStatus): Promise<boolean> {
    const r = await this.db.updateTable("action_timers").set({ status }).where("action_timer_id", "=", actionTimerId).where("status", "=", expect).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async remove(actionTimerIds: readonly string[]): Promise<void> {
    if (actionTimerIds.length) await this.db.deleteFrom("action_timers").where("action_timer_id", "in", actionTimerIds).execute();
  }

  async prune(before: string, limit: number): Promise<number> {
    const old = this.db
      .selectFrom("action_timers as t")
      .select("t.seq")
      .where("t.status", "=", "DONE")
      .where("t.action_time", "<", before)
      .where((eb) => eb.not(eb.exists(eb.selectFrom("instances as i").select("i.seq").whereRef("i.instance_id", "=", "t.instance_id"))))
      .limit(limit);
    const r = await this.db.deleteFrom("action_timers").where("seq", "in", old).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** The instance is gone: its timers not yet run end DONE, as it is terminated, which is what they were for. */
  async endWith(instanceId: string): Promise<void> {
    await this.db.updateTable("action_timers").set({ status: "DONE" }).where("instance_id", "=", instanceId).where("status", "in", ["UNDO", "DOING"]).execute();
  }
}
