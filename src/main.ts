// Builds the service from a Config: store, catalog, default account, API pipeline, HTTP server.
// Nothing below this reads the environment.
import type { AddressInfo } from "node:net";
import { ACTIONS } from "./actions/index.js";
import type { ActionDef, Deps } from "./api/action.js";
import { RateLimiter } from "./api/rate-limit.js";
import { Registry } from "./api/registry.js";
import { DEFAULT_IMAGES } from "./catalog/images.js";
import { DEFAULT_INSTANCE_TYPES } from "./catalog/instance-types.js";
import { DEFAULT_REGIONS } from "./catalog/regions.js";
import type { ComputeBackend } from "./compute/backend.js";
import { SimulatedBackend } from "./compute/simulated.js";
import { ConfigError, type Config } from "./config.js";
import { Engine } from "./engine/runner.js";
import { ensureDefaultAccount, type DefaultAccount } from "./default-account.js";
import { Catalog } from "./domain/catalog.js";
import { CredentialCache } from "./http/credentials.js";
import { createApiServer } from "./http/server.js";
import { createLogger, type Logger } from "./log.js";
import { openStore } from "./store/sql.js";
import type { Store } from "./store/store.js";

export interface Running {
  url: string;
  port: number;
  store: Store;
  engine: Engine;
  defaultAccount: DefaultAccount;
  close(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Replaces the implemented actions (tests use it to observe what reaches a handler). */
  actions?: readonly ActionDef[];
  /** Checks every answer against the spec's output object (the test suite turns it on). */
  checkOutputs?: boolean;
  /** Replaces the simulated compute backend built from the configuration. */
  backend?: ComputeBackend;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function start(config: Config, options: StartOptions = {}): Promise<Running> {
  if (!isLoopback(config.host) && !config.secretId) {
    throw new ConfigError(
      `Refusing to listen on ${config.host} with generated credentials: set OPENCVM_SECRET_ID and OPENCVM_SECRET_KEY ` +
        `(or --secret-id/--secret-key) to serve beyond this machine.`,
    );
  }
  const log = options.log ?? createLogger(config.logLevel);
  const store = await openStore(config.data);
  const backend = options.backend ?? new SimulatedBackend(config.timing, config.faults);
  const engine = new Engine(store, backend, log);
  try {
    const defaultAccount = await ensureDefaultAccount(store, config);
    await engine.start();
    const deps: Deps = { config, store, catalog: new Catalog(DEFAULT_REGIONS, DEFAULT_INSTANCE_TYPES, DEFAULT_IMAGES), log, engine };
    const server = createApiServer({
      deps,
      registry: new Registry(options.actions ?? ACTIONS, options.checkOutputs),
      limiter: new RateLimiter(config.rateLimit),
      credentials: new CredentialCache(store),
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    return {
      url: `http://${host}:${port}`,
      port,
      store,
      engine,
      defaultAccount,
      async close() {
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await engine.close();
        await store.close();
      },
    };
  } catch (e) {
    await engine.close();
    await store.close();
    throw e;
  }
}
