// opencvm logs: the event log (what happened to instances, money and the service), oldest first.
import type { Command } from "commander";
import { print, withTarget } from "./context.js";

const KINDS = ["instance", "operation", "billing", "clock", "admin", "service"];

export function logsCommand(program: Command): void {
  program
    .command("logs")
    .description(`the event log: ${KINDS.join(", ")} events with their RequestIds`)
    .option("--kind <kind>", `only events of this kind (${KINDS.join(", ")})`)
    .option("-n, --limit <n>", "the last n events", "100")
    .action((o: { kind?: string; limit: string }, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const q = new URLSearchParams({ Limit: o.limit, ...(o.kind ? { Kind: o.kind } : {}) });
        const { Events } = (await t.call("GET", `events?${q}`)) as { Events: Record<string, unknown>[] };
        if (json) return print(Events.map((e) => JSON.stringify(e)).join("\n") || "");
        const lines = Events.map(({ ts, kind, msg, ...rest }) => {
          const details = Object.entries(rest).map(([k, v]) => `${k}=${String(v)}`).join(" ");
          return `${String(ts)}  ${String(kind).padEnd(9)}  ${String(msg)}${details ? `  (${details})` : ""}`;
        });
        print(lines.join("\n") || "(no events)");
      }),
    );
}
