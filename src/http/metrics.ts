// Prometheus metrics at /_opencvm/metrics (prom-client, a registry per server so that several in one process do
// not mix): what the pipeline counts as it answers, what the event log says about operations, and what the store
// and the backend hold, read when scraped.
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import { MICRO } from "../billing/rating.js";
import type { SettlementStatus } from "../billing/settlement.js";
import type { ComputeBackend } from "../compute/backend.js";
import type { Logger } from "../log.js";
import type { Store } from "../store/store.js";
import { RequestStats } from "./request-stats.js";

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: RequestStats;

  constructor(store: Store, backend: ComputeBackend, log: Logger, billing: { status(): Promise<SettlementStatus> }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "opencvm_" });
    this.requests = new RequestStats(this.registry);
    const operations = new Counter({ name: "opencvm_operations_total", help: "Asynchronous operations finished, by kind and outcome (SUCCESS or FAILED).", labelNames: ["kind", "outcome"], registers });
    log.listen((e) => {
      if (e.kind === "operation" && e.fields.result) operations.inc({ kind: String(e.fields.operation), outcome: String(e.fields.result) });
    });
    new Gauge({
      name: "opencvm_instances",
      help: "Instances by state.",
      labelNames: ["state"],
      registers,
      async collect() {
        this.reset();
        for (const [state, n] of await store.operator.instanceStates()) this.set({ state }, n);
      },
    });
    new Gauge({
      name: "opencvm_vms_running",
      help: "Machines the compute backend is running.",
      registers,
      async collect() {
        this.set([...(await backend.list()).values()].filter((p) => p === "running").length);
      },
    });
    new Gauge({
      name: "opencvm_billed_amount",
      help: "Everything billed so far, in the catalog's currency, by the bill lines' action type.",
      labelNames: ["action_type"],
      registers,
      async collect() {
        this.reset();
        for (const [actionType, micro] of await store.operator.billedTotals()) this.set({ action_type: actionType }, micro / MICRO);
      },
    });
    new Gauge({
      name: "opencvm_billing_lag_seconds",
      help: "Ended hours of the service clock not yet settled for every account (0 when billing is up to date).",
      registers,
      async collect() {
        this.set((await billing.status()).lagSeconds);
      },
    });
    new Gauge({
      name: "opencvm_billing_settlement_failures",
      help: "Settlements of an account that failed every try since the process started (each is retried at the next run).",
      registers,
      async collect() {
        this.set((await billing.status()).failures);
      },
    });
    new Gauge({
      name: "opencvm_billing_failing_accounts",
      help: "Accounts whose settlement is failing now, each held back at the hour it failed in.",
      registers,
      async collect() {
        this.set((await billing.status()).failing.length);
      },
    });
  }

  request(action: string | undefined, code: string, seconds: number): void {
    this.requests.request(action ?? "", code, seconds);
  }
}
