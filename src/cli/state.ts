// opencvm state export|import|reset: the whole store as a snapshot file, and back.
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { UsageError } from "./errors.js";
import { print, show, withTarget } from "./context.js";

function readSnapshot(file: string): object {
  let text: string;
  try {
    text = file === "-" ? readFileSync(0, "utf8") : readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read the snapshot ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as object;
  } catch {
    throw new UsageError(`${file} is not a snapshot (not JSON): write one with \`opencvm state export\``);
  }
}

export function stateCommand(program: Command): void {
  const state = program.command("state").description("the whole state (every account, resource, bill and the clock) as a snapshot file");
  state
    .command("export")
    .description("writes a snapshot to FILE, or to standard output")
    .argument("[file]", "where to write it (- or nothing: standard output)")
    .action((file: string | undefined, _o, cmd: Command) =>
      withTarget(cmd, async (t) => {
        const snapshot = JSON.stringify(await t.call("GET", "state"));
        if (!file || file === "-") return print(snapshot);
        writeFileSync(file, snapshot + "\n", { mode: 0o600 });
        process.stderr.write(`snapshot of ${t.where} written to ${file}\n`);
      }),
    );
  state
    .command("import")
    .description("replaces the whole state with a snapshot's (work in progress is dropped)")
    .argument("<file>", "a file `state export` wrote (- for standard input)")
    .action((file: string, _o, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const r = await t.call("POST", "state", readSnapshot(file));
        show(json, r, `${t.where}: state replaced from ${file} in ${r.Milliseconds} ms; the clock reads ${r.Now}`);
      }),
    );
  state
    .command("reset")
    .description("back to a new state (the default account and its keys stay, the clock returns to real time), or to a snapshot's")
    .argument("[file]", "a snapshot to reset to")
    .action((file: string | undefined, _o, cmd: Command) =>
      withTarget(cmd, async (t, json) => {
        const r = file ? await t.call("POST", "state", readSnapshot(file)) : await t.call("POST", "state/reset", {});
        show(json, r, `${t.where}: reset${file ? ` to ${file}` : ""} in ${r.Milliseconds} ms; the clock reads ${r.Now}`);
      }),
    );
}
