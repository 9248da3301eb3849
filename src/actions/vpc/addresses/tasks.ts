// The VPC's asynchronous tasks. OpenCVM's address changes apply within the request, so each task is written,
// already SUCCESS, in the transaction of the change it reports; DescribeTaskResult answers from those rows.
import { randomInt } from "node:crypto";
import { action, type RequestContext } from "../../../api/action.js";
import type * as vpc from "../../../api/generated/vpc-types.js";
import { isoSeconds } from "../../../domain/dates.js";
import { fail } from "../../../domain/errors.js";
import type { Store } from "../../../store/store.js";

/** Records a finished task of `action` (with the ids it made, for a retry with its ClientToken) and gives its id. */
export async function recordTask(tx: Store, ctx: RequestContext, actionName: string, resourceIds: string[] = [], clientToken: string | null = null): Promise<number> {
  const taskId = randomInt(100_000_000, 1_000_000_000);
  await tx.tasks.add({ taskId, appId: ctx.account.appId, region: ctx.region!, action: actionName, clientToken, resourceIds, result: "SUCCESS", createdAt: isoSeconds(ctx.now) });
  return taskId;
}

export const describeTaskResult = action<vpc.DescribeTaskResultRequest, vpc.DescribeTaskResultResponse>("vpc", "DescribeTaskResult", async (ctx, p, deps) => {
  if (p.TaskId === undefined && p.DealName === undefined) throw fail("MissingParameter", "Give `TaskId` or `DealName`.", "`TaskId` 与 `DealName` 必须指定一个。");
  // OpenCVM sells no EIP through orders, so no deal name names a task.
  if (p.TaskId === undefined) throw fail("InvalidParameter", `No task was made by the order \`${p.DealName}\`; OpenCVM's address tasks are found by \`TaskId\`.`, `订单 \`${p.DealName}\` 没有对应的任务；请使用 \`TaskId\` 查询。`);
  const task = await deps.store.tasks.get(ctx.account.appId, p.TaskId);
  // Worded alike for a task of another account and one that never was: the answer tells nothing of other accounts.
  if (!task) throw fail("InvalidParameter", "No task of this account has the `TaskId` given.", "`TaskId` 指定的任务在本账号下不存在。");
  return { TaskId: task.taskId, Result: task.result };
}, { partial: "finds tasks by TaskId only: OpenCVM sells nothing through orders, so no DealName names a task" });
