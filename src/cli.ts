#!/usr/bin/env node
// The opencvm command (src/cli/ has one file per command). With no command it serves, as `npm start` does.
// Whatever goes wrong ends in one line on stderr and an exit code scripts can rely on (cli/errors.ts).
import { CommanderError } from "commander";
import { buildProgram, CommanderUsage } from "./cli/program.js";
import { EXIT, exitCode, oneLine } from "./cli/errors.js";

// A reader that goes away (`opencvm catalog | head`) is not an error of ours.
process.stdout.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? EXIT.ok : EXIT.failed));

const fail = (e: unknown) => {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 || e.code === "commander.helpDisplayed" || e.code === "commander.version" ? EXIT.ok : EXIT.usage);
  process.stderr.write(`opencvm: ${oneLine(e)}\n`);
  process.exit(e instanceof CommanderUsage ? EXIT.usage : exitCode(e));
};

const args = process.argv.slice(2);
const program = buildProgram();
// No command (nothing, or only options): serve.
const commands = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]).concat(["help"]));
const helpOrVersion = args.some((a) => ["-h", "--help", "-V", "--version"].includes(a));
const argv = !args.some((a) => commands.has(a)) && !helpOrVersion && !args.some((a, i) => !a.startsWith("-") && (i === 0 || !args[i - 1].startsWith("--") || args[i - 1].includes("="))) ? ["serve", ...args] : args;
program.parseAsync(argv, { from: "user" }).catch(fail);
