// Copies a whole cloud from one store to another: `opencvm migrate-store`, moving a SQLite data directory to
// PostgreSQL. The target is migrated to the same schema and must hold nothing yet; tables are copied parents first
// (as their foreign keys say), page by page in one transaction, so a copy that fails leaves the target empty.
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema.js";
import { openDatabase } from "./dialect.js";
import { migrate } from "./sql.js";

const PAGE = 1000;

export interface Copied {
  table: string;
  rows: number;
}

/** `from` is a SQLite data directory; `to` a store location (a `postgres://` URL). */
export async function copyStore(from: string, to: string, progress: (c: Copied) => void = () => undefined): Promise<Copied[]> {
  if (from === ":memory:") throw new Error("there is nothing to copy from :memory:");
  const source = await openDatabase(from);
  const target = await openDatabase(to);
  try {
    if (source.name !== "sqlite") throw new Error(`the source must be a SQLite data directory, not ${from}`);
    // The source is brought up to date first, so both have the schema of this version.
    await migrate(source.schemaDb);
    await migrate(target.schemaDb);
    const held = await sql<{ n: number }>`select count(*) as n from accounts`.execute(target.db);
    if (Number(held.rows[0].n) > 0) throw new Error("the target store is not empty: copy into a new database");
    const tables = await parentsFirst(source.db);
    const copied: Copied[] = [];
    await target.db.transaction().execute(async (trx) => {
      for (const table of tables) {
        let rows = 0;
        let last = -1;
        for (;;) {
          const page = await sql<Record<string, unknown>>`select rowid as rowid_, * from ${sql.table(table)} where rowid > ${last} order by rowid limit ${PAGE}`.execute(source.db);
          if (page.rows.length === 0) break;
          last = Number(page.rows[page.rows.length - 1].rowid_);
          const values = page.rows.map(({ rowid_: _, ...row }) => row);
          await trx.insertInto(table as never).values(values as never).execute();
          rows += values.length;
        }
        copied.push({ table, rows });
        progress({ table, rows });
      }
      await target.restartSequences(trx);
    });
    return copied;
  } finally {
    await source.close();
    await target.close();
  }
}

/** The source's tables (but the migrator's own), each after the tables its foreign keys name. */
async function parentsFirst(db: Kysely<Database>): Promise<string[]> {
  const names = (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`.execute(db)).rows.map((r) => r.name);
  const parents = new Map<string, string[]>();
  for (const name of names) {
    const fks = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(db);
    parents.set(name, fks.rows.map((r) => r.table).filter((t) => t !== name));
  }
  const order: string[] = [];
  const visit = (t: string) => {
    if (order.includes(t)) return;
    for (const p of parents.get(t) ?? []) visit(p);
    order.push(t);
  };
  names.forEach(visit);
  return order;
}
