// The data directory: private to its owner (0700), and served by one server at a time. A second server on it would
// release the first's leases, re-run its work and bill the same clock again, so it is refused before anything is
// opened. The lock is a file holding the owner's pid and port, created whole with link(2) (atomic, fails if it
// exists); a lock whose pid is gone is stale (a crash) and taken over. A PostgreSQL store is shared by design and
// takes no lock.
import { chmodSync, linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "./config.js";
import type { Logger } from "./log.js";

export const LOCK_FILE = "server.lock";

/** A second server on a data directory in use: one line naming the first; the CLI exits with code 2. */
export class DataDirInUse extends ConfigError {}

/** Tightens the data directory (made by main.ts's prepareDataDir) to 0700 when others could read it. */
export function tightenDataDir(data: string, log: Logger): void {
  const mode = statSync(data).mode & 0o777;
  if (mode & 0o077) {
    chmodSync(data, 0o700);
    log.warn("data directory tightened to 0700", { data, was: mode.toString(8) });
  }
}

export interface DataDirLock {
  /** Records the port the server listens on, for the message a second server prints. */
  setPort(port: number): void;
  release(): void;
}

interface Holder {
  pid: number;
  port: number | null;
}

export function lockDataDir(data: string): DataDirLock {
  const lock = join(data, LOCK_FILE);
  const mine = (port: number | null) => JSON.stringify({ pid: process.pid, port } satisfies Holder) + "\n";
  const staged = `${lock}.${process.pid}`;
  writeFileSync(staged, mine(null), { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(staged, lock);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const holder = readHolder(lock);
      if (holder && alive(holder.pid)) throw inUse(data, lock, holder);
      // Stale (its server died): take it over, once. It is moved aside first, and put back if what was moved turns
      // out to be a live server's (another starter took it over meanwhile).
      if (attempt > 0) throw new DataDirInUse(`${data}: another server is taking over the stale lock ${lock}.`);
      const aside = `${lock}.stale.${process.pid}`;
      renameSync(lock, aside);
      const moved = readHolder(aside);
      if (moved && alive(moved.pid)) {
        linkSync(aside, lock);
        unlinkSync(aside);
        throw inUse(data, lock, moved);
      }
      unlinkSync(aside);
    }
  } finally {
    unlinkSync(staged);
  }
  return {
    setPort(port) {
      writeFileSync(staged, mine(port), { mode: 0o600 });
      renameSync(staged, lock);
    },
    release() {
      if (readHolder(lock)?.pid === process.pid) unlinkSync(lock);
    },
  };
}

function inUse(data: string, lock: string, holder: Holder): DataDirInUse {
  const port = holder.port === null ? "a port not yet open" : `port ${holder.port}`;
  return new DataDirInUse(`${data} is in use by the OpenCVM server with pid ${holder.pid} on ${port}; stop it first (or remove ${lock} if that process is not OpenCVM).`);
}

function readHolder(lock: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(lock, "utf8")) as Holder;
    return Number.isSafeInteger(h.pid) ? h : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
