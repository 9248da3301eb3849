// RunInstances ClientTokens and the instances they created.
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { ClientTokenRepo } from "./store.js";

export class SqlClientTokens implements ClientTokenRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(appId: number, token: string): Promise<string[] | undefined> {
    const row = await this.db.selectFrom("client_tokens").select("instance_ids").where("app_id", "=", appId).where("token", "=", token).executeTakeFirst();
    return row && (JSON.parse(row.instance_ids) as string[]);
  }

  async put(appId: number, token: string, instanceIds: string[]): Promise<void> {
    await this.db
      .insertInto("client_tokens")
      .values({ app_id: appId, token, instance_ids: JSON.stringify(instanceIds), created_at: new Date().toISOString() })
      .execute();
  }
}
