// A small leveled logger, one line per event: logfmt (`ts=… level=… msg=… key=value`) for a person at a terminal,
// or JSON lines for a log collector. Besides requests and faults it carries the event log (`event`): what happened
// to instances, money and the service, said at info level and handed to listeners (the event file, the metrics).
import type { LogFormat, LogLevel } from "./config.js";

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type Fields = Record<string, string | number | boolean | undefined>;

/** What the access log says of one answered request. */
export interface Access {
  id: string;
  account: number | undefined;
  action: string | undefined;
  region: string | undefined;
  ms: number;
  code: string;
}

/** One entry of the event log: its kind (`instance`, `operation`, `billing`, `clock`, `admin`, `service`), a sentence, details. */
export interface LogEvent {
  ts: string;
  kind: EventKind;
  msg: string;
  fields: Fields;
}

export type EventKind = "instance" | "operation" | "billing" | "clock" | "admin" | "service";

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** The access log's line for one request, at info level: the same line as `info("request", …)`, formatted directly. */
  access(a: Access): void;
  /** Something a person following the service wants to know; logged at info whatever listens. */
  event(kind: EventKind, msg: string, fields?: Fields): void;
  /** Calls `listener` with every later event, until the returned function is called. */
  listen(listener: (e: LogEvent) => void): () => void;
}

/** The least time between two writes of a busy log: about a hundred request lines per write at 10,000 requests a second. */
const FLUSH_EVERY_MS = 10;

/**
 * Standard output, written in batches instead of once per line: a write system call costs more than the rest of a
 * request's log line. A line after a quiet spell is written at the next turn of the event loop; while lines keep
 * coming, at most every FLUSH_EVERY_MS (or every 64 KiB). What is buffered is written at exit.
 */
export function bufferedStdout(): (line: string) => void {
  let pending = "";
  let scheduled = false;
  let last = -Infinity;
  const flush = () => {
    if (pending === "") return;
    process.stdout.write(pending);
    pending = "";
    last = performance.now();
  };
  const due = () => {
    scheduled = false;
    flush();
  };
  process.on("exit", flush);
  return (line) => {
    pending += line;
    if (pending.length > 65536) flush();
    else if (!scheduled) {
      scheduled = true;
      const wait = last + FLUSH_EVERY_MS - performance.now();
      if (wait <= 0) setImmediate(due);
      else setTimeout(due, wait);
    }
  };
}

export function createLogger(level: LogLevel, write: (line: string) => void = bufferedStdout(), format: LogFormat = "text"): Logger {
  const listeners: ((e: LogEvent) => void)[] = [];
  const line = (lvl: string, ts: string, msg: string, fields: Fields | undefined) => {
    if (format === "json") return JSON.stringify({ ts, level: lvl, msg, ...fields }) + "\n";
    let out = `ts=${ts} level=${lvl} msg=${quote(msg)}`;
    // for…in rather than Object.entries: no array per field on a line written for every request.
    for (const k in fields) {
      const v = fields[k];
      if (v !== undefined) out += ` ${k}=${quote(String(v))}`;
    }
    return out + "\n";
  };
  const at = (lvl: Exclude<LogLevel, "silent">) => (msg: string, fields?: Fields) => {
    if (RANK[lvl] < RANK[level]) return;
    write(line(lvl, timestamp(), msg, fields));
  };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    access(a) {
      if (RANK.info < RANK[level]) return;
      const ms = a.ms.toFixed(2);
      if (format === "json") {
        write(`${JSON.stringify({ ts: timestamp(), level: "info", msg: "request", id: a.id, account: a.account, action: a.action, region: a.region, ms, code: a.code })}\n`);
        return;
      }
      // The fields of line() in the same order, without a fields object to walk. The RequestId (a UUID) and the code
      // (OK or a dotted error code) never need quotes; the action and region are the client's.
      let out = `ts=${timestamp()} level=info msg=request id=${a.id}`;
      if (a.account !== undefined) out += ` account=${a.account}`;
      if (a.action !== undefined) out += ` action=${quote(a.action)}`;
      if (a.region !== undefined) out += ` region=${quote(a.region)}`;
      write(`${out} ms=${ms} code=${a.code}\n`);
    },
    event(kind, msg, fields = {}) {
      const ts = timestamp();
      if (RANK.info >= RANK[level]) write(line("info", ts, msg, { event: kind, ...fields }));
      for (const l of listeners) l({ ts, kind, msg, fields });
    },
    listen(listener) {
      listeners.push(listener);
      return () => {
        const i = listeners.indexOf(listener);
        if (i >= 0) listeners.splice(i, 1);
      };
    },
  };
}

/** The time as ISO 8601, formatted once per millisecond: a busy server logs many lines within one. */
let lastMs = NaN;
let lastIso = "";
function timestamp(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

function quote(v: string): string {
  return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
}
