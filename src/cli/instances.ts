// opencvm instances list|show|repair: the instances of every account, one with its operations, and a maintenance
// task raised against one (its owner sees it with DescribeTaskInfo and authorises it with RepairTaskControl).
import type { Command } from "commander";
import { show, table, withTarget } from "./context.js";

export function instancesCommand(program: Command): void {
  const instances = program.command("instances").description("instances across accounts");
  instances
    .command("list")
    .description("instances of every account, oldest first")
    .option("--app-id <AppId>", "only this account's")
    .option("--state <state>", "only those in this state (RUNNING, STOPPED, PENDING, LAUNCH_FAILED, SHUTDOWN, …)")
    .option("--limit <n>", "at most this many", "1000")
    .action((o: { appId?: string; state?: string; limit: string }, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const q = new URLSearchParams({ Limit: o.limit, ...(o.appId ? { AppId: o.appId } : {}), ...(o.state ? { State: o.state } : {}) });
        const { Instances } = (await t.call("GET", `instances?${q}`)) as { Instances: Record<string, unknown>[] };
        show(json, Instances, table(Instances, ["InstanceId", "AppId", "Zone", "InstanceType", "InstanceState", "LatestOperation", "LatestOperationState", "LatestOperationRequestId"]));
      }),
    );
  instances
    .command("show")
    .description("one instance, with the operations that worked on it and their RequestIds")
    .argument("<InstanceId>")
    .action((id: string, _o, cmd: Command) => withTarget(cmd, async (t) => show(true, await t.call("GET", `instances/${encodeURIComponent(id)}`))));
  instances
    .command("repair")
    .description("raise a maintenance task against an instance, for its owner to authorise")
    .argument("<InstanceId>")
    .requiredOption("--type <TaskTypeId>", "101 hidden danger, 102 abnormal running, 103 disk fault, 104 network fault, 105 running warning, 106 disk warning, 107 maintenance upgrade")
    .option("--auth-type <AuthType>", "the authorisations offered (1-8; 2: stop the instance)", "2")
    .option("--detail <text>", "what is wrong, as the owner reads it", "")
    .action((id: string, o: { type: string; authType: string; detail: string }, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const task = (await t.call("POST", `instances/${encodeURIComponent(id)}/repair-tasks`, { TaskTypeId: Number(o.type), AuthType: Number(o.authType), Detail: o.detail })) as Record<string, unknown>;
        show(json, task, `${String(task.TaskId)} raised against ${id}: ${String(task.TaskTypeName)}`);
      }),
    );
}
