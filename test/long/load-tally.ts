// What the load test counts: a budget of requests and seconds shared by every simulated user, and every answer
// with its latency and code.
import { percentile } from "../../bench/common.js";

/** Thrown to a user when the budget is spent: it stops where it is. */
export class BudgetSpent extends Error {}

export class Budget {
  private left: number;
  private readonly deadline: number;

  constructor(requests: number, seconds: number) {
    this.left = requests;
    this.deadline = performance.now() + seconds * 1000;
  }

  /** One request more, or BudgetSpent. */
  take(): void {
    if (this.left <= 0 || performance.now() > this.deadline) throw new BudgetSpent();
    this.left--;
  }
}

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface Figures {
  answers: number;
  throttled: number;
  seconds: number;
  perSecond: number;
  /** Of every answer, and of the successes alone (a throttled answer is quick). */
  all: Latency;
  succeeded: Latency;
}

function latency(ms: readonly number[]): Latency {
  const p = (q: number) => percentile(ms, q);
  return { p50: p(50), p90: p(90), p99: p(99), max: p(100) };
}

export class Tally {
  private readonly started = performance.now();
  private ended = 0;
  private readonly latencies: number[] = [];
  private readonly successes: number[] = [];
  /** Answers by action and code. */
  readonly codes = new Map<string, Map<string, number>>();
  /** Answers that were neither a success nor throttling: action, code and message. */
  readonly unexpected: string[] = [];

  record(action: string, ms: number, code: string, message = ""): void {
    this.latencies.push(ms);
    if (code === "OK") this.successes.push(ms);
    const byCode = this.codes.get(action) ?? new Map<string, number>();
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
    this.codes.set(action, byCode);
    if (code !== "OK" && code !== "RequestLimitExceeded") this.unexpected.push(`${action}: ${code} ${message}`);
  }

  end(): void {
    this.ended = performance.now();
  }

  figures(): Figures {
    const seconds = ((this.ended || performance.now()) - this.started) / 1000;
    const throttled = [...this.codes.values()].reduce((n, byCode) => n + (byCode.get("RequestLimitExceeded") ?? 0), 0);
    return {
      answers: this.latencies.length,
      throttled,
      seconds,
      perSecond: this.latencies.length / seconds,
      all: latency(this.latencies),
      succeeded: latency(this.successes),
    };
  }
}
