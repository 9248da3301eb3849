// A data directory on a small disk of its own that a test can fill and free: a 16 MB tmpfs mounted for the test.
// Mounting takes root (CAP_SYS_ADMIN); where that is impossible, the disk is SQLite's own full-database condition
// instead (`PRAGMA max_page_count` held at the database's size), which refuses only writes that need a new page.
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import type { Store } from "../../src/store/store.js";
import { database } from "../trust/invariants.js";

export interface SmallDisk {
  dir: string;
  /** Whether the disk is a real filesystem, on which every write fails once it is full. */
  real: boolean;
  /** Why no filesystem could be mounted (when `real` is false). */
  reason?: string;
  fill(store: Store): Promise<void>;
  free(store: Store): Promise<void>;
  dispose(): void;
}

const SIZE = "16m";
/** SQLite's default page limit. */
const NO_PAGE_LIMIT = 4294967294;

export function smallDisk(): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), "opencvm-small-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${SIZE}`, "tmpfs", dir], { stdio: "pipe" });
  } catch (e) {
    return pageLimited(dir, String((e as { stderr?: Buffer }).stderr ?? e).trim());
  }
  const filler = join(dir, "filler");
  return {
    dir,
    real: true,
    fill: async () => fillUp(filler),
    free: async () => rmSync(filler, { force: true }),
    dispose: () => {
      // Lazily: a database handle a failed test left open must not keep the mount.
      execFileSync("umount", ["-l", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes `path` until the filesystem has no byte left. */
function fillUp(path: string): void {
  const fd = openSync(path, "w");
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
      }
    }
  } finally {
    closeSync(fd);
  }
}

function pageLimited(dir: string, reason: string): SmallDisk {
  const limit = async (store: Store, pages?: number) => {
    const db = database(store);
    const size = pages ?? Number((await sql<{ page_count: number }>`PRAGMA page_count`.execute(db)).rows[0].page_count);
    await sql.raw(`PRAGMA max_page_count = ${size}`).execute(db);
  };
  return {
    dir,
    real: false,
    reason,
    fill: (store) => limit(store),
    free: (store) => limit(store, NO_PAGE_LIMIT),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
