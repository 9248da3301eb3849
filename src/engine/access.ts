// Keeps what a backend lets in (the qemu backend's forwarded ports) in line with each running instance's security
// groups: rules and bindings change through many actions, so the engine compares at a short interval instead.
import type { ComputeBackend } from "../compute/backend.js";
import { openIngressPorts } from "../domain/ingress-ports.js";
import type { Store } from "../store/store.js";

export async function syncAccess(store: Store, backend: ComputeBackend): Promise<void> {
  if (!backend.setIngress) return;
  for (const i of await store.instances.inStates(["RUNNING", "STARTING", "REBOOTING"])) {
    await backend.setIngress(i.instanceId, openIngressPorts(await store.securityGroups.guarding(i.instanceId)));
  }
}
