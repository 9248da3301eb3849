// Prices and rating rules can change between runs (an operator's new catalog file, a new OpenCVM, a database from
// before billing): every resource is then re-rated once at start-up, so the hours after it are billed at the new
// prices and those before at the old. A fingerprint of what rating depends on says whether anything changed.
import { createHash } from "node:crypto";
import type { Catalog } from "../domain/catalog.js";
import type { Clock } from "../domain/clock.js";
import type { Store } from "../store/store.js";
import { CatalogRater } from "./rating.js";

/** Raised whenever rating.ts's rules change, so that databases rated by the old rules are re-rated. */
const RULES_VERSION = 3;
/** service_state key: the fingerprint the meters in force were rated with. */
export const RATED_WITH = "rated_with";

export function ratingFingerprint(catalog: Catalog): string {
  const prices = catalog.regions.map((r) => [r.region, catalog.prices(r.region)]);
  return createHash("sha256").update(JSON.stringify({ rules: RULES_VERSION, prices })).digest("hex").slice(0, 16);
}

/** Instances re-rated per transaction: a large cloud is not held in memory at once. */
const PAGE = 1000;

/**
 * Re-rates every instance and EIP if the prices or rules changed since they were rated; returns how many. Page by
 * page: a crash part of the way leaves the fingerprint unchanged, and the next start finishes (re-rating what is
 * already right changes nothing).
 */
export async function rerateIfChanged(store: Store, catalog: Catalog, clock: Clock): Promise<number> {
  const fingerprint = ratingFingerprint(catalog);
  if ((await store.billing.state(RATED_WITH)) === fingerprint) return 0;
  const rater = new CatalogRater(catalog);
  const at = clock.nowMs();
  let count = 0;
  for (let after = ""; ; ) {
    const page = await store.instances.ratedPage(after, PAGE);
    if (!page.length) break;
    await store.transaction(async (tx) => {
      for (const r of page) await tx.billing.sync(r.instanceId, r.appId, rater.instance(r), at);
    });
    count += page.length;
    after = page[page.length - 1].instanceId;
  }
  await store.transaction(async (tx) => {
    const addresses = await tx.addresses.all();
    for (const a of addresses) await tx.billing.sync(a.addressId, a.appId, rater.address(a), at);
    const disks = await tx.disks.standalone();
    for (const d of disks) await tx.billing.sync(d.diskId, d.appId, rater.disk(d), at);
    count += disks.length;
    await tx.billing.setState(RATED_WITH, fingerprint);
    count += addresses.length;
  });
  return count;
}
