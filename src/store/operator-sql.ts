// What an operator sees and does across accounts (the admin paths and the command line): instances of every
// account, an instance's operations, counts for the metrics, an account's removal, and the whole store as plain
// rows (a snapshot) replaced in one transaction. Tables are found by introspection, so a table a migration adds is
// in every snapshot without a change here. SecretKeys leave a snapshot opened and enter the store sealed again with
// its own key, so a snapshot moves between data directories (the snapshot file is the operator's, kept 0600).
import type { Kysely } from "kysely";
import type { Dialect } from "./dialect.js";
import { markKeysChanged } from "./accounts-sql.js";
import { recountInstances } from "./instance-counts.js";
import { SecretBox } from "./secret-box.js";
import type { Database } from "./schema.js";
import type { OperatorRepo, OperationRow, StoreRows } from "./store.js";

/** Rows inserted per statement: well under SQLite's limit on bound values for the widest table. */
const INSERT_CHUNK = 200;

export class SqlOperator implements OperatorRepo {
  private readonly any: Kysely<any>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly inTransaction: boolean,
    private readonly dialect: Dialect,
    private readonly box: SecretBox,
  ) {
    this.any = db as unknown as Kysely<any>;
  }

  async instanceIds(q: { appId?: number; state?: string; limit: number }): Promise<string[]> {
    let query = this.db.selectFrom("instances").select("instance_id").orderBy("seq").limit(q.limit);
    if (q.appId !== undefined) query = query.where("app_id", "=", q.appId);
    if (q.state !== undefined) query = query.where("state", "=", q.state);
    return (await query.execute()).map((r) => r.instance_id);
  }

  async operationsOf(instanceId: string): Promise<OperationRow[]> {
    const rows = await this.db.selectFrom("operations").select(["operation_id", "kind", "request_id", "status", "attempts", "created_at"]).where("instance_id", "=", instanceId).orderBy("created_at").execute();
    return rows.map((r) => ({ operationId: r.operation_id, kind: r.kind, requestId: r.request_id, status: r.status, attempts: r.attempts, createdAt: r.created_at }));
  }

  async instanceStates(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom("instances").select(["state", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("state").execute();
    return new Map(rows.map((r) => [r.state, Number(r.n)]));
  }

  async billedTotals(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom("bills").select(["action_type", (eb) => eb.fn.sum<number>("amount").as("total")]).groupBy("action_type").execute();
    return new Map(rows.map((r) => [r.action_type, Number(r.total)]));
  }

  async keysOf(appId: number): Promise<{ secretId: string; enabled: boolean; createdAt: string }[]> {
    const rows = await this.db.selectFrom("credentials").select(["secret_id", "status", "created_at"]).where("app_id", "=", appId).orderBy("created_at").execute();
    return rows.map((r) => ({ secretId: r.secret_id, enabled: r.status === "enabled", createdAt: r.created_at }));
  }

  async resourceCount(appId: number): Promise<number> {
    const n = async (table: "instances" | "images" | "addresses" | "key_pairs" | "chc_hosts") =>
      Number((await this.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("app_id", "=", appId).executeTakeFirst())?.n ?? 0);
    // An instance's own disks are counted with it; disks of their own and snapshots on their own.
    const disks = Number((await this.db.selectFrom("disks").select((eb) => eb.fn.countAll<number>().as("n")).where("app_id", "=", appId).where("instance_id", "is", null).executeTakeFirst())?.n ?? 0);
    const snapshots = Number((await this.db.selectFrom("snapshots").select((eb) => eb.fn.countAll<number>().as("n")).where("app_id", "=", appId).executeTakeFirst())?.n ?? 0);
    // A CHC host is racked for the account and holds subnet addresses: an operator takes it off first.
    return (await n("instances")) + (await n("images")) + (await n("addresses")) + (await n("key_pairs")) + (await n("chc_hosts")) + disks + snapshots;
  }

  async deleteAccount(appId: number): Promise<void> {
    // The tables are read before the transaction: on SQLite's one connection a read outside it would wait for it to
    // end, which it never does. The account's own row goes last, after every row that names it.
    const tables = (await this.tables()).filter((t) => t.columns.includes("app_id")).sort((a, b) => Number(a.name === "accounts") - Number(b.name === "accounts"));
    await this.atomically(async (db) => {
      for (const t of tables) await db.deleteFrom(t.name).where("app_id", "=", appId).execute();
      await markKeysChanged(db);
    });
  }

  async dump(only?: readonly string[]): Promise<StoreRows> {
    const schema = (await this.any.selectFrom("kysely_migration").select("name").orderBy("name").execute()).map((r: { name: string }) => r.name);
    const tables: StoreRows["tables"] = {};
    for (const t of await this.tables()) if (!only || only.includes(t.name)) tables[t.name] = await this.any.selectFrom(t.name).selectAll().execute();
    tables.credentials = tables.credentials?.map((r) => ({ ...r, secret_key: this.box.open(String(r.secret_id), String(r.secret_key)) }));
    return { schema, tables };
  }

  async replace(rows: StoreRows): Promise<void> {
    const tables = await this.tables();
    const known = new Map(tables.map((t) => [t.name, t.columns]));
    for (const [name, list] of Object.entries(rows.tables)) {
      const columns = known.get(name);
      if (!columns) throw new Error(`table ${name} does not exist`);
      for (const row of list) for (const c of Object.keys(row)) if (!columns.includes(c)) throw new Error(`table ${name} has no column ${c}`);
    }
    // A sealed key (a snapshot from before keys were opened on export) must be this store's own.
    const credentials = rows.tables.credentials?.map((r) => {
      const id = String(r.secret_id);
      const key = String(r.secret_key);
      return { ...r, secret_key: this.box.seal(id, SecretBox.isSealed(key) ? this.box.open(id, key) : key) };
    });
    if (credentials) rows = { ...rows, tables: { ...rows.tables, credentials } };
    await this.atomically(async (db) => {
      for (const t of tables) await db.deleteFrom(t.name).execute();
      for (const [name, list] of Object.entries(rows.tables)) {
        for (let i = 0; i < list.length; i += INSERT_CHUNK) await db.insertInto(name).values(list.slice(i, i + INSERT_CHUNK)).execute();
      }
      // A state saved before the counts were kept has none.
      await recountInstances(db);
    });
  }

  /** The store's tables and their columns, without the migrator's own. */
  private async tables(): Promise<{ name: string; columns: string[] }[]> {
    const found = await this.db.introspection.getTables();
    return found.filter((t) => !t.isView).map((t) => ({ name: t.name, columns: t.columns.map((c) => c.name) }));
  }

  /** Runs `fn` in one transaction whose foreign keys are checked at commit, when every row is back in place. */
  private async atomically(fn: (db: Kysely<any>) => Promise<void>): Promise<void> {
    if (this.inTransaction) throw new Error("the operator's bulk writes run in a transaction of their own");
    await this.any.transaction().execute(async (trx) => {
      await this.dialect.deferForeignKeys(trx);
      await fn(trx);
    });
  }
}
