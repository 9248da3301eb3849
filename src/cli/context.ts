// What every command starts from: the configuration its options, the environment and the config file give, where
// it acts, and how it prints.
import type { Command } from "commander";
import { configFrom, SETTINGS, type Config, type SettingName } from "../config.js";
import { openTarget, type Target } from "./target.js";

/** Settings every command takes (where the server or the data is), declared once on the program. */
export const GLOBAL_SETTINGS: readonly string[] = ["data", "host", "port", "adminToken", "config"];

/** The configuration from a command's options (its own and the program's); options not named after a setting are skipped. */
export function configOf(cmd: Command): Config {
  const opts = cmd.optsWithGlobals() as Record<string, unknown>;
  const flags: Partial<Record<SettingName, string>> = {};
  for (const [k, v] of Object.entries(opts)) if (k in SETTINGS && v !== undefined) flags[k as SettingName] = String(v);
  return configFrom(process.env, flags);
}

/**
 * Runs `fn` against the running server, or the data directory when `--data` was given. Only a command that creates
 * something (`create`) may set up a data directory that holds no database yet; the others refuse it.
 */
export async function withTarget<T>(cmd: Command, fn: (t: Target, json: boolean) => Promise<T>, o: { create?: boolean } = {}): Promise<T> {
  const opts = cmd.optsWithGlobals() as { data?: string; json?: boolean };
  const target = await openTarget(configOf(cmd), opts.data !== undefined, o.create ?? false);
  try {
    return await fn(target, Boolean(opts.json));
  } finally {
    await target.close();
  }
}

export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Rows as aligned columns under a header line. */
export function table(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  if (!rows.length) return "(none)";
  const cells = [columns, ...rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? "-" : String(r[c]))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")).join("\n");
}

/** An object as indented JSON, or as the caller's own text unless --json was asked. */
export function show(json: boolean, value: unknown, text?: string): void {
  print(json || text === undefined ? JSON.stringify(value, null, 2) : text);
}
