// Accounts made in the store before a long run's server starts, as `opencvm accounts create` makes them.
import { Clock } from "../../src/domain/clock.js";
import { QUOTA_NAMES } from "../../src/domain/quotas.js";
import { generateKeyPair } from "../../src/keys.js";
import { openStore } from "../../src/store/sql.js";
import type { Caller } from "../trust/invariants.js";

/** `count` accounts in the data directory; with `quotas` "lifted", each may buy as much as a run needs. */
export async function createAccounts(data: string, count: number, quotas: "default" | "lifted" = "default"): Promise<Caller[]> {
  const store = await openStore(data, new Clock());
  try {
    const out: Caller[] = [];
    for (let i = 0; i < count; i++) {
      const key = generateKeyPair();
      const appId = (await store.accounts.create(key)).appId;
      if (quotas === "lifted") for (const quota of QUOTA_NAMES) await store.accounts.setQuota(appId, quota, 1_000_000);
      out.push({ ...key, appId });
    }
    return out;
  } finally {
    await store.close();
  }
}
