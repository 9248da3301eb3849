// Help for every command and subcommand of the opencvm command, as a user asks for it: `--help` after the command
// and `help <command>`; both end with exit code 0 and show the command's own usage line.
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { opencvm } from "../helpers/cli.js";

/** Every command path: ["serve"], ["accounts"], ["accounts", "create"], … */
function paths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.filter((c) => c.name() !== "help").flatMap((c) => [[...prefix, c.name()], ...paths(c, [...prefix, c.name()])]);
}

const ALL = paths(buildProgram());

describe("opencvm help", () => {
  it("covers the commands the issue asks for", () => {
    const names = ALL.map((p) => p.join(" "));
    for (const expected of ["serve", "accounts create", "accounts list", "accounts show", "accounts rotate-keys", "accounts delete", "accounts quota", "accounts balance", "call", "instances list", "instances show", "state export", "state import", "state reset", "clock show", "clock advance", "logs", "env", "catalog", "vms show", "vms serial"]) {
      expect(names).toContain(expected);
    }
  });

  it("is printed for every command and subcommand with --help, exit code 0", async () => {
    // A few at a time: each is a process.
    for (let i = 0; i < ALL.length; i += 4) {
      await Promise.all(
        ALL.slice(i, i + 4).map(async (path) => {
          const r = await opencvm([...path, "--help"]);
          expect(r.code, `${path.join(" ")} --help: ${r.stderr}`).toBe(0);
          expect(r.stdout).toMatch(new RegExp(`^Usage: opencvm ${path.join(" ")}\\b`));
          expect(r.stderr).toBe("");
        }),
      );
    }
  }, 600_000);

  it("is printed by `opencvm help <command>` and `opencvm --help`, which lists the exit codes", async () => {
    const top = await opencvm(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain("Exit codes: 0 done, 1 the action failed, 2 a usage or configuration error.");
    const clock = await opencvm(["help", "clock"]);
    expect(clock.code).toBe(0);
    expect(clock.stdout).toMatch(/^Usage: opencvm clock/);
    expect(clock.stdout).toContain("advance");
  }, 60_000);
});
