// The parts of a running service that handlers, the instance service and billing's jobs all work with; main.ts
// builds them once. Kept apart from the handler contract (api/action.ts) so the layers below actions can take them.
import type { Config } from "./config.js";
import type { ImportPolicy } from "./compute/image-source.js";
import type { Catalog } from "./domain/catalog.js";
import type { Clock } from "./domain/clock.js";
import type { Logger } from "./log.js";
import type { Store } from "./store/store.js";

export interface Deps {
  config: Config;
  store: Store;
  catalog: Catalog;
  log: Logger;
  /** The service clock every time rule reads. */
  clock: Clock;
  /** Told when new operations are queued, so they start at once. */
  engine: { kick(): void };
  /** What ImportImage may read (the operator's rules, and this server's port once it listens). */
  imports: ImportPolicy;
  /**
   * The machines' screens (every backend's): a single-use address of an instance's VNC console. None where no server
   * listens (the command line's own admin calls).
   */
  consoles?: { address(appId: number, instanceId: string): string };
}
