// Instances leaving a resource pool pack, when TerminateResourcePoolPacks destroys it or its term ends: they are not
// touched otherwise and run on in the public pool (as the API documents for the termination), billed by the hour from
// that instant like any pay-as-you-go instance. The store re-rates each as it writes it: its compute is metered from
// then on and an hour of it frozen.
import type { Store } from "../store/store.js";

/** Takes every instance drawing on `packIds` out of its pack, inside the caller's transaction; answers their ids. */
export async function leavePacks(tx: Store, packIds: readonly string[]): Promise<string[]> {
  const usage = await tx.poolPacks.usage(packIds);
  const ids = [...usage.values()].flatMap((u) => u.instanceIds);
  for (const id of ids) await tx.instances.update(id, { doc: { DedicatedResourcePackId: undefined } });
  return ids;
}
