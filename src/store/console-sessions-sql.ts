// The web console's sessions in the database, so that every node sharing it honours a session another node made and
// a sign-out anywhere ends it everywhere.
import { type Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { ConsoleSessionRecord, ConsoleSessionRepo } from "./store.js";

/** Expired sessions are swept at most this often, by the sign-in that comes after. */
const SWEEP_MS = 60_000;

export class SqlConsoleSessions implements ConsoleSessionRepo {
  private swept = 0;

  constructor(private readonly db: Kysely<Database>) {}

  async add(s: ConsoleSessionRecord, now: number, keep: number): Promise<void> {
    await this.db.insertInto("console_sessions").values({ token_hash: s.tokenHash, app_id: s.appId, csrf: s.csrf, expires: s.expires }).execute();
    // Signing in in a loop cannot fill the table: an account keeps its latest sessions only.
    const latest = this.db.selectFrom("console_sessions").select("token_hash").where("app_id", "=", s.appId).orderBy("expires", "desc").limit(keep);
    await this.db.deleteFrom("console_sessions").where("app_id", "=", s.appId).where("token_hash", "not in", latest).execute();
    if (now - this.swept >= SWEEP_MS) {
      this.swept = now;
      await this.db.deleteFrom("console_sessions").where("expires", "<=", now).execute();
    }
  }

  async get(tokenHash: string, now: number): Promise<ConsoleSessionRecord | undefined> {
    const row = await this.db.selectFrom("console_sessions").selectAll().where("token_hash", "=", tokenHash).where("expires", ">", now).executeTakeFirst();
    return row && { tokenHash: row.token_hash, appId: Number(row.app_id), csrf: row.csrf, expires: Number(row.expires) };
  }

  async remove(tokenHash: string): Promise<void> {
    await this.db.deleteFrom("console_sessions").where("token_hash", "=", tokenHash).execute();
  }
}
