// Keeps what a backend lets in (the qemu backend's forwarded ports) in line with each running instance's security
// groups: rules and bindings change through many actions, so the engine compares at a short interval instead.
import type { ComputeBackend } from "../compute/backend.js";
import { openIngressPorts } from "../domain/ingress-ports.js";
import type { Store } from "../store/store.js";

/** All running instances, or only those of `only` (a machine just started, which should not wait for the round). */
export async function syncAccess(store: Store, backend: ComputeBackend, only?: ReadonlySet<string>): Promise<void> {
  if (!backend.setIngress) return;
  for (const i of await store.instances.inStates(["RUNNING", "STARTING", "REBOOTING"])) {
    if (only && !only.has(i.instanceId)) continue;
    await backend.setIngress(i.instanceId, openIngressPorts(await store.securityGroups.guarding(i.instanceId)));
  }
}
