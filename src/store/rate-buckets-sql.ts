// The rate limit's token buckets in the database, for nodes that share it: one row per account and action, taken
// from in one statement (an upsert that only writes when a token is left), so concurrent requests on any node
// count against the same bucket, timed by the database server's one clock.
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "./schema.js";
import type { RateBucketRepo } from "./store.js";

export class SqlRateBuckets implements RateBucketRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly nowMs: RawBuilder<number>,
  ) {}

  async take(bucket: string, rate: number): Promise<boolean> {
    const perMs = sql<number>`cast(${rate / 1000} as double precision)`;
    const full = sql<number>`cast(${rate} as double precision)`;
    // A bucket holds one second's worth and refills continuously; a clock that went back refills nothing.
    const elapsed = sql<number>`(case when ${this.nowMs} > rate_buckets.at then ${this.nowMs} - rate_buckets.at else 0 end)`;
    const refilled = sql<number>`(case when rate_buckets.tokens + ${elapsed} * ${perMs} > ${full} then ${full} else rate_buckets.tokens + ${elapsed} * ${perMs} end)`;
    const taken = await this.db
      .insertInto("rate_buckets")
      .values({ bucket, tokens: sql<number>`${full} - 1`, at: this.nowMs })
      .onConflict((oc) => oc.column("bucket").doUpdateSet({ tokens: sql<number>`${refilled} - 1`, at: this.nowMs }).where(refilled, ">=", 1))
      .returning("tokens")
      .executeTakeFirst();
    return taken !== undefined;
  }
}
