// Opens the database a data directory names. SQLite (better-sqlite3) is the embedded default; the few
// differences between dialects live here so that sql.ts stays portable.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "./schema.js";

export const DB_FILE = "opencvm.sqlite";
/** Prepared statements kept per SQL text; IN-lists of other lengths make other texts, so the cache is bounded. */
const STATEMENT_CACHE = 512;

/**
 * Kysely prepares every query anew; preparing costs as much as running a small one, so statements are kept and
 * reused by their SQL text (least recently used out first).
 */
function cachingPrepare(db: SQLite.Database): SQLite.Database {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, SQLite.Statement>();
  db.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source);
    } else {
      stmt = prepare(source);
      if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, stmt);
    return stmt;
  }) as SQLite.Database["prepare"];
  return db;
}

export function openDatabase(data: string): Kysely<Database> {
  let file = ":memory:";
  if (data !== ":memory:") {
    mkdirSync(data, { recursive: true });
    file = join(data, DB_FILE);
  }
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingPrepare(sqlite) }) });
}
