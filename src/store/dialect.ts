// What differs between the store's two databases, in one place: how a database is opened, how a writing
// transaction is kept from interleaving with another, how the engine claims work and hears of new work, which node
// leads the periodic jobs, and which errors mean the storage failed. Everything else (sql.ts, *-sql.ts, the
// migrations) is one portable text for both.
import type { Dialect } from "./dialects/contract.js";
import { isPostgresStorageFailure, isPostgresUrl, openPostgres } from "./dialects/postgres.js";
import { isSqliteStorageFailure, openSqlite } from "./dialects/sqlite.js";

export { DB_FILE, NoDatabase } from "./dialects/sqlite.js";
export type { Dialect } from "./dialects/contract.js";


/**
 * Opens a data directory (or ":memory:") as SQLite, or a `postgres://` URL as PostgreSQL. `mustExist`: a data
 * directory without a database is refused (NoDatabase) rather than started afresh.
 */
export function openDatabase(location: string, mustExist = false): Dialect {
  return isPostgresUrl(location) ? openPostgres(location) : openSqlite(location, mustExist);
}

/** Whether `e` says the database could not write (a full or failing disk, a lost server), not that a query was wrong. */
export function isStorageFailure(e: unknown): boolean {
  return isSqliteStorageFailure(e) || isPostgresStorageFailure(e);
}
