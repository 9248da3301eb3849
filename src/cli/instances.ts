// opencvm instances list|show: the instances of every account, and one with its operations.
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
}
