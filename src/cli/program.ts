// The opencvm command: one commander program, one file per command. Options may come anywhere on the line; help
// exists for every command (`opencvm help accounts`, `opencvm accounts create --help`).
import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { SETTINGS, type SettingName } from "../config.js";
import { accountsCommand } from "./accounts.js";
import { callCommand } from "./call.js";
import { catalogCommand } from "./catalog.js";
import { clockCommand } from "./clock.js";
import { GLOBAL_SETTINGS } from "./context.js";
import { envCommand } from "./env.js";
import { chcCommand } from "./chc.js";
import { instancesCommand } from "./instances.js";
import { logsCommand } from "./logs.js";
import { migrateStoreCommand } from "./migrate-store.js";
import { serveCommand } from "./serve.js";
import { stateCommand } from "./state.js";
import { vmsCommand } from "./vms.js";

/** The package's version: package.json is two folders up from the sources and the bundle (dist/bin), three from tsc's build (dist/src/cli). */
function version(): string {
  for (const up of ["../../package.json", "../../../package.json"]) {
    try {
      return (JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as { name: string; version: string }).version;
    } catch {
      // the other place
    }
  }
  return "unknown";
}

export function buildProgram(): Command {
  const program = new Command("opencvm")
    .description("A self-hosted Tencent Cloud CVM API. Commands act on the running server, or on a data directory with --data.")
    .version(version())
    .option("--json", "print answers as JSON")
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (text, write) => write(`opencvm: ${text.replace(/^error: /, "").trim().replace(/\s*\n\s*/g, " ")}\n`) })
    .addHelpText("after", "\nExit codes: 0 done, 1 the action failed, 2 a usage or configuration error.\nEvery option is also an environment variable (OPENCVM_…); see `opencvm serve --help`.");
  for (const name of GLOBAL_SETTINGS) {
    const s = SETTINGS[name as SettingName];
    program.addOption(new Option(`${s.flag} <value>`, `${s.doc} (${s.env})`).default(undefined, "default" in s && s.default !== "" ? s.default : undefined));
  }
  serveCommand(program);
  accountsCommand(program);
  callCommand(program);
  instancesCommand(program);
  chcCommand(program);
  stateCommand(program);
  clockCommand(program);
  logsCommand(program);
  envCommand(program);
  catalogCommand(program);
  migrateStoreCommand(program);
  vmsCommand(program);
  // A group without its subcommand is a usage error that names the choices, not a page of help.
  for (const group of program.commands.filter((c) => c.commands.length && c.name() !== "clock")) {
    group.action(() => {
      throw new CommanderUsage(`${group.name()} needs a subcommand: ${group.commands.map((c) => c.name()).join(", ")} (opencvm ${group.name()} --help)`);
    });
  }
  return program;
}

/** A usage mistake found after commander's own parsing. */
export class CommanderUsage extends Error {}
