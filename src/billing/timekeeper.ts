// Runs billing on the service clock: settles each hour as it ends and applies the terms (expiry, renewal, recycle
// bin, arrears) and action timers when they fall due, every few seconds of real time; and moves the clock forward on
// request, stepping through every hour end in which something is metered, term and timer in between (idle hours in
// one step), so a month advanced in one call bills and expires exactly as a month lived would; prunes what is no longer kept once an hour has settled. One run at a time.
import type { Deps } from "../deps.js";
import { HOUR_MS, METERED_UNTIL } from "./metering.js";
import { rerateIfChanged } from "./rerating.js";
import { fullPruneEvery, prune } from "./retention.js";
import { Settlement, type SettlementStatus } from "./settlement.js";
import { applyTerms, nextTermDue } from "./terms.js";
import { applyTimers, nextTimerDue } from "./action-timers.js";

/** service_state key: how far the service clock runs ahead of real time (ms). */
export const CLOCK_OFFSET = "clock_offset";
/** How often due work is looked for. */
const TICK_MS = 5_000;
/** The leadership the periodic run needs: with several nodes on one database, one of them runs it. */
const LEADER = "billing";

export interface Advanced {
  now: string;
  offsetSeconds: number;
  hoursSettled: number;
}

export class Timekeeper {
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly settlement: Settlement;
  /** When (service clock) everything kept for a time was last pruned. */
  private prunedAt = -Infinity;

  constructor(private readonly deps: Deps & { engine: { kick(): void; idle(startedBy?: string): Promise<void> } }) {
    this.settlement = new Settlement(deps.store, deps.clock, deps.log);
  }

  async start(): Promise<void> {
    await this.adoptStoredOffset();
    const rerated = await rerateIfChanged(this.deps.store, this.deps.catalog, this.deps.clock);
    if (rerated) this.deps.log.info("prices or rating rules changed: resources re-rated", { resources: rerated });
    if ((await this.deps.store.billing.state(METERED_UNTIL)) === undefined) {
      await this.deps.store.billing.setState(METERED_UNTIL, String(Math.floor(this.deps.clock.nowMs() / HOUR_MS) * HOUR_MS));
    }
    this.timer = setInterval(() => void this.serially(() => this.leading()).catch((e) => this.deps.log.error("billing run failed", { error: String(e) })), TICK_MS);
    this.timer.unref();
  }

  /** Stops the periodic run and waits for the current one; `start` takes up again. */
  close(): Promise<unknown> {
    clearInterval(this.timer);
    return this.queue;
  }

  /** How far billing lags the service clock, and its failures. */
  status(): Promise<SettlementStatus> {
    return this.settlement.status();
  }

  /** Settles and applies whatever is due now (also what the timer does). */
  runDue(): Promise<number> {
    return this.serially(() => this.catchUp());
  }

  /** Moves the clock `ms` forward through every hour end and term on the way; resolves once all of it is done. */
  advance(ms: number): Promise<Advanced> {
    return this.serially(async () => {
      const { clock } = this.deps;
      // From the shared clock: another node may have moved it since this one last looked.
      await this.adoptStoredOffset();
      const target = clock.nowMs() + ms;
      let hoursSettled = await this.catchUp(true);
      for (;;) {
        // From the clock, not the settlement mark: an account that fails to settle must not hold the clock back.
        const hourEnd = await this.nextBilledHourEnd(clock.nowMs());
        const term = await nextTermDue(this.deps, clock.nowMs());
        const timer = await nextTimerDue(this.deps, clock.nowMs());
        const next = Math.min(hourEnd, term ?? Infinity, timer ?? Infinity);
        if (next > target) break;
        await this.moveTo(next);
        // A step to an hour end before any term or timer falls due has only the hour to settle: the terms' and
        // timers' scans wait for their step (or the last one).
        hoursSettled += await this.catchUp(true, next === term || next === timer);
        await this.startedWorkDone();
      }
      await this.moveTo(target);
      hoursSettled += await this.catchUp(true);
      await this.startedWorkDone();
      this.deps.log.event("clock", `clock moved ${Math.round(ms / 1000)} s forward to ${clock.now().toISOString()}`, { seconds: Math.round(ms / 1000), now: clock.now().toISOString(), hoursSettled });
      return { now: clock.now().toISOString().replace(/\.\d{3}Z$/, "Z"), offsetSeconds: Math.round(clock.offset / 1000), hoursSettled };
    });
  }

  /**
   * The end of the next hour in which a meter runs: an hour nobody is billed for changes no balance, so a step over
   * it and the idle hours after it settles the same as one step an hour (and costs one run, not one an hour).
   */
  private async nextBilledHourEnd(now: number): Promise<number> {
    // From the start of the current hour: a meter that closed earlier in it still bills it at its end.
    const usage = await this.deps.store.billing.firstUsage(undefined, Math.floor(now / HOUR_MS) * HOUR_MS);
    return usage === undefined ? Infinity : Math.floor(usage / HOUR_MS) * HOUR_MS + HOUR_MS;
  }

  /** Waits for the operations started so far (the step's), not for those clients keep starting meanwhile. */
  private startedWorkDone(): Promise<void> {
    return this.deps.engine.idle(new Date().toISOString());
  }

  /**
   * Moves this node's clock and the stored one: the store keeps the higher offset (another node may be advancing
   * too: the clock never runs back), and this node adopts what it keeps.
   */
  private async moveTo(ms: number): Promise<void> {
    this.deps.clock.moveTo(ms);
    this.deps.clock.adopt(await this.deps.store.billing.raiseState(CLOCK_OFFSET, this.deps.clock.offset));
  }

  /** Another node may have moved the shared clock. */
  private async adoptStoredOffset(): Promise<void> {
    const stored = await this.deps.store.billing.state(CLOCK_OFFSET);
    if (stored !== undefined) this.deps.clock.adopt(Number(stored));
  }

  /** The periodic run, on the node that leads it (another takes the lead when that node dies). */
  private async leading(): Promise<number> {
    return (await this.deps.store.lead(LEADER)) ? this.catchUp() : 0;
  }

  /**
   * Settles every hour that has ended, then applies the terms; returns the hours every account moved on.
   * `moved`: the clock was just moved (and the stored offset adopted) by this node; `terms`: whether to look for
   * terms and timers due.
   */
  private async catchUp(moved = false, terms = true): Promise<number> {
    if (!moved) await this.adoptStoredOffset();
    const { store, log } = this.deps;
    const debtors = new Set((await store.billing.inArrears()).map((a) => a.appId));
    const settled = await this.settlement.run();
    if (settled > 0) {
      log.event("billing", `settled ${settled} hour(s) of billing`, { hours: settled, clock: this.deps.clock.now().toISOString() });
      const full = this.deps.clock.nowMs() - this.prunedAt >= fullPruneEvery(this.deps.config.retention);
      if (full) this.prunedAt = this.deps.clock.nowMs();
      const pruned = await prune(this.deps.store, this.deps.clock, this.deps.config.retention, full);
      if (Object.values(pruned).some((n) => n > 0)) this.deps.log.debug("pruned", { ...pruned });
    }
    for (const a of await store.billing.inArrears()) {
      if (!debtors.delete(a.appId)) log.event("billing", `AppId ${a.appId} is in arrears since ${a.since}`, { appId: a.appId, since: a.since });
    }
    for (const appId of debtors) log.event("billing", `AppId ${appId} is out of arrears`, { appId });
    if (terms) {
      await applyTerms(this.deps);
      await applyTimers(this.deps);
    }
    return settled;
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
