// Drives asynchronous operations to their end. Handlers write an instance's transitional state and its operation
// rows in one transaction; the runner claims due operations with a lease, calls the backend, and completes the
// transition with a compare-and-set on the state and RequestId it expects. A crash loses only a lease: the
// operation is claimed again and its (idempotent) step re-runs.
import { BackendClosed, BackendError, type ComputeBackend, type Power } from "../compute/backend.js";
import { LIFECYCLE, type InstanceState, type OperationKind } from "../domain/lifecycle.js";
import type { Progress, ProgressStep } from "../domain/progress.js";
import type { Logger } from "../log.js";
import type { InstanceRecord, OperationRecord, Store } from "../store/store.js";
import { syncAccess } from "./access.js";
import { powerPages } from "./power-pages.js";
import { Reconciler } from "./reconcile.js";
import { reporting } from "./reporting-backend.js";
import { RESOURCE_STEPS } from "./resource-steps.js";
import { STEPS, type Placement } from "./steps.js";

/**
 * A claimed operation's lease, renewed every RENEW_MS while its step runs: only a dead node's lease runs out, and
 * another node (or this one restarted) takes the operation over within LEASE_MS + POLL_MS.
 */
const LEASE_MS = 30_000;
const RENEW_MS = 10_000;
/** How often due work is looked for when nothing signals it. */
const POLL_MS = 500;
/** How often the store is compared with the backend. */
const RECONCILE_MS = 10_000;
/** How often forwarded ports are compared with the security groups (a backend with a network only). */
const ACCESS_MS = 2000;
const BATCH = 500;
/** Claims after which an operation that never completes (its step crashes the server, say) ends FAILED unrun. */
export const MAX_CLAIMS = 20;
/** Tries at writing one operation's completion before it is written as FAILED instead. */
export const COMPLETION_TRIES = 3;

export class Engine {
  private readonly inFlight = new Set<Promise<void>>();
  /** The operations this node is running, whose leases it renews. */
  private readonly leased = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private renewer: NodeJS.Timeout | undefined;
  private reconciler: NodeJS.Timeout | undefined;
  private access: NodeJS.Timeout | undefined;
  private accessRound: Promise<void> | undefined;
  private ticking = false;
  private again = false;
  private kicked = 0;
  private closed = false;
  private paused = false;
  /** Counts pauses: a step begun before the store was replaced must not write its completion into the new one. */
  private generation = 0;
  private readonly completions: Completion[] = [];
  private flushing: Promise<void> | undefined;
  /** The operation each resource's running step belongs to, for the steps its backend reports. */
  private readonly current = new Map<string, OperationRecord>();
  private readonly progressListeners = new Set<(p: Progress) => void>();
  /** Subnets' CIDR blocks by id: a subnet's block never changes, so a launch of 100 reads its account's subnets once. */
  private readonly subnetCidrs = new Map<string, string>();
  private readonly drift: Reconciler;

  /** `node` names this server node (OPENCVM_NODE_ID): the host it records for the machines its backend holds. */
  constructor(
    private readonly store: Store,
    private readonly backend: ComputeBackend,
    private readonly log: Logger,
    private readonly node: string,
  ) {
    this.drift = new Reconciler(store, backend, log, (i) => this.mine(i.hostNode));
    backend.onProgress?.((id, step) => {
      const op = this.current.get(id);
      if (op) this.progress(op, step);
    });
  }

  /** Calls `listener` with each step of the operations this node runs as it begins, until the returned function is called. */
  onProgress(listener: (p: Progress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  private progress(op: OperationRecord, step: ProgressStep): void {
    const watched = RESOURCE_STEPS[op.kind] ? undefined : STEPS[op.kind as OperationKind].watched?.(op.payload);
    const p: Progress = { resourceId: watched ?? op.instanceId, ...(watched ? { via: op.instanceId } : {}), operation: op.kind, requestId: op.requestId, step };
    for (const l of this.progressListeners) l(p);
  }

  /**
   * Takes over what a previous run left: its leases (alone on its store; beside other nodes, leases run out
   * instead), and the machines the store says exist (beside other nodes, those this node hosts).
   */
  async start(): Promise<void> {
    this.paused = false;
    if (!this.store.shared) await this.store.operations.releaseLeases();
    const power = (s: string): Power => (s === "STOPPED" || s === "SHUTDOWN" || s === "STARTING" ? "stopped" : "running");
    const machines = new Map<string, Power>();
    for await (const page of powerPages(this.store, ["RUNNING", "STOPPED", "STOPPING", "REBOOTING", "STARTING", "SHUTDOWN", "TERMINATING"])) {
      for (const m of page) if (this.mine(m.hostNode)) machines.set(m.instanceId, power(m.state));
    }
    await this.backend.restore(machines);
    this.drift.baseline(machines);
    // Work another node added: at once rather than at the next poll.
    await this.store.onWork(() => this.kick());
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.renewer = setInterval(() => void this.renew(), RENEW_MS);
    this.renewer.unref();
    this.reconciler = setInterval(() => void this.reconcile().catch((e) => this.log.error("reconcile failed", { error: String(e) })), RECONCILE_MS);
    this.reconciler.unref();
    // A machine that went away by itself is reconciled at once rather than at the next round.
    this.backend.onDrift?.(() => void this.reconcile().catch((e) => this.log.error("reconcile failed", { error: String(e) })));
    if (this.backend.setIngress) {
      // A round still running when the next is due is not doubled.
      this.access = setInterval(() => void (this.accessRound ?? this.syncAccess()), ACCESS_MS);
      this.access.unref();
    }
    this.kick();
  }

  /** Repairs drift between store and backend now (of the machines this node hosts); returns how many were corrected. */
  reconcile(): Promise<number> {
    return this.drift.round();
  }

  /** Whether this node's backend holds a machine hosted on `host`: any machine when the store is this node's alone. */
  private mine(host: string | null): boolean {
    return !this.store.shared || host === this.node;
  }

  private async renew(): Promise<void> {
    try {
      await this.store.operations.renewLeases([...this.leased], Date.now() + LEASE_MS);
    } catch (e) {
      if (!this.closed) this.log.error("lease renewal failed", { error: String(e) });
    }
  }

  /** Brings forwarded ports in line with the security groups now: after the round in flight, if any, one more. */
  async syncAccess(): Promise<void> {
    const round = (this.accessRound ?? Promise.resolve()).then(async () => {
      if (this.closed) return;
      try {
        await syncAccess(this.store, this.backend);
      } catch (e) {
        if (!this.closed) this.log.warn("forwarded ports not updated", { error: String(e) });
      }
    });
    this.accessRound = round;
    await round;
    if (this.accessRound === round) this.accessRound = undefined;
  }

  private async syncAccessOf(ids: ReadonlySet<string>): Promise<void> {
    try {
      await syncAccess(this.store, this.backend, ids);
    } catch (e) {
      if (!this.closed) this.log.warn("forwarded ports not updated", { error: String(e) });
    }
  }

  /** Looks for due work now: called after a handler commits new operations. */
  kick(): void {
    this.kicked++;
    if (this.closed || this.paused) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    void this.tick().finally(() => {
      this.ticking = false;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /**
   * Resolves when no operation is pending or running (for tests and the clock's steps), or once claiming stops; with
   * `startedBy` (ISO, real time), when none started by then is: work requests keep starting cannot hold the caller up
   * forever.
   */
  async idle(startedBy?: string): Promise<void> {
    // A paused engine claims nothing, so pending work would never drain: a stop must not wait on it.
    while (!this.paused && !this.closed && ((await this.store.operations.pendingCount(startedBy)) > 0 || (startedBy === undefined && this.inFlight.size > 0))) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Resolves when the operations the request `requestId` started have finished (or once claiming stops). */
  async finished(requestId: string): Promise<void> {
    while (!this.paused && !this.closed && (await this.store.operations.pendingOf(requestId)) > 0) await new Promise((r) => setTimeout(r, 10));
  }

  /** Stops claiming, for the store to be replaced; the steps in flight finish without writing. `start` resumes. */
  async pause(): Promise<void> {
    this.paused = true;
    this.generation++;
    clearInterval(this.timer);
    clearInterval(this.reconciler);
    while (this.ticking) await new Promise((r) => setTimeout(r, 5));
    await this.flushing;
  }

  /** Waits up to `ms` for the steps in flight to finish and be written, claiming nothing new; true if they all did. */
  async drain(ms: number): Promise<boolean> {
    this.paused = true;
    clearInterval(this.timer);
    const deadline = Date.now() + ms;
    while ((this.inFlight.size > 0 || this.ticking) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await this.flushing;
    return this.inFlight.size === 0;
  }

  /** How many times work was announced to this node's engine (a request compares it before and after). */
  get kicks(): number {
    return this.kicked;
  }

  /** How many steps are running now. */
  get running(): number {
    return this.inFlight.size;
  }

  /** Stops claiming; steps in flight are abandoned and stay pending for the next start, as after a crash. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    clearInterval(this.reconciler);
    clearInterval(this.renewer);
    clearInterval(this.access);
    await this.backend.close();
    await Promise.allSettled([...this.inFlight]);
  }

  private async tick(): Promise<void> {
    try {
      const ops = await this.store.operations.claim(Date.now(), LEASE_MS, BATCH, this.backend.pinned ? this.node : undefined);
      if (!ops.length) return;
      const instances = new Map((await this.store.instances.getMany(ops.map((o) => o.instanceId))).map((i) => [i.instanceId, i]));
      const generation = this.generation;
      for (const op of ops) {
        this.leased.add(op.operationId);
        // A failed write leaves the operation pending under its lease: it is claimed again later, never lost.
        this.log.event("operation", `${op.kind} started on ${op.instanceId}`, { operation: op.kind, instance: op.instanceId, requestId: op.requestId });
        const p = this.run(op, instances.get(op.instanceId), generation)
          .catch((e: unknown) => this.log.error("operation not completed", { operation: op.operationId, error: String(e) }))
          .finally(() => {
            this.inFlight.delete(p);
            this.leased.delete(op.operationId);
          });
        this.inFlight.add(p);
      }
    } catch (e) {
      if (!this.closed) this.log.error("engine tick failed", { error: String(e) });
    }
  }

  private async run(op: OperationRecord, instance: InstanceRecord | undefined, generation: number): Promise<void> {
    const resource = RESOURCE_STEPS[op.kind];
    const kind = op.kind as OperationKind;
    if (!resource) {
      const transition = LIFECYCLE[kind];
      if (!instance || (transition.via && instance.state !== transition.via) || instance.latestOperationRequestId !== op.requestId || instance.latestOperationState !== "OPERATING") {
        // Superseded (or already completed before a crash): nothing is left to do.
        return this.complete({ op, instance: undefined, error: undefined, generation });
      }
    }
    if (op.attempts > MAX_CLAIMS) {
      this.log.error("operation abandoned", { operation: op.operationId, kind: op.kind, instance: op.instanceId, attempts: op.attempts });
      return this.complete({ op, instance, error: `OpenCVM gave up on the operation after ${MAX_CLAIMS} attempts.`, generation });
    }
    let error: string | undefined;
    const backend = reporting(this.backend, (step) => this.progress(op, step));
    this.current.set(op.instanceId, op);
    try {
      await (resource ? resource.run(backend, op.payload) : STEPS[kind].run(backend, instance!, op.payload, (state) => this.show(op, state), await this.placement(instance!)));
    } catch (e) {
      if (e instanceof BackendClosed || this.closed) return;
      if (!(e instanceof BackendError)) this.log.error("backend step failed", { operation: op.operationId, kind, instance: op.instanceId, error: String(e) });
      error = e instanceof Error ? e.message : String(e);
    } finally {
      if (this.current.get(op.instanceId) === op) this.current.delete(op.instanceId);
    }
    if (!this.closed) await this.complete({ op, instance, error, generation });
  }

  /** A stage of a running step (a machine stopped for the work, then started): written only while `op` is the latest. */
  private async show(op: OperationRecord, state: InstanceState): Promise<void> {
    if (this.closed) throw new BackendClosed("engine closed");
    if (await this.store.instances.update(op.instanceId, { state }, { requestId: op.requestId })) this.progress(op, state);
  }

  private async placement(i: InstanceRecord): Promise<Placement> {
    if (!this.subnetCidrs.has(i.subnetId)) for (const s of await this.store.networks.subnets(i.appId, i.region)) this.subnetCidrs.set(s.subnetId, s.cidr);
    // An instance always sits in a subnet of its account; a /32 of its own address is the safe guess otherwise.
    return { subnetCidr: this.subnetCidrs.get(i.subnetId) ?? `${i.privateIp}/32` };
  }

  /**
   * Queues a finished step; every step that finishes before the queue is written shares one transaction, so a
   * burst of completions (a launch of 100) costs one commit instead of a hundred.
   */
  private complete(done: Completion): Promise<void> {
    this.completions.push(done);
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
    return this.flushing;
  }

  private async flush(): Promise<void> {
    const batch = this.completions.splice(0).filter((c) => c.generation === this.generation);
    this.flushing = undefined;
    try {
      await this.write(batch);
    } catch (e) {
      if (this.closed) throw e;
      if (this.store.isStorageFailure(e)) {
        // The work is done and only its record is missing (a full disk): wait for space rather than for the lease.
        this.log.error("operations not completed, retrying", { count: batch.length, error: String(e) });
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (!this.closed) await Promise.all(batch.map((done) => this.complete(done)));
        return;
      }
      // One bad completion must not hold back the others that shared its transaction: each is written alone.
      this.log.warn("operations not completed together, writing them one by one", { count: batch.length, error: String(e) });
      for (let i = 0; i < batch.length; i++) batch[i] = await this.writeAlone(batch[i]);
    }
    // A machine that has just started gets its ports now rather than at the next round, up to 2 s into its boot.
    const started = new Set(batch.filter((c) => c.applied === "RUNNING").map((c) => c.op.instanceId));
    if (started.size && this.backend.setIngress) void this.syncAccessOf(started);
    for (const { op, instance, error, applied } of batch) {
      if (!instance && !RESOURCE_STEPS[op.kind]) continue;
      const result = error ? "FAILED" : "SUCCESS";
      const fields = { operation: op.kind, instance: op.instanceId, requestId: op.requestId, result, ...(error ? { error } : {}) };
      this.log.event("operation", `${op.kind} ${error ? "failed" : "succeeded"} on ${op.instanceId}${error ? `: ${error}` : ""}`, fields);
      if (applied) this.log.event("instance", `${op.instanceId} is ${applied}`, { instance: op.instanceId, state: applied, requestId: op.requestId });
    }
  }

  /**
   * Writes one completion, trying a few times; one that keeps failing is written as the operation's failure, with
   * its error logged, so that it neither stays leased nor is retried forever. Answers what was written.
   */
  private async writeAlone(done: Completion): Promise<Completion> {
    let failure: unknown;
    for (let tries = 0; tries < COMPLETION_TRIES; tries++) {
      try {
        await this.write([done]);
        return done;
      } catch (e) {
        if (this.closed || this.store.isStorageFailure(e)) throw e;
        failure = e;
      }
    }
    const { op } = done;
    this.log.error("operation failed: its completion cannot be written", { operation: op.operationId, kind: op.kind, instance: op.instanceId, tries: COMPLETION_TRIES, error: failure instanceof Error ? (failure.stack ?? failure.message) : String(failure) });
    const failed = { ...done, error: `OpenCVM could not complete the operation: ${failure instanceof Error ? failure.message : String(failure)}` };
    try {
      await this.write([failed]);
    } catch (e) {
      // Even its failure cannot be recorded against the resource: the operation at least stops being retried.
      this.log.error("operation closed as failed without its resource", { operation: op.operationId, error: String(e) });
      await this.store.operations.finish(op.operationId, "failed");
    }
    return failed;
  }

  /** Completes a batch in one transaction: all of it or none. */
  private async write(batch: readonly Completion[]): Promise<void> {
    // Scoped to the instances' accounts; a step on another resource (a disk, a snapshot) takes the whole cloud.
    const accounts = batch.some((d) => RESOURCE_STEPS[d.op.kind]) ? undefined : batch.flatMap((d) => (d.instance ? [d.instance.appId] : []));
    await this.store.transaction(async (tx) => {
      for (const done of batch) {
        const { op, instance, error } = done;
        const resource = RESOURCE_STEPS[op.kind];
        const ok = error === undefined;
        // Closed first: an operation another node took over (this node stalled past its lease) and completed
        // changes nothing the second time.
        if (!(await tx.operations.finish(op.operationId, ok || !(resource || instance) ? "done" : "failed"))) continue;
        if (resource) {
          await resource.complete(tx, op.payload, ok);
          continue;
        }
        if (!instance) continue;
        const kind = op.kind as OperationKind;
        const transition = LIFECYCLE[kind];
        // The compare-and-set: only the operation the instance still shows may complete it.
        const applied = await tx.instances.update(
          op.instanceId,
          {
            ...(ok ? STEPS[kind].onSuccess?.(op.payload, instance) : {}),
            state: (ok ? transition.success : transition.failure) ?? undefined,
            latestOperationState: ok ? "SUCCESS" : "FAILED",
            latestOperationError: ok ? null : error,
            hostNode: this.node,
          },
          { state: transition.via ?? undefined, requestId: op.requestId },
        );
        if (applied) done.applied = (ok ? transition.success : transition.failure) ?? instance.state;
        if (applied) await STEPS[kind].afterward?.(tx, op.payload, ok, instance);
        if (applied && ok && transition.success === "TERMINATED") {
          await tx.networks.release(op.instanceId);
          await tx.instances.remove(op.instanceId);
        }
      }
    }, accounts);
  }
}

interface Completion {
  op: OperationRecord;
  /** Undefined when the operation was superseded and only needs closing, or works on another resource. */
  instance: InstanceRecord | undefined;
  error: string | undefined;
  generation: number;
  /** The state the completion left the instance in, once written. */
  applied?: string;
}
