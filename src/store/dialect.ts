// What differs between the store's two databases, in one place: how a database is opened, how a writing
// transaction is kept from interleaving with another, how the engine claims work and hears of new work, which node
// leads the periodic jobs, and which errors mean the storage failed. Everything else (sql.ts, *-sql.ts, the
// migrations) is one portable text for both.
import type { Dialect } from "./dialects/contract.js";
import { openSqlite } from "./dialects/sqlite.js";

export { DB_FILE, NoDatabase } from "./dialects/sqlite.js";
export type { Dialect } from "./dialects/contract.js";


export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens a data directory (or ":memory:") as SQLite, or a `postgres://` URL as PostgreSQL. `mustExist`: a data
 * directory without a database is refused (NoDatabase) rather than started afresh. PostgreSQL's dialect and its
 * driver are loaded only here, when a URL names it: a SQLite start does not pay for them.
 */
export async function openDatabase(location: string, mustExist = false): Promise<Dialect> {
  return isPostgresUrl(location) ? (await import("./dialects/postgres.js")).openPostgres(location) : openSqlite(location, mustExist);
}
