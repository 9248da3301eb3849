// The Store on Kysely, in the portable SQL subset: one object per database handle or transaction.
import { Kysely, Migrator, type MigrationProvider, type Transaction } from "kysely";
import { SqlAccounts } from "./accounts-sql.js";
import { SqlActionTimers } from "./action-timers-sql.js";
import { SqlAddresses } from "./addresses-sql.js";
import { SqlBilling } from "./billing-sql.js";
import type { Clock } from "../domain/clock.js";
import { SqlClientTokens } from "./client-tokens-sql.js";
import { SqlTasks } from "./tasks-sql.js";
import { isPostgresUrl, openDatabase, type Dialect } from "./dialect.js";
import { SqlDisks } from "./disks-sql.js";
import { SqlImages } from "./images-sql.js";
import { SqlInstances } from "./instances-sql.js";
import { SqlKeyPairs } from "./key-pairs-sql.js";
import { SqlHosts } from "./hosts-sql.js";
import { SqlHpcClusters } from "./hpc-clusters-sql.js";
import { SqlPoolPacks } from "./pool-packs-sql.js";
import { SqlLaunchTemplates } from "./launch-templates-sql.js";
import { SqlPlacementGroups } from "./placement-groups-sql.js";
import { SqlRepairTasks } from "./repair-tasks-sql.js";
import { SqlChcHosts } from "./chc-hosts-sql.js";
import { migrations } from "./migrations/index.js";
import { SqlNetworks } from "./networks-sql.js";
import { SqlOperations } from "./operations-sql.js";
import { SqlOperator } from "./operator-sql.js";
import { SqlRateBuckets } from "./rate-buckets-sql.js";
import { SqlConsoleSessions } from "./console-sessions-sql.js";
import { SqlSignInAttempts } from "./sign-in-attempts-sql.js";
import { SqlSecurityGroups } from "./security-groups-sql.js";
import { SqlSnapshots } from "./snapshots-sql.js";
import { SqlTags } from "./tags-sql.js";
import type { Database } from "./schema.js";
import type { CloudResource, Rater, Store } from "./store.js";
import { join } from "node:path";
import { loadStoreKey, SecretBox, STORE_KEY_FILE } from "./secret-box.js";

/**
 * `location` is a data directory (SQLite) or a `postgres://` URL. `rater` prices resources as they are written
 * (billing); without one (operator commands) nothing is metered. `mustExist`: the data directory is only read, so
 * one that holds no database is an error, not created. `key` names the file of the key SecretKeys are sealed with
 * (`create`: made at first open when missing); by default a data directory's own, and for `:memory:` or a database
 * URL a key for this process only.
 */
export async function openStore(location: string, clock: Clock, rater?: Rater, mustExist = false, key = defaultKeyFile(location)): Promise<Store> {
  // The database first: a data directory that is only read and holds none is refused before anything is made in it.
  const dialect = await openDatabase(location, mustExist);
  let box: SecretBox;
  try {
    box = key ? loadStoreKey(key.file, key.create && !mustExist) : SecretBox.ephemeral();
    await migrate(dialect.schemaDb);
  } catch (e) {
    await dialect.close();
    throw e;
  }
  const store = new SqlStore(dialect, dialect.db, clock, rater, box);
  await store.accounts.sealPlaintext();
  return store;
}

/** Where the key that seals SecretKeys lives: the operator's file, or one the data directory keeps. */
export interface StoreKeyFile {
  file: string;
  create: boolean;
}

/** A data directory's own key file; none for `:memory:` or a database URL. */
function defaultKeyFile(location: string): StoreKeyFile | undefined {
  return isPostgresUrl(location) ? undefined : storeKeyFile(location, undefined);
}

/**
 * The operator's key file if named, else the data directory's own (made at first start; several nodes on one
 * PostgreSQL share it through a shared data directory or an operator's file); none for `:memory:`.
 */
export function storeKeyFile(data: string, operatorFile: string | undefined): StoreKeyFile | undefined {
  if (operatorFile) return { file: operatorFile, create: false };
  return data === ":memory:" ? undefined : { file: join(data, STORE_KEY_FILE), create: true };
}

/** Brings a database to this version's schema (also what `copyStore` does to both ends). */
export async function migrate(db: Kysely<Database>): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  // 006 (security groups) was numbered before 007 and 008 shipped ahead of it: a database those created takes 006
  // afterwards. Migrations are independent of each other's order unless they say otherwise; pending ones run in
  // name order.
  const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) throw new Error(`database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
}

class SqlStore implements Store {
  readonly accounts: SqlAccounts;
  readonly instances: SqlInstances;
  readonly operations: SqlOperations;
  readonly networks: SqlNetworks;
  readonly clientTokens: SqlClientTokens;
  readonly tasks: SqlTasks;
  readonly keyPairs: SqlKeyPairs;
  readonly hosts: SqlHosts;
  readonly hpcClusters: SqlHpcClusters;
  readonly poolPacks: SqlPoolPacks;
  readonly images: SqlImages;
  readonly addresses: SqlAddresses;
  readonly disks: SqlDisks;
  readonly snapshots: SqlSnapshots;
  readonly securityGroups: SqlSecurityGroups;
  readonly billing: SqlBilling;
  readonly actionTimers: SqlActionTimers;
  readonly tags: SqlTags;
  readonly launchTemplates: SqlLaunchTemplates;
  readonly placementGroups: SqlPlacementGroups;
  readonly repairTasks: SqlRepairTasks;
  readonly chcHosts: SqlChcHosts;
  readonly operator: SqlOperator;
  readonly rateBuckets: SqlRateBuckets;
  readonly consoleSessions: SqlConsoleSessions;
  readonly signInAttempts: SqlSignInAttempts;

  constructor(
    private readonly dialect: Dialect,
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly rater: Rater | undefined,
    private readonly box: SecretBox,
    private readonly inTransaction = false,
  ) {
    this.accounts = new SqlAccounts(db, box, dialect);
    this.instances = new SqlInstances(db, clock, rater, inTransaction);
    this.operations = new SqlOperations(db, clock, dialect);
    this.networks = new SqlNetworks(db, clock);
    this.clientTokens = new SqlClientTokens(db, clock);
    this.tasks = new SqlTasks(db);
    this.keyPairs = new SqlKeyPairs(db);
    this.hosts = new SqlHosts(db);
    this.hpcClusters = new SqlHpcClusters(db);
    this.poolPacks = new SqlPoolPacks(db);
    this.images = new SqlImages(db, clock);
    this.addresses = new SqlAddresses(db, clock, rater, inTransaction);
    this.disks = new SqlDisks(db, clock, rater, inTransaction);
    this.snapshots = new SqlSnapshots(db);
    this.securityGroups = new SqlSecurityGroups(db, clock);
    this.billing = new SqlBilling(db);
    this.actionTimers = new SqlActionTimers(db);
    this.tags = new SqlTags(db);
    this.launchTemplates = new SqlLaunchTemplates(db);
    this.placementGroups = new SqlPlacementGroups(db);
    this.repairTasks = new SqlRepairTasks(db);
    this.chcHosts = new SqlChcHosts(db);
    this.operator = new SqlOperator(db, inTransaction, dialect, box);
    this.rateBuckets = new SqlRateBuckets(db, dialect.nowMs);
    this.consoleSessions = new SqlConsoleSessions(db);
    this.signInAttempts = new SqlSignInAttempts(db);
  }

  get shared(): boolean {
    return this.dialect.shared;
  }

  transaction<T>(fn: (tx: Store) => Promise<T>, accounts?: number | readonly number[]): Promise<T> {
    if (this.inTransaction) return fn(this);
    const scope = typeof accounts === "number" ? [accounts] : accounts;
    return this.dialect.transaction((trx: Transaction<Database>) => fn(new SqlStore(this.dialect, trx, this.clock, this.rater, this.box, true)), scope);
  }

  async hold(name: CloudResource): Promise<void> {
    if (this.inTransaction) await this.dialect.hold(this.db, name);
  }

  onWork(fn: () => void): Promise<void> {
    return this.dialect.onWork(fn);
  }

  announceNews(message: string): Promise<void> {
    return this.dialect.announceNews(message);
  }

  onNews(fn: (message: string) => void): Promise<void> {
    return this.dialect.onNews(fn);
  }

  lead(name: string): Promise<boolean> {
    return this.dialect.lead(name);
  }

  isStorageFailure(e: unknown): boolean {
    return this.dialect.isStorageFailure(e);
  }

  close(): Promise<void> {
    return this.dialect.close();
  }
}
