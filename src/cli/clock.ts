// opencvm clock [show] | clock advance <duration>: the service clock billing and expiry run on. Moving it needs
// the running server; a long move goes a day at a time with a line of progress each, so a year is not one silent wait.
import type { Command } from "commander";
import { durationSeconds } from "../domain/duration.js";
import { MAX_ADVANCE_S } from "../http/admin-routes.js";
import { UsageError } from "./errors.js";
import { show, withTarget } from "./context.js";

const DAY_S = 86_400;

export function clockCommand(program: Command): void {
  const clock = program.command("clock").description("the service clock (billing, expiry and every created time read it)");
  const current = (_o: unknown, cmd: Command) =>
    withTarget(cmd, async (t, json) => {
      const c = await t.call("GET", "clock");
      show(json, c, `${c.Now} (${c.OffsetSeconds} s ahead of real time)`);
    });
  clock.action(current);
  clock.command("show").description("the time it reads and how far it is ahead of real time").action(current);
  clock
    .command("advance")
    .description("moves it forward, billing and expiring everything on the way, like that time lived")
    .argument("<duration>", "30s, 90m, 2h, 30d, or seconds")
    .action((duration: string, _o, cmd: Command) => {
      const total = durationSeconds(duration);
      if (total === undefined || total > MAX_ADVANCE_S) throw new UsageError(`"${duration}" is not a duration: use 30s, 90m, 2h, 30d or a number of seconds (at most ten years)`);
      return withTarget(cmd, async (t, json) => {
        let done = 0;
        let hours = 0;
        let last: Record<string, unknown> = {};
        while (done < total) {
          const step = Math.min(DAY_S, total - done);
          last = await t.call("POST", "clock", { Advance: step });
          done += step;
          hours += Number(last.HoursSettled);
          if (total > DAY_S) process.stderr.write(`advanced ${Math.floor(done / DAY_S)}d${done % DAY_S ? ` ${done % DAY_S}s` : ""} of ${duration}: ${last.Now}\n`);
        }
        show(json, { ...last, HoursSettled: hours }, `${last.Now} (${last.OffsetSeconds} s ahead of real time; ${hours} hour(s) settled)`);
      });
    });
}
