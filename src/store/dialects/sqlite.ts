// SQLite (better-sqlite3), the embedded default: one file in the data directory, one server, one writer.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, sql, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from "kysely";
import type { Dialect } from "./contract.js";
import type { Database } from "../schema.js";

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

/**
 * On a full disk or an I/O error SQLite may roll the transaction back itself; Kysely's ROLLBACK would then fail
 * ("no transaction is active") and that error would replace the one that says what happened.
 */
class KeepingCauseDriver extends SqliteDriver {
  constructor(private readonly sqlite: SQLite.Database) {
    super({ database: sqlite });
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.sqlite.inTransaction) await super.rollbackTransaction(connection);
  }
}

class KeepingCauseDialect extends SqliteDialect {
  constructor(private readonly sqlite: SQLite.Database) {
    super({ database: sqlite });
  }

  override createDriver(): Driver {
    return new KeepingCauseDriver(this.sqlite);
  }
}

/** Whether `e` says the database could not write: its disk is full (SQLITE_FULL) or failing (SQLITE_IOERR_*). */
export function isSqliteStorageFailure(e: unknown): boolean {
  return e instanceof SQLite.SqliteError && (e.code === "SQLITE_FULL" || e.code.startsWith("SQLITE_IOERR"));
}

/** Thrown when a data directory that is only to be read holds no database. */
export class NoDatabase extends Error {}

export function openSqlite(data: string, mustExist = false): Dialect {
  let file = ":memory:";
  if (data !== ":memory:") {
    file = join(data, DB_FILE);
    if (mustExist && !existsSync(file)) throw new NoDatabase(`${data} holds no OpenCVM data (no ${DB_FILE})`);
    mkdirSync(data, { recursive: true });
  }
  const sqlite = new SQLite(file, { fileMustExist: mustExist });
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new KeepingCauseDialect(cachingPrepare(sqlite)) });
  return {
    name: "sqlite",
    db,
    shared: false,
    schemaDb: db,
    // Kysely runs one statement or transaction at a time on the one connection: transactions never interleave.
    transaction: (fn) => db.transaction().execute(fn),
    hold: async () => undefined,
    forClaim: (q) => q,
    deferForeignKeys: async (trx) => {
      await sql`PRAGMA defer_foreign_keys = ON`.execute(trx);
    },
    announceWork: async () => undefined,
    onWork: async () => undefined,
    announceNews: async () => undefined,
    onNews: async () => undefined,
    lead: async () => true,
    nowMs: sql<number>`(unixepoch('subsec') * 1000)`,
    // AUTOINCREMENT keys continue from the highest key in the table.
    restartSequences: async () => undefined,
    isStorageFailure: isSqliteStorageFailure,
    close: () => db.destroy(),
  };
}
