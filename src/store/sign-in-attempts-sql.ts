// The console's sign-in attempts counted in the database, one row per account or client address, each counted in
// one statement (an upsert that starts a new window when the old one has passed), so that attempts on every node
// sharing the store add up.
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { SignInAttemptRepo } from "./store.js";

/** Counters whose window has passed are swept at most this often. */
const SWEEP_MS = 60_000;

export class SqlSignInAttempts implements SignInAttemptRepo {
  private swept = 0;

  constructor(private readonly db: Kysely<Database>) {}

  async count(counters: readonly string[], now: number, windowMs: number): Promise<Map<string, { attempts: number; since: number }>> {
    const start = now - windowMs;
    if (now - this.swept >= SWEEP_MS) {
      this.swept = now;
      await this.db.deleteFrom("console_sign_in_attempts").where("since", "<=", start).execute();
    }
    const out = new Map<string, { attempts: number; since: number }>();
    const passed = sql<boolean>`console_sign_in_attempts.since <= ${start}`;
    for (const counter of counters) {
      const row = await this.db
        .insertInto("console_sign_in_attempts")
        .values({ counter, attempts: 1, since: now })
        .onConflict((oc) =>
          oc.column("counter").doUpdateSet({
            attempts: sql<number>`case when ${passed} then 1 else console_sign_in_attempts.attempts + 1 end`,
            since: sql<number>`case when ${passed} then ${now} else console_sign_in_attempts.since end`,
          }),
        )
        .returning(["attempts", "since"])
        .executeTakeFirstOrThrow();
      out.set(counter, { attempts: Number(row.attempts), since: Number(row.since) });
    }
    return out;
  }

  async takeBack(counter: string, reset: boolean): Promise<void> {
    if (reset) await this.db.deleteFrom("console_sign_in_attempts").where("counter", "=", counter).execute();
    else await this.db.updateTable("console_sign_in_attempts").set({ attempts: sql<number>`attempts - 1` }).where("counter", "=", counter).where("attempts", ">", 0).execute();
  }
}
