// The request metrics (opencvm_requests_total by action and code, opencvm_request_duration_seconds by action), kept
// as plain numbers on the request path and handed to prom-client only when scraped: prom-client checks and hashes
// the labels on every increment and observation, even through a labelled child, which cost more per request than
// everything else the metrics do.
import { Counter, type Metric, type Registry } from "prom-client";

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface ActionStats {
  codes: Map<string, number>;
  /** Observations per bucket, not cumulative; the last counts those above every bound (+Inf). */
  buckets: number[];
  sum: number;
  count: number;
}

export class RequestStats {
  private readonly actions = new Map<string, ActionStats>();

  constructor(registry: Registry) {
    const actions = this.actions;
    new Counter({
      name: "opencvm_requests_total",
      help: "API requests answered, by action and result code (OK for a success).",
      labelNames: ["action", "code"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [action, s] of actions) for (const [code, n] of s.codes) this.inc({ action, code }, n);
      },
    });
    registry.registerMetric(latency(actions));
  }

  /** Counts one answered request; `action` is empty when the request named no action the registry knows. */
  request(action: string, code: string, seconds: number): void {
    let s = this.actions.get(action);
    if (!s) this.actions.set(action, (s = { codes: new Map(), buckets: new Array<number>(BUCKETS.length + 1).fill(0), sum: 0, count: 0 }));
    s.codes.set(code, (s.codes.get(code) ?? 0) + 1);
    let i = 0;
    while (i < BUCKETS.length && seconds > BUCKETS[i]) i++;
    s.buckets[i]++;
    s.sum += seconds;
    s.count++;
  }
}

/**
 * The latency histogram, registered as a collector prom-client formats from get(), as it formats its own: values
 * with cumulative `le` buckets, then the sum and the count, read from the kept counts when scraped.
 */
function latency(actions: Map<string, ActionStats>): Metric {
  const described = { name: "opencvm_request_duration_seconds", help: "Time from a request's arrival to its answer, by action.", type: "histogram", aggregator: "sum" } as const;
  const values = () => {
    const out: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    for (const [action, s] of actions) {
      let below = 0;
      BUCKETS.forEach((le, i) => out.push({ metricName: `${described.name}_bucket`, labels: { le, action }, value: (below += s.buckets[i]) }));
      out.push({ metricName: `${described.name}_bucket`, labels: { le: "+Inf", action }, value: s.count });
      out.push({ metricName: `${described.name}_sum`, labels: { action }, value: s.sum });
      out.push({ metricName: `${described.name}_count`, labels: { action }, value: s.count });
    }
    return out;
  };
  const collector = { ...described, get: async () => ({ ...described, values: values() }), reset: () => actions.clear() };
  // prom-client's registry takes its own classes; it only calls get() and reset() of a metric it formats.
  return collector as unknown as Metric;
}
