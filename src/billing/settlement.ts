// Settles every account up to the last ended hour, each on its own: an account whose settlement fails (a write the
// database refuses, a full disk) is retried a bounded number of times, logged with its hour, counted and left
// behind, and the others settle. The account is tried again at the next run. How far billing lags the service clock
// and how many settlements failed is what `status` answers.
import type { Clock } from "../domain/clock.js";
import { isoSeconds } from "../domain/dates.js";
import type { Logger } from "../log.js";
import type { AccountSettlement, Store } from "../store/store.js";
import { HOUR_MS, METERED_UNTIL, settleBatch } from "./metering.js";

/** Tries of one batch in one run before the account is left for the next run. */
export const SETTLE_ATTEMPTS = 3;
const ERROR_CHARS = 1000;

export interface SettlementStatus {
  /** The end of the hour every account is settled up to (ISO). */
  settledUntil: string;
  /** Seconds of ended hours not yet settled for every account (0 when billing is up to date). */
  lagSeconds: number;
  /** Settlements of an account that failed (every try) since this process started. */
  failures: number;
  /** Accounts held back by a failing settlement, with the hour and the last error. */
  failing: { appId: number; hour: string; failures: number; error: string | null }[];
}

export class Settlement {
  private failed = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Settles every account up to the last ended hour; answers how many hours the common mark moved. */
  async run(): Promise<number> {
    const due = Math.floor(this.clock.nowMs() / HOUR_MS) * HOUR_MS;
    const from = Number(await this.store.billing.state(METERED_UNTIL));
    let mark = Infinity;
    // Every account's position and first usage in one read (an account with nothing to bill is not written to).
    for (const { firstUsage, ...start } of await this.store.billing.positions(from)) {
      mark = Math.min(mark, (await this.settle(start, due, firstUsage)).settledUntil);
    }
    if (mark === Infinity || mark <= from) return 0;
    await this.store.billing.setState(METERED_UNTIL, String(mark));
    return (mark - from) / HOUR_MS;
  }

  async status(): Promise<SettlementStatus> {
    const mark = Number(await this.store.billing.state(METERED_UNTIL));
    const due = Math.floor(this.clock.nowMs() / HOUR_MS) * HOUR_MS;
    const failing = (await this.store.billing.settlements())
      .filter((s) => s.failures > 0)
      .map((s) => ({ appId: s.appId, hour: isoSeconds(new Date(s.settledUntil)), failures: s.failures, error: s.lastError }));
    return { settledUntil: isoSeconds(new Date(mark)), lagSeconds: Math.max(0, (due - mark) / 1000), failures: this.failed, failing };
  }

  /**
   * Settles one account's ended hours; stops at a batch that keeps failing. Answers where the account is.
   * `firstUsage`: the first instant from `progress` at which one of its meters runs, as read with it.
   */
  private async settle(progress: AccountSettlement, due: number, firstUsage: number | undefined): Promise<AccountSettlement> {
    let at = progress;
    let known: { first: number | undefined } | undefined = { first: firstUsage };
    while (at.settledUntil < due) {
      at = await this.skipIdle(at, due, known);
      known = undefined;
      if (at.settledUntil >= due) break;
      let error: unknown;
      for (let attempt = 1; attempt <= SETTLE_ATTEMPTS; attempt++) {
        try {
          at = await settleBatch(this.store, at);
          error = undefined;
          break;
        } catch (e) {
          error = e;
          this.log.warn("settlement failed", { appId: at.appId, hour: isoSeconds(new Date(at.settledUntil)), attempt, error: String(e) });
        }
      }
      if (error !== undefined) return this.fail(at, error);
    }
    return at;
  }

  /**
   * Hours in which none of the account's meters ran bill nothing: the account is past them without a write (an idle
   * account costs no read of its own: `known` is what the run's first read found).
   */
  private async skipIdle(at: AccountSettlement, due: number, known?: { first: number | undefined }): Promise<AccountSettlement> {
    if (at.resumeAfter !== "") return at;
    const first = known ? known.first : await this.store.billing.firstUsage(at.appId, at.settledUntil);
    const to = Math.min(due, first === undefined ? due : Math.floor(first / HOUR_MS) * HOUR_MS);
    return to > at.settledUntil ? { ...at, settledUntil: to } : at;
  }

  private async fail(at: AccountSettlement, e: unknown): Promise<AccountSettlement> {
    this.failed++;
    const hour = isoSeconds(new Date(at.settledUntil));
    this.log.error("account not settled: left for the next run", { appId: at.appId, hour, attempts: SETTLE_ATTEMPTS, error: String(e) });
    const noted = { ...at, failures: at.failures + 1, lastError: String(e).slice(0, ERROR_CHARS) };
    try {
      await this.store.billing.setSettlement(noted);
      return noted;
    } catch (again) {
      // The database may refuse every write (a full disk): the count in memory and the log still say it.
      this.log.error("settlement failure not recorded", { appId: at.appId, hour, error: String(again) });
      return at;
    }
  }
}
