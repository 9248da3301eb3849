// ImportInstancesActionTimer, DescribeInstancesActionTimer and DeleteInstancesActionTimer: an instance's scheduled
// termination, kept per account and region. The timers fall due on the service clock (billing/action-timers.ts).
import { action } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { utcSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import type { InstanceState } from "../../../domain/lifecycle.js";
import type { ActionTimerQuery, ActionTimerRecord, ActionTimerStatus } from "../../../store/store.js";
import { checkActionTimer, checkTimerAction, checkTimerIds, newTimers, TIMER_STATUSES } from "./action-timer-inputs.js";
import { checkIds, findInstances } from "./instance-operations.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

/** States from which no termination can come: the instance is going, or never came up. */
const UNTIMED: readonly string[] = ["TERMINATING", "LAUNCH_FAILED"] satisfies InstanceState[];
/** A timer that has not run yet: an instance has one at most. */
const PENDING: ActionTimerStatus[] = ["UNDO", "DOING"];

export function actionTimerView(t: ActionTimerRecord): cvm.ActionTimer {
  return {
    TimerAction: t.timerAction,
    ActionTime: t.actionTime,
    Externals: t.releaseAddress === null ? {} : { ReleaseAddress: t.releaseAddress },
    ActionTimerId: t.actionTimerId,
    Status: t.status,
    InstanceId: t.instanceId,
  };
}

export const importInstancesActionTimer = action<cvm.ImportInstancesActionTimerRequest, cvm.ImportInstancesActionTimerResponse>("cvm", "ImportInstancesActionTimer", async (ctx, p, deps) => {
  checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  const plan = checkActionTimer(ctx.action, p.ActionTimer, "ActionTimer", ctx.now);
  // Checked and written in one transaction: two requests cannot both give an instance a timer.
  const timers = await deps.store.transaction(async (tx) => {
    const records = await findInstances(tx, ctx, p.InstanceIds);
    const going = records.find((r) => UNTIMED.includes(r.state));
    if (going) {
      throw fail("UnsupportedOperation.NotSupportImportInstancesActionTimer", `Instance ${going.instanceId} is ${going.state}: it cannot be terminated by a timer.`, `实例 ${going.instanceId} 处于 ${going.state} 状态，无法设置定时销毁。`);
    }
    const [held] = await tx.actionTimers.list(ctx.account.appId, ctx.region!, { instanceIds: p.InstanceIds, statuses: PENDING });
    if (held) {
      throw fail("FailedOperation.MutActionTimerExist", `Instance ${held.instanceId} already has action timer ${held.actionTimerId} (${held.status}); delete it first.`, `实例 ${held.instanceId} 已存在定时任务 ${held.actionTimerId}（${held.status}），请先删除。`);
    }
    const made = newTimers(ctx, p.InstanceIds, plan);
    await tx.actionTimers.insert(made);
    return made;
  });
  return { ActionTimerIds: timers.map((t) => t.actionTimerId) };
});

/** A bound of StartActionTime/EndActionTime: as documented (2018-05-01 19:00:00, UTC) or as ISO-8601 (the example). */
function bound(action: string, value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const iso = utcSeconds(value, true);
  if (iso === undefined) {
    throw invalid(documentedCode(action, ["InvalidParameterValue.InvalidTimeFormat"]), field, value, "expected a UTC time such as 2018-05-01 19:00:00 or 2018-05-01T19:00:00Z", "应为 UTC 时间，如 2018-05-01 19:00:00 或 2018-05-01T19:00:00Z");
  }
  return iso;
}

/** StatusList: UNDO, DOING or DONE. */
function statuses(list: readonly string[] | undefined): ActionTimerStatus[] | undefined {
  const bad = list?.find((s) => !TIMER_STATUSES.includes(s as ActionTimerStatus));
  if (bad !== undefined) throw invalid("InvalidParameterValue", "StatusList", bad, `a status is one of ${TIMER_STATUSES.join(", ")}`, `状态取值为 ${TIMER_STATUSES.join("、")}`);
  return list as ActionTimerStatus[] | undefined;
}

export const describeInstancesActionTimer = action<cvm.DescribeInstancesActionTimerRequest, cvm.DescribeInstancesActionTimerResponse>("cvm", "DescribeInstancesActionTimer", async (ctx, p, deps) => {
  if (p.ActionTimerIds) checkTimerIds(ctx.action, p.ActionTimerIds, "ActionTimerIds");
  if (p.InstanceIds) checkIds(ctx.action, p.InstanceIds, "InstanceIds");
  const q: ActionTimerQuery = {
    actionTimerIds: p.ActionTimerIds,
    instanceIds: p.InstanceIds,
    timerAction: p.TimerAction === undefined ? undefined : checkTimerAction(ctx.action, p.TimerAction, "TimerAction"),
    from: bound(ctx.action, p.StartActionTime, "StartActionTime"),
    to: bound(ctx.action, p.EndActionTime, "EndActionTime"),
    statuses: statuses(p.StatusList),
  };
  if (q.from && q.to && q.from > q.to) {
    throw invalid("InvalidParameterValue", "EndActionTime", p.EndActionTime, `it is before StartActionTime (${p.StartActionTime})`, `早于 StartActionTime（${p.StartActionTime}）`);
  }
  // No paging: every matching timer, as the real API answers.
  return { ActionTimers: (await deps.store.actionTimers.list(ctx.account.appId, ctx.region!, q)).map(actionTimerView) };
});

export const deleteInstancesActionTimer = action<cvm.DeleteInstancesActionTimerRequest, cvm.DeleteInstancesActionTimerResponse>("cvm", "DeleteInstancesActionTimer", async (ctx, p, deps) => {
  checkTimerIds(ctx.action, p.ActionTimerIds, "ActionTimerIds");
  // All or nothing, checked where it is written: a timer falling due meanwhile is not deleted half-run.
  await deps.store.transaction(async (tx) => {
    const found = new Map((await tx.actionTimers.list(ctx.account.appId, ctx.region!, { actionTimerIds: p.ActionTimerIds })).map((t) => [t.actionTimerId, t]));
    const missing = p.ActionTimerIds.filter((id) => !found.has(id));
    if (missing.length) {
      throw fail("ResourceNotFound", `No action timer ${missing.join(", ")} exists in ${ctx.region} (\`ActionTimerIds\`).`, `定时任务 ${missing.join("，")} 在 ${ctx.region} 不存在（\`ActionTimerIds\`）。`);
    }
    const ran = [...found.values()].find((t) => t.status !== "UNDO");
    if (ran) {
      throw invalid("UnsupportedOperation", "ActionTimerIds", ran.actionTimerId, `the timer is ${ran.status}; only a timer not yet run (UNDO) can be deleted`, `该定时任务状态为 ${ran.status}，只能删除未执行（UNDO）的定时任务`);
    }
    await tx.actionTimers.remove(p.ActionTimerIds);
  });
  return {};
});
