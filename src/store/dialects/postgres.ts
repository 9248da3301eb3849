// PostgreSQL (pg), for several server nodes on one database. The queries are the SQLite ones; what differs is here:
// column types, number parsing, the writer lock, claims that skip locked rows, LISTEN/NOTIFY and leaderships.
import pg from "pg";
import {
  ColumnDefinitionNode,
  DataTypeNode,
  Kysely,
  OperationNodeTransformer,
  PostgresDialect,
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";
import type { Dialect } from "./contract.js";
import type { Database } from "../schema.js";

/** The first key of every advisory lock OpenCVM takes ("OCVM"), so that other users of the database are not hit. */
const LOCK_SPACE = 0x4f43564d;
/** The first key of the accounts' writer locks ("OCVA"); the second is the AppId. */
const ACCOUNT_SPACE = 0x4f435641;
/** The second keys under LOCK_SPACE: the cloud's writer lock, and (from 1) the cloud-wide resources `hold` names. */
const CLOUD_LOCK = 0;
const WORK_CHANNEL = "opencvm_work";
const NEWS_CHANNEL = "opencvm_news";
/** Connections per node; a writing transaction holds one while it waits for the writer lock. */
const POOL_SIZE = 10;

/**
 * The migrations are written for SQLite, which reads column types loosely; PostgreSQL is given what SQLite means by
 * them: an auto-increment key becomes `serial`, and `varchar(n)` and `text` become `text` compared byte by byte
 * (SQLite enforces no length and compares bytes, so names sort and match the same on both).
 */
class SqliteTypes extends OperationNodeTransformer {
  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const def = super.transformColumnDefinition(node);
    if (def.autoIncrement) return ColumnDefinitionNode.cloneWith({ ...def, dataType: DataTypeNode.create("serial") } as ColumnDefinitionNode, { autoIncrement: false });
    if (DataTypeNode.is(def.dataType) && /^(varchar|text)/.test(def.dataType.dataType)) {
      return ColumnDefinitionNode.cloneWith({ ...def, dataType: sql`text collate "C"`.toOperationNode() } as ColumnDefinitionNode, {});
    }
    return def;
  }
}

const schemaPlugin: KyselyPlugin = {
  transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => new SqliteTypes().transformNode(args.node),
  transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
};

/** int8 (counts, AppIds, money) and numeric (sums) as numbers: every value the store keeps is a safe integer. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as "text");
  }) as typeof pg.types.getTypeParser,
};

/**
 * The node's own connection beside the pool, for what lives as long as a session: LISTEN, and the advisory locks
 * that make a node a leader. If it drops, the leaderships go with it (another node takes them) and it reconnects.
 */
class Session {
  private client: Promise<pg.Client> | undefined;
  private readonly held = new Set<string>();
  private readonly listeners: (() => void)[] = [];
  private readonly readers: ((message: string) => void)[] = [];
  private closed = false;

  constructor(private readonly url: string) {}

  private connect(): Promise<pg.Client> {
    this.client ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, types });
      const lost = () => {
        this.client = undefined;
        this.held.clear();
        if ((this.listeners.length || this.readers.length) && !this.closed) setTimeout(() => void this.connect().catch(() => undefined), 1000).unref();
      };
      client.on("error", lost);
      client.on("end", lost);
      client.on("notification", (n) => {
        if (n.channel === NEWS_CHANNEL) this.readers.forEach((fn) => fn(n.payload ?? ""));
        else this.listeners.forEach((fn) => fn());
      });
      await client.connect();
      if (this.listeners.length) await client.query(`LISTEN ${WORK_CHANNEL}`);
      if (this.readers.length) await client.query(`LISTEN ${NEWS_CHANNEL}`);
      return client;
    })();
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }

  async listen(fn: () => void): Promise<void> {
    this.listeners.push(fn);
    const client = await this.connect();
    if (this.listeners.length === 1) await client.query(`LISTEN ${WORK_CHANNEL}`);
  }

  async read(fn: (message: string) => void): Promise<void> {
    this.readers.push(fn);
    const client = await this.connect();
    if (this.readers.length === 1) await client.query(`LISTEN ${NEWS_CHANNEL}`);
  }

  async lead(name: string): Promise<boolean> {
    if (this.held.has(name)) return true;
    const client = await this.connect();
    const r = await client.query<{ ok: boolean }>("select pg_try_advisory_lock($1, hashtext($2)) as ok", [LOCK_SPACE, name]);
    if (r.rows[0].ok) this.held.add(name);
    return r.rows[0].ok;
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = await this.client?.catch(() => undefined);
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

export function openPostgres(url: string): Dialect {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, types });
  // An idle connection the server dropped is replaced on next use; the error must not end the process.
  pool.on("error", () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const session = new Session(url);
  return {
    name: "postgres",
    db,
    shared: true,
    schemaDb: db.withPlugin(schemaPlugin),
    transaction: (fn, accounts) =>
      db.transaction().execute(async (trx) => {
        if (accounts === undefined) {
          await sql`select pg_advisory_xact_lock(${LOCK_SPACE}, ${CLOUD_LOCK})`.execute(trx);
        } else {
          // The cloud's lock shared: a transaction without accounts waits for these and they for it. The accounts'
          // locks in ascending order, so that two transactions over the same accounts cannot wait on each other.
          // AppIds are int4 (Tencent's are below 2^31); a wider one would only share a lock with another.
          const keys = [...new Set(accounts.map((a) => a | 0))].sort((a, b) => a - b);
          await sql`select pg_advisory_xact_lock_shared(${LOCK_SPACE}, ${CLOUD_LOCK})`.execute(trx);
          await sql`select count(pg_advisory_xact_lock(${ACCOUNT_SPACE}, k)) from (select unnest(${keys}::int4[]) as k order by 1) as ordered`.execute(trx);
        }
        return fn(trx);
      }),
    hold: async (trx, name) => {
      await sql`select pg_advisory_xact_lock(${LOCK_SPACE}, hashtext(${name}) | 1)`.execute(trx);
    },
    forClaim: (q) => q.forUpdate().skipLocked(),
    // The foreign keys are created NOT DEFERRABLE (as SQLite's are); a transaction that needs them deferred must
    // write parents first here.
    deferForeignKeys: async () => undefined,
    announceWork: async (on) => {
      await sql`select pg_notify(${WORK_CHANNEL}, '')`.execute(on);
    },
    onWork: (fn) => session.listen(fn),
    announceNews: async (message) => {
      await sql`select pg_notify(${NEWS_CHANNEL}, ${message})`.execute(db);
    },
    onNews: (fn) => session.read(fn),
    lead: (name) => session.lead(name),
    // The start of the statement: one value however often the statement reads it.
    nowMs: sql<number>`cast(extract(epoch from statement_timestamp()) * 1000 as double precision)`,
    restartSequences: async (on) => {
      const serials = await sql<{ table_name: string; column_name: string }>`select table_name, column_name from information_schema.columns where table_schema = current_schema() and column_default like 'nextval(%'`.execute(on);
      for (const { table_name, column_name } of serials.rows) {
        await sql`select setval(pg_get_serial_sequence(${table_name}, ${column_name}), coalesce((select max(${sql.ref(column_name)}) from ${sql.table(table_name)}), 0) + 1, false)`.execute(on);
      }
    },
    isStorageFailure: isPostgresStorageFailure,
    close: async () => {
      await session.close();
      await db.destroy();
    },
  };
}

/** Storage and connection failures (SQLSTATE classes 08, 53, 58, and a server shutting down), not faults of a query. */
export function isPostgresStorageFailure(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (e instanceof pg.DatabaseError) return typeof code === "string" && (/^(08|53|58)/.test(code) || code === "57P01" || code === "57P03");
  if (typeof code === "string" && ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"].includes(code)) return true;
  return e instanceof Error && /^Connection terminated/.test(e.message);
}
