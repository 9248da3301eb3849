// Opens the database a data directory names. SQLite (better-sqlite3) is the embedded default; the few
// differences between dialects live here so that sql.ts stays portable.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "./schema.js";

export const DB_FILE = "opencvm.sqlite";

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
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}
