// RunInstances ClientTokens and the instances they created.
import type { Kysely } from "kysely";
import type { Clock } from "../domain/clock.js";
import type { Database } from "./schema.js";
import type { ClientTokenRepo } from "./store.js";

export class SqlClientTokens implements ClientTokenRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async get(appId: number, token: string): Promise<string[] | undefined> {
    const row = await this.db.selectFrom("client_tokens").select("instance_ids").where("app_id", "=", appId).where("token", "=", token).executeTakeFirst();
    return row && (JSON.parse(row.instance_ids) as string[]);
  }

  async put(appId: number, token: string, instanceIds: string[]): Promise<void> {
    await this.db
      .insertInto("client_tokens")
      .values({ app_id: appId, token, instance_ids: JSON.stringify(instanceIds), created_at: this.clock.now().toISOString() })
      .execute();
  }

  async prune(before: string, limit: number): Promise<number> {
    const old = this.db.selectFrom("client_tokens").select(["app_id", "token"]).where("created_at", "<", before).limit(limit);
    const r = await this.db.deleteFrom("client_tokens").where((eb) => eb(eb.refTuple("app_id", "token"), "in", old.$asTuple("app_id", "token"))).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
