// Action timers fall due on the service clock like the terms (terms.ts). At its ActionTime an UNDO timer turns
// DOING and terminates its instance as TerminateInstances does (a monthly one goes to the recycle bin with the rest
// of its term refunded; a pay-as-you-go one is destroyed, its bound EIP released with Externals.ReleaseAddress); it
// ends DONE in the transaction that starts the termination, the way the real cloud's scheduler is done once its call
// is accepted. An instance that is gone, or that the action refuses (termination protection, a state it does not
// terminate from), ends its timer DONE as it is; one busy with another operation keeps its timer UNDO until the next
// run. A timer a crash left DOING runs again: nothing of its termination was written.
import type { Deps } from "../deps.js";
import { isoSeconds } from "../domain/dates.js";
import { TencentError } from "../domain/errors.js";
import { jobActor } from "../instances/actor.js";
import { terminate } from "../instances/termination.js";
import type { ActionTimerRecord } from "../store/store.js";

/** When the next UNDO timer falls due after `after` (ms), if any. */
export async function nextTimerDue(deps: Deps, after: number): Promise<number | undefined> {
  const at = await deps.store.actionTimers.nextDue(isoSeconds(new Date(after)));
  return at === undefined ? undefined : Date.parse(at);
}

/** Runs every timer due at the clock's time. */
export async function applyTimers(deps: Deps): Promise<void> {
  for (const t of await deps.store.actionTimers.due(isoSeconds(deps.clock.now()))) await fire(deps, t);
}

async function fire(deps: Deps, t: ActionTimerRecord): Promise<void> {
  // Claimed first: a timer deleted or run since it was read is left alone.
  if (t.status === "UNDO" && !(await deps.store.actionTimers.setStatus(t.actionTimerId, "DOING", "UNDO"))) return;
  const records = await deps.store.instances.find(t.appId, t.region, [t.instanceId]);
  if (!records.length) {
    await deps.store.actionTimers.setStatus(t.actionTimerId, "DONE", "DOING");
    return;
  }
  try {
    await deps.store.transaction(async (tx) => {
      await terminate(deps, jobActor("action-timer", deps.clock.now()), records, { releaseAddress: t.releaseAddress ?? false, releasePrepaidDataDisks: false }, tx);
      await tx.actionTimers.setStatus(t.actionTimerId, "DONE", "DOING");
    });
    deps.engine.kick();
  } catch (e) {
    if (!(e instanceof TencentError)) throw e;
    const busy = e.code === "OperationDenied.InstanceOperationInProgress";
    if (!busy) deps.log.info("action timer ran; its instance was not terminated", { timer: t.actionTimerId, instance: t.instanceId, code: e.code, reason: e.en });
    await deps.store.actionTimers.setStatus(t.actionTimerId, busy ? "UNDO" : "DONE", "DOING");
  }
}
