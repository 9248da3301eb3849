// What the service keeps, on the service clock: finished operations, ClientTokens, done action timers of
// instances that are gone and the VPC's tasks (what DescribeTaskResult answers) for the configured time; meters until their account has settled past them; bill lines as
// long as the billing service can be asked about them. Pruned in small batches, each its own statement, with the
// event loop let go between them, so pruning never holds the writer for long.
import type { Clock } from "../domain/clock.js";
import type { Store } from "../store/store.js";

/**
 * How often (service clock) what is kept for a time is looked at: half the retention, between an hour and a day
 * (an empty month of the clock would otherwise pay for 720 passes). Settled meters go every hour.
 */
export function fullPruneEvery(retentionSeconds: number): number {
  return Math.min(86_400_000, Math.max(3_600_000, (retentionSeconds * 1000) / 2));
}
/** Rows removed per statement. */
export const PRUNE_BATCH = 1_000;
/** DescribeBillDetail documents the last 18 months: the current month and the 18 before it are kept. */
export const BILL_MONTHS = 18;

export interface Pruned {
  meters: number;
  operations: number;
  clientTokens: number;
  actionTimers: number;
  tasks: number;
  bills: number;
}

/** The first month whose bill lines are kept at `now` (yyyy-mm). */
export function oldestBillMonth(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - BILL_MONTHS, 1)).toISOString().slice(0, 7);
}

/** Prunes settled meters and, when `full`, everything kept for a time. */
export async function prune(store: Store, clock: Clock, retentionSeconds: number, full: boolean): Promise<Pruned> {
  const now = clock.nowMs();
  const before = now - retentionSeconds * 1000;
  const beforeIso = new Date(before).toISOString();
  const toSecond = beforeIso.replace(/\.\d{3}Z$/, "Z");
  const meters = await drain(() => store.billing.pruneSettledMeters(PRUNE_BATCH));
  if (!full) return { meters, operations: 0, clientTokens: 0, actionTimers: 0, tasks: 0, bills: 0 };
  return {
    meters,
    operations: await drain(() => store.operations.prune(before, PRUNE_BATCH)),
    // Tokens, timers and tasks keep their times as ISO strings of different precision: compared to the second.
    clientTokens: await drain(() => store.clientTokens.prune(beforeIso, PRUNE_BATCH)),
    actionTimers: await drain(() => store.actionTimers.prune(toSecond, PRUNE_BATCH)),
    tasks: await drain(() => store.tasks.prune(toSecond, PRUNE_BATCH)),
    bills: await drain(() => store.billing.pruneBills(oldestBillMonth(new Date(now)), PRUNE_BATCH)),
  };
}

/** Runs `step` until it removes less than a batch; answers the rows removed. */
async function drain(step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step();
    total += n;
    if (n < PRUNE_BATCH) return total;
    await new Promise((r) => setImmediate(r));
  }
}
