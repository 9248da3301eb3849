// How the command line ends, which scripts can rely on: 0 done; 1 the action failed (the server or the store
// refused it, a called API answered an error); 2 the command was wrong or could not start (usage, configuration,
// no server, an unusable data directory). Every failure is one line on stderr.
import { ConfigError } from "../config.js";

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The action was refused or failed: exit 1. */
export class ActionFailed extends Error {}

/** The command itself, its options or its surroundings are wrong: exit 2 (a ConfigError is one too). */
export class UsageError extends ConfigError {}

export function exitCode(e: unknown): number {
  return e instanceof ConfigError ? EXIT.usage : EXIT.failed;
}

/** The one line that says what went wrong: the message, never a stack. */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\s*\n\s*/g, " ").trim();
}
