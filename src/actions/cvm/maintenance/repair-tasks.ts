// Maintenance tasks: DescribeTaskInfo lists the tasks raised against the caller's instances (an operator raises
// them: `opencvm instances repair`), RepairTaskControl authorises one now or for a booked time. A task's progress
// follows from its authorisation on the service clock (domain/repair-tasks.ts).
import { action, type Deps, type RequestContext } from "../../../api/action.js";
import type * as cvm from "../../../api/generated/cvm-types.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import { progress, TASK_TYPES } from "../../../domain/repair-tasks.js";
import type { InstanceRecord, RepairTaskRecord } from "../../../store/store.js";
import { invalid } from "../../shared/refusals.js";

const PRODUCTS = ["CVM", "CDH", "CPM2.0"];
const MAX_LIMIT = 100;
const ORDER_FIELDS = { CreateTime: "createdAt", AuthTime: "authTime", EndTime: "endTime" } as const;

/** "YYYY-MM-DD hh:mm:ss" (UTC), the API's time format here, from ISO and back. */
const apiTime = (iso: string): string => iso.replace("T", " ").replace(/Z$/, "");
function isoOf(value: string, field: string): string {
  if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(value) || Number.isNaN(Date.parse(`${value.replace(" ", "T")}Z`))) {
    throw invalid("InvalidParameterValue", field, value, "expected YYYY-MM-DD hh:mm:ss", "格式应为 YYYY-MM-DD hh:mm:ss");
  }
  return `${value.replace(" ", "T")}Z`;
}

function view(t: RepairTaskRecord, i: InstanceRecord | undefined, now: string): cvm.RepairTaskInfo & { endTime: string | null } {
  const p = progress(t.authTime, now);
  return {
    TaskId: t.taskId,
    InstanceId: t.instanceId,
    Alias: i?.instanceName ?? null,
    TaskTypeId: t.taskTypeId,
    TaskTypeName: TASK_TYPES[t.taskTypeId],
    TaskStatus: p.taskStatus,
    DeviceStatus: p.deviceStatus,
    OperateStatus: p.operateStatus,
    CreateTime: apiTime(t.createdAt),
    AuthTime: t.authTime && apiTime(t.authTime),
    EndTime: p.endTime && apiTime(p.endTime),
    TaskDetail: t.detail,
    Zone: i?.zone ?? null,
    Region: t.region,
    VpcId: i?.vpcId ?? null,
    VpcName: null,
    SubnetId: i?.subnetId ?? null,
    SubnetName: null,
    WanIp: i?.publicIp ?? null,
    LanIp: i?.privateIp ?? null,
    Product: "CVM",
    TaskSubType: null,
    AuthType: t.authType,
    AuthSource: t.authSource,
    endTime: p.endTime,
  };
}

/** The account's tasks in the region, each with its instance while that exists. */
async function tasksWithInstances(ctx: RequestContext, deps: Deps) {
  const tasks = await deps.store.repairTasks.all(ctx.account.appId, ctx.region!);
  const instances = new Map((await deps.store.instances.find(ctx.account.appId, ctx.region!, [...new Set(tasks.map((t) => t.instanceId))])).map((i) => [i.instanceId, i]));
  return tasks.map((t) => ({ task: t, instance: instances.get(t.instanceId) }));
}

export const describeTaskInfo = action<cvm.DescribeTaskInfoRequest, cvm.DescribeTaskInfoResponse>("cvm", "DescribeTaskInfo", async (ctx, p, deps) => {
  if (p.Limit < 0 || p.Limit > MAX_LIMIT) throw invalid("InvalidParameterValue", "Limit", p.Limit, `it must be between 0 and ${MAX_LIMIT}`, `取值范围为 0 到 ${MAX_LIMIT}`);
  if (p.Offset < 0) throw invalid("InvalidParameterValue", "Offset", p.Offset, "it must not be negative", "不能为负数");
  if (p.Product && !PRODUCTS.includes(p.Product)) throw invalid("InvalidParameterValue", "Product", p.Product, `use ${PRODUCTS.join(", ")}`, `取值应为 ${PRODUCTS.join("、")}`);
  if (p.Order !== undefined && p.Order !== 0 && p.Order !== 1) throw invalid("InvalidParameterValue", "Order", p.Order, "use 0 (ascending) or 1 (descending)", "取值应为 0（升序）或 1（降序）");
  const orderField = p.OrderField || "CreateTime";
  if (!Object.hasOwn(ORDER_FIELDS, orderField)) throw invalid("InvalidParameterValue", "OrderField", orderField, "use CreateTime, AuthTime or EndTime", "取值应为 CreateTime、AuthTime 或 EndTime");
  const now = isoSeconds(ctx.now);
  // By default, today's tasks (from midnight, UTC, on the service clock) up to now.
  const start = p.StartDate ? isoOf(p.StartDate, "StartDate") : `${now.slice(0, 10)}T00:00:00Z`;
  const end = p.EndDate ? isoOf(p.EndDate, "EndDate") : now;
  const rows = (await tasksWithInstances(ctx, deps))
    .map(({ task, instance }) => ({ task, instance, shown: view(task, instance, now) }))
    .filter(
      ({ task, shown }) =>
        (!p.Product || p.Product === "CVM") &&
        task.createdAt >= start &&
        task.createdAt <= end &&
        (!p.TaskStatus?.length || p.TaskStatus.includes(shown.TaskStatus)) &&
        (!p.TaskTypeIds?.length || p.TaskTypeIds.includes(task.taskTypeId)) &&
        (!p.TaskIds?.length || p.TaskIds.includes(task.taskId)) &&
        (!p.InstanceIds?.length || p.InstanceIds.includes(task.instanceId)) &&
        (!p.Aliases?.length || (shown.Alias !== null && p.Aliases.includes(shown.Alias))),
    );
  const key = ORDER_FIELDS[orderField as keyof typeof ORDER_FIELDS];
  const value = (r: (typeof rows)[number]) => (key === "createdAt" ? r.task.createdAt : key === "authTime" ? r.task.authTime : r.shown.endTime) ?? "";
  rows.sort((a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : 0) * (p.Order === 1 ? -1 : 1));
  return { TotalCount: rows.length, RepairTaskInfoSet: rows.slice(p.Offset, p.Offset + p.Limit).map(({ shown: { endTime: _, ...v } }) => v) };
});

/** A booked authorisation: at least 5 minutes ahead and within 48 hours. */
const EARLIEST_MS = 5 * 60_000;
const LATEST_MS = 48 * 3_600_000;

export const repairTaskControl = action<cvm.RepairTaskControlRequest, cvm.RepairTaskControlResponse>("cvm", "RepairTaskControl", async (ctx, p, deps) => {
  if (p.Product !== "CVM") throw invalid("InvalidParameter", "Product", p.Product, "OpenCVM raises tasks against CVM instances only", "OpenCVM 仅有云服务器的维修任务");
  if (p.Operate !== "AuthorizeRepair") throw invalid("InvalidParameter", "Operate", p.Operate, "the only operation is AuthorizeRepair", "仅支持 AuthorizeRepair");
  let authTime = isoSeconds(ctx.now);
  if (p.OrderAuthTime) {
    const at = isoOf(p.OrderAuthTime, "OrderAuthTime");
    const ahead = Date.parse(at) - ctx.now.getTime();
    if (ahead < EARLIEST_MS || ahead > LATEST_MS) throw invalid("InvalidParameter", "OrderAuthTime", p.OrderAuthTime, "book at least 5 minutes ahead and within 48 hours", "预约时间需晚于当前时间至少 5 分钟，且在 48 小时之内");
    authTime = at;
  }
  await deps.store.transaction(async (tx) => {
    const task = (await tx.repairTasks.all(ctx.account.appId, ctx.region!)).find((t) => t.taskId === p.TaskId);
    if (!task || !p.InstanceIds.includes(task.instanceId)) {
      throw invalid("InvalidParameter", "TaskId", p.TaskId, `no task of the instances given in ${ctx.region}`, `${ctx.region} 不存在所给实例的该维修任务`);
    }
    if (task.authTime !== null) throw fail("InvalidParameter", `Task ${task.taskId} was authorised already (${apiTime(task.authTime)}).`, `维修任务 ${task.taskId} 已授权（${apiTime(task.authTime)}）。`);
    await tx.repairTasks.authorise(task.taskId, authTime, "Customer_auth");
  });
  return { TaskId: p.TaskId };
});
