// Starting and applying work on instances, for a request or a system job alike: refusing states the lifecycle table
// does not allow, and starting an operation (state change and work item in one transaction) or applying a change at
// once. The refusal codes are the ones the spec documents for the action, whoever calls it.
import { randomUUID } from "node:crypto";
import { serviceSpec } from "../api/spec.js";
import type { Deps } from "../deps.js";
import { fail } from "../domain/errors.js";
import { LIFECYCLE, operationKind, refusal, type InstanceState } from "../domain/lifecycle.js";
import type { InstanceChange, InstanceRecord, Store } from "../store/store.js";
import type { Actor } from "./actor.js";

/** The states `kind` starts from; with ForceStop also those it may stop first. */
export function allowedFrom(kind: string, forceStop: boolean | undefined): readonly InstanceState[] {
  const t = LIFECYCLE[operationKind(kind)];
  return forceStop && t.forced ? [...t.from, ...t.forced] : t.from;
}

/**
 * Refuses the whole call if any instance is busy or in a state the action does not start from: by default the
 * lifecycle table's states; an action outside the table (a query such as DescribeInstanceVncUrl) gives its own.
 */
export function guard(kind: string, records: readonly InstanceRecord[], from: readonly InstanceState[] = LIFECYCLE[operationKind(kind)].from): void {
  const documented = serviceSpec("cvm").actions[kind].errors;
  for (const r of records) {
    if (r.latestOperationState === "OPERATING") {
      throw fail(
        "OperationDenied.InstanceOperationInProgress",
        `Instance ${r.instanceId} is still running ${r.latestOperation} (RequestId ${r.latestOperationRequestId}).`,
        `实例 ${r.instanceId} 的操作 ${r.latestOperation} 仍在进行中（RequestId ${r.latestOperationRequestId}）。`,
      );
    }
    const state = r.state as InstanceState;
    if (!from.includes(state)) {
      throw fail(refusal(state, documented), `${kind} does not apply to instance ${r.instanceId} in state ${state}.`, `实例 ${r.instanceId} 处于 ${state} 状态，不支持 ${kind}。`);
    }
  }
}

/**
 * Writes `change` to each instance with its LatestOperation fields, expecting the state and RequestId that were read:
 * an instance another request changed meanwhile refuses the whole call. Runs inside the caller's transaction.
 */
async function writeAll(
  tx: Store,
  actor: Actor,
  name: string,
  records: readonly InstanceRecord[],
  change: (r: InstanceRecord) => InstanceChange,
  state: InstanceRecord["latestOperationState"],
): Promise<void> {
  for (const r of records) {
    const changed = await tx.instances.update(
      r.instanceId,
      { ...change(r), latestOperation: name, latestOperationState: state, latestOperationRequestId: actor.requestId, latestOperationError: null },
      { state: r.state, requestId: r.latestOperationRequestId ?? undefined },
    );
    if (!changed) {
      throw fail("OperationDenied.InstanceOperationInProgress", `Instance ${r.instanceId} changed while this request ran; try again.`, `实例 ${r.instanceId} 正被其他请求修改，请重试。`);
    }
  }
}

/** Applies a change at once, marking `name` as the instances' latest, successful operation; all or nothing. */
export async function applyNow(
  store: Store,
  actor: Actor,
  name: string,
  records: readonly InstanceRecord[],
  change: InstanceChange | ((r: InstanceRecord) => InstanceChange),
): Promise<void> {
  if (!records.length) return;
  await store.transaction((tx) => writeAll(tx, actor, name, records, typeof change === "function" ? change : () => change, "SUCCESS"), accountsOf(records));
}

/**
 * Moves each instance to the operation's transitional state and queues its work, all or nothing. The payload may
 * differ per instance. Inside a transaction the caller passes as `store`, the caller kicks the engine once it has
 * committed.
 */
export async function begin(
  deps: Deps,
  actor: Actor,
  name: string,
  records: readonly InstanceRecord[],
  payload: Record<string, unknown> | ((r: InstanceRecord) => Record<string, unknown>) = {},
  store: Store = deps.store,
): Promise<void> {
  const kind = operationKind(name);
  const t = LIFECYCLE[kind];
  await store.transaction(async (tx) => {
    await writeAll(tx, actor, t.reportedAs ?? kind, records, () => ({ state: t.via ?? undefined }), "OPERATING");
    const of = typeof payload === "function" ? payload : () => payload;
    // The state it began in says whether a step that stops the machine starts it again, even when re-run after a crash.
    await tx.operations.add(records.map((r) => ({ operationId: randomUUID(), instanceId: r.instanceId, kind, requestId: actor.requestId, payload: { ...of(r), startedIn: r.state } })));
  }, accountsOf(records));
  if (store === deps.store) deps.engine.kick();
}

/** The accounts whose instances a change writes: its transaction's scope. */
function accountsOf(records: readonly InstanceRecord[]): number[] {
  return records.map((r) => r.appId);
}
