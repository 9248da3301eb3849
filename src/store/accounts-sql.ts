// Accounts and their key pairs.
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Dialect } from "./dialect.js";
import type { QuotaName } from "../domain/quotas.js";
import type { AccountsTable, Database } from "./schema.js";
import { SecretBox } from "./secret-box.js";
import type { Account, AccountRepo, Credential } from "./store.js";

// The real cloud's AppIds and Uins are numbers of these sizes; new accounts count up from here.
const FIRST_APP_ID = 1300000001;
const FIRST_UIN = 100000000001;

function toAccount(row: AccountsTable): Account {
  return {
    appId: Number(row.app_id),
    uin: row.uin,
    ownerUin: row.owner_uin,
    isDefault: row.is_default === 1,
    createdAt: row.created_at,
  };
}

/** service_state key: changes with every key change (AccountRepo.keysMark). */
const KEYS_MARK = "keys_mark";

/** Changes the keys' mark, in the transaction of the change: every node's cache of keys drops what it holds. */
export async function markKeysChanged(db: Kysely<Database>): Promise<void> {
  const value = randomUUID();
  await db.insertInto("service_state").values({ key: KEYS_MARK, value }).onConflict((oc) => oc.column("key").doUpdateSet({ value })).execute();
}

export class SqlAccounts implements AccountRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
    private readonly dialect: Dialect,
  ) {}

  /** Seals the SecretKeys a store from before encryption kept in plaintext; returns how many. */
  async sealPlaintext(): Promise<number> {
    const rows = await this.db.selectFrom("credentials").select(["secret_id", "secret_key"]).execute();
    const plain = rows.filter((r) => !SecretBox.isSealed(r.secret_key));
    for (const r of plain) {
      await this.db.updateTable("credentials").set({ secret_key: this.box.seal(r.secret_id, r.secret_key) }).where("secret_id", "=", r.secret_id).execute();
    }
    return plain.length;
  }

  async findCredential(secretId: string): Promise<Credential | undefined> {
    const row = await this.db
      .selectFrom("credentials")
      .innerJoin("accounts", "accounts.app_id", "credentials.app_id")
      .selectAll("accounts")
      .select(["credentials.secret_id", "credentials.secret_key", "credentials.status"])
      .where("credentials.secret_id", "=", secretId)
      .executeTakeFirst();
    if (!row) return undefined;
    return { secretId: row.secret_id, secretKey: this.box.open(row.secret_id, row.secret_key), enabled: row.status === "enabled", account: toAccount(row) };
  }

  async defaultAccount(): Promise<Account | undefined> {
    const row = await this.db.selectFrom("accounts").selectAll().where("is_default", "=", 1).executeTakeFirst();
    return row && toAccount(row);
  }

  async quotas(appId: number): Promise<Partial<Record<QuotaName, number>>> {
    const rows = await this.db.selectFrom("account_quotas").select(["quota", "value"]).where("app_id", "=", appId).execute();
    return Object.fromEntries(rows.map((r) => [r.quota, Number(r.value)]));
  }

  async setQuota(appId: number, quota: QuotaName, value: number): Promise<void> {
    await this.db
      .insertInto("account_quotas")
      .values({ app_id: appId, quota, value })
      .onConflict((oc) => oc.columns(["app_id", "quota"]).doUpdateSet({ value }))
      .execute();
  }

  async consolePassword(appId: number): Promise<string | undefined> {
    const row = await this.db.selectFrom("console_passwords").select("hash").where("app_id", "=", appId).executeTakeFirst();
    return row?.hash;
  }

  async setConsolePassword(appId: number, hash: string): Promise<void> {
    await this.db
      .insertInto("console_passwords")
      .values({ app_id: appId, hash })
      .onConflict((oc) => oc.column("app_id").doUpdateSet({ hash }))
      .execute();
  }

  async byUin(uin: string): Promise<Account | undefined> {
    const row = await this.db.selectFrom("accounts").selectAll().where("uin", "=", uin).executeTakeFirst();
    return row && toAccount(row);
  }

  async byAppId(appId: number): Promise<Account | undefined> {
    const row = await this.db.selectFrom("accounts").selectAll().where("app_id", "=", appId).executeTakeFirst();
    return row && toAccount(row);
  }

  async list(): Promise<Account[]> {
    const rows = await this.db.selectFrom("accounts").selectAll().orderBy("app_id").execute();
    return rows.map(toAccount);
  }

  async create(key: { secretId: string; secretKey: string }, options: { isDefault?: boolean } = {}): Promise<Account> {
    const sealed = this.box.seal(key.secretId, key.secretKey);
    // The cloud's writer transaction: two nodes creating accounts at once would draw the same next AppId.
    return this.dialect.transaction(async (tx) => {
      const last = await tx.selectFrom("accounts").select((eb) => eb.fn.max("app_id").as("max")).executeTakeFirst();
      const n = last?.max == null ? 0 : Number(last.max) - FIRST_APP_ID + 1;
      const row: AccountsTable = {
        app_id: FIRST_APP_ID + n,
        uin: String(FIRST_UIN + n),
        owner_uin: String(FIRST_UIN + n),
        is_default: options.isDefault ? 1 : 0,
        created_at: new Date().toISOString(),
      };
      await tx.insertInto("accounts").values(row).execute();
      await tx
        .insertInto("credentials")
        .values({ secret_id: key.secretId, secret_key: sealed, app_id: row.app_id, status: "enabled", created_at: row.created_at })
        .execute();
      return toAccount(row);
    });
  }

  async putKey(appId: number, key: { secretId: string; secretKey: string }): Promise<void> {
    const sealed = this.box.seal(key.secretId, key.secretKey);
    await this.db
      .insertInto("credentials")
      .values({ secret_id: key.secretId, secret_key: sealed, app_id: appId, status: "enabled", created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column("secret_id").doUpdateSet({ secret_key: sealed, app_id: appId, status: "enabled" }))
      .execute();
    await markKeysChanged(this.db);
  }

  async setKeyEnabled(secretId: string, enabled: boolean): Promise<void> {
    await this.db.updateTable("credentials").set({ status: enabled ? "enabled" : "disabled" }).where("secret_id", "=", secretId).execute();
    await markKeysChanged(this.db);
  }

  async keysMark(): Promise<string | undefined> {
    return (await this.db.selectFrom("service_state").select("value").where("key", "=", KEYS_MARK).executeTakeFirst())?.value;
  }
}
