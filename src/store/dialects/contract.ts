// What each database dialect provides the store (store/dialect.ts opens one; store/dialects/ has the two).
import type { Kysely, RawBuilder, SelectQueryBuilder, Transaction } from "kysely";
import type { Database } from "../schema.js";

export interface Dialect {
  readonly name: "sqlite" | "postgres";
  readonly db: Kysely<Database>;
  /**
   * Whether several server nodes may share this database. A SQLite file has one server (its data directory is
   * locked), which may take over every lease at start; on PostgreSQL another node's lease runs out instead.
   */
  readonly shared: boolean;
  /** The handle migrations run on: PostgreSQL's rewrites the column types SQLite reads loosely (see postgres.ts). */
  readonly schemaDb: Kysely<Database>;
  /**
   * Runs `fn` in a transaction no other writing transaction over the same data interleaves with, so that a check
   * and the write it allows (quotas, balances, free addresses) see the same data, on every node. SQLite has a single
   * writer. On PostgreSQL a transaction scoped to `accounts` holds those accounts' advisory locks (and the cloud's
   * lock shared), so that other accounts' transactions run beside it; one without `accounts` holds the cloud's
   * lock alone and runs by itself.
   */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>, accounts?: readonly number[]): Promise<T>;
  /**
   * Inside a transaction scoped to accounts: holds the cloud-wide resource `name` (the public address pool, the
   * host's capacity) until it ends, so that two accounts cannot both take its last free part. SQLite: nothing.
   */
  hold(trx: Kysely<Database>, name: string): Promise<void>;
  /** Locks the rows a claim selects, passing over those another node is claiming right now. */
  forClaim<O>(q: SelectQueryBuilder<Database, "operations", O>): SelectQueryBuilder<Database, "operations", O>;
  /** Foreign keys of the transaction `trx` checked at its commit rather than at each statement (SQLite only). */
  deferForeignKeys(trx: Kysely<any>): Promise<void>;
  /** Tells every node, when the transaction `db` belongs to commits, that operations became due. */
  announceWork(db: Kysely<Database>): Promise<void>;
  /** Calls `fn` when any node announced work (SQLite: never; the node that wrote kicks its own engine). */
  onWork(fn: () => void): Promise<void>;
  /**
   * Sends `message` (under 8,000 bytes, NOTIFY's limit) to every node's `onNews` listener, this node's included, now rather than
   * at a commit: what one node's pages must learn of another's work. SQLite (one node): nothing.
   */
  announceNews(message: string): Promise<void>;
  /** Calls `fn` with each message any node announced (SQLite: never), over the node's one listening connection. */
  onNews(fn: (message: string) => void): Promise<void>;
  /** After rows were copied in with their own keys: the next auto-increment keys follow the highest copied. */
  restartSequences(db: Kysely<Database>): Promise<void>;
  /** The database server's clock in ms, as SQL: one clock for every node (the shared rate limit's). */
  readonly nowMs: RawBuilder<number>;
  /** Whether this node leads the job `name` (held until its connection ends: a dead node's lead passes on). */
  lead(name: string): Promise<boolean>;
  /** Whether `e` says the database could not write (a full or failing disk, a lost server), not that a query was wrong. */
  isStorageFailure(e: unknown): boolean;
  close(): Promise<void>;
}
