// What ImportInstancesActionTimer and RunInstances take as an ActionTimer, and the timer ids the timer actions take,
// each refused with the code the action documents, naming the field.
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { isoSeconds, utcSeconds } from "../../../domain/dates.js";
import { errors } from "../../../domain/errors.js";
import type { ActionTimerRecord, ActionTimerStatus } from "../../../store/store.js";
import { MAX_IDS } from "./instance-operations.js";
import { documentedCode, invalid } from "../../shared/refusals.js";

/** The one action a timer can run (resources.md: ActionTimer). */
export const TIMER_ACTIONS = ["TerminateInstances"];
export const TIMER_STATUSES: readonly ActionTimerStatus[] = ["UNDO", "DOING", "DONE"];
/** An ActionTime must be at least this far after the request (limits.md: ActionTimer). */
const MIN_LEAD_MS = 5 * 60_000;
/** Timer ids are UUIDs, as the real cloud's are. */
const TIMER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Members of ActionTimer and its Externals that the API fills in answers (仅做出参使用): a request cannot set them. */
const OUTPUT_ONLY = ["ActionTimerId", "Status", "InstanceId"] as const;
const OUTPUT_ONLY_EXTERNALS = ["UnsupportNetworks", "StorageBlockAttr"] as const;

/** A checked ActionTimer: what each instance's timer is made of. */
export interface TimerPlan {
  timerAction: string;
  actionTime: string;
  releaseAddress: boolean | null;
}

export function checkTimerAction(action: string, value: string, field: string): string {
  if (!TIMER_ACTIONS.includes(value)) {
    throw invalid(documentedCode(action, ["InvalidParameterValue"]), field, value, `the only timer action is ${TIMER_ACTIONS.join(", ")}`, `定时器动作仅支持 ${TIMER_ACTIONS.join("、")}`);
  }
  return value;
}

/** An ActionTimer as a request gives it: TerminateInstances at an ActionTime at least 5 minutes after `now`. */
export function checkActionTimer(action: string, t: cvm.ActionTimerIn, field: string, now: Date): TimerPlan {
  for (const member of OUTPUT_ONLY) {
    if (t[member] !== undefined) throw invalid("InvalidParameter", `${field}.${member}`, t[member], "it is set by the API and only shown in answers", "该参数仅做出参使用");
  }
  for (const member of OUTPUT_ONLY_EXTERNALS) {
    if (t.Externals?.[member] !== undefined) throw invalid("InvalidParameter", `${field}.Externals.${member}`, JSON.stringify(t.Externals[member]), "it is set by the API and only shown in answers", "该参数仅做出参使用");
  }
  if (t.TimerAction === undefined) throw errors.missingParameter(`${field}.TimerAction`);
  if (t.ActionTime === undefined) throw errors.missingParameter(`${field}.ActionTime`);
  const timerAction = checkTimerAction(action, t.TimerAction, `${field}.TimerAction`);
  const actionTime = utcSeconds(t.ActionTime);
  if (actionTime === undefined) {
    throw invalid(documentedCode(action, ["InvalidParameterValue.InvalidTimeFormat"]), `${field}.ActionTime`, t.ActionTime, "expected an ISO-8601 UTC time such as 2026-05-29T11:26:40Z", "应为 ISO-8601 UTC 时间，如 2026-05-29T11:26:40Z");
  }
  const earliest = isoSeconds(new Date(Math.ceil((now.getTime() + MIN_LEAD_MS) / 1000) * 1000));
  if (actionTime < earliest) {
    throw invalid("InvalidParameterValue", `${field}.ActionTime`, t.ActionTime, `it must be at least 5 minutes from now (${earliest} or later)`, `执行时间须晚于当前时间至少 5 分钟（不早于 ${earliest}）`);
  }
  return { timerAction, actionTime, releaseAddress: t.Externals?.ReleaseAddress ?? null };
}

/** A list of timer ids: at most 100, each a timer id, none twice. */
export function checkTimerIds(action: string, ids: readonly string[], field: string): void {
  if (ids.length > MAX_IDS) {
    throw invalid(documentedCode(action, ["InvalidParameterValue.LimitExceeded"]), field, ids.length, `at most ${MAX_IDS} timer ids`, `最多 ${MAX_IDS} 个定时任务 ID`);
  }
  const bad = ids.find((id) => !TIMER_ID.test(id));
  if (bad !== undefined) throw invalid("InvalidParameterValue", field, bad, "not a timer id (a UUID such as 865d042d-0219-46c3-9821-6028c96cfb7c)", "不是定时任务 ID（应为 UUID，如 865d042d-0219-46c3-9821-6028c96cfb7c）");
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw invalid("InvalidParameterValue", field, twice, "the id is given twice", "ID 重复");
}

/** One UNDO timer per instance, made by the request. */
export function newTimers(ctx: RequestContext, instanceIds: readonly string[], plan: TimerPlan): ActionTimerRecord[] {
  return instanceIds.map((instanceId) => ({
    actionTimerId: randomUUID(),
    appId: ctx.account.appId,
    region: ctx.region!,
    instanceId,
    ...plan,
    status: "UNDO",
    createdAt: isoSeconds(ctx.now),
  }));
}
