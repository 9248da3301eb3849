// The event log kept in the data directory: `events.log`, one JSON object a line, so that `opencvm logs` can show
// what happened after the fact. Bounded: past MAX_BYTES the file becomes `events.log.1` (replacing the previous
// one) and a new one starts, so at most twice that is kept.
import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { LogEvent } from "./log.js";

export const EVENTS_FILE = "events.log";
const MAX_BYTES = 4 * 1024 * 1024;

export class EventFile {
  private fd: number;
  private size: number;

  constructor(private readonly dir: string) {
    const path = join(dir, EVENTS_FILE);
    this.fd = openSync(path, "a", 0o600);
    this.size = statSync(path).size;
  }

  /** Written at once (not buffered): the last events before a crash are the ones most wanted. */
  append(e: LogEvent): void {
    const line = JSON.stringify({ ts: e.ts, kind: e.kind, msg: e.msg, ...e.fields }) + "\n";
    if (this.size + line.length > MAX_BYTES) this.rotate();
    this.size += writeSync(this.fd, line);
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    const path = join(this.dir, EVENTS_FILE);
    renameSync(path, `${path}.1`);
    this.fd = openSync(path, "a", 0o600);
    this.size = 0;
  }
}

export type StoredEvent = { ts: string; kind: string; msg: string } & Record<string, unknown>;

/** The last `limit` events in the data directory `dir`, oldest first, optionally of one kind. */
export function readEvents(dir: string, limit: number, kind?: string): StoredEvent[] {
  const path = join(dir, EVENTS_FILE);
  const text = [`${path}.1`, path].filter((p) => existsSync(p)).map((p) => readFileSync(p, "utf8")).join("");
  const events: StoredEvent[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const e = JSON.parse(line) as StoredEvent;
      if (!kind || e.kind === kind) events.push(e);
    } catch {
      // A line cut short by a crash is skipped.
    }
  }
  return events.slice(-limit);
}
