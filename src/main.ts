// Builds the service from a Config: store, catalog, default account, API pipeline, HTTP server.
// Nothing below this reads the environment.
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { ACTIONS } from "./actions/index.js";
import type { ActionDef, Deps } from "./api/action.js";
import { RateLimiter } from "./api/rate-limit.js";
import { Registry } from "./api/registry.js";
import { DEFAULT_IMAGES, IMPORTABLE_OS } from "./catalog/images.js";
import { defaultCatalogData } from "./catalog/index.js";
import type { ComputeBackend } from "./compute/backend.js";
import { SimulatedBackend } from "./compute/simulated.js";
import { ConfigError, type Config } from "./config.js";
import { CatalogRater } from "./billing/rating.js";
import { CLOCK_OFFSET, Timekeeper } from "./billing/timekeeper.js";
import { Clock } from "./domain/clock.js";
import { Engine } from "./engine/runner.js";
import { ensureDefaultAccount, type DefaultAccount } from "./default-account.js";
import { Catalog, type CatalogData } from "./domain/catalog.js";
import { CatalogError, parseCatalogJson } from "./domain/catalog-file.js";
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
  timekeeper: Timekeeper;
  clock: Clock;
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
  // The catalog is checked before anything is opened: a bad file stops the start with every problem named.
  const catalog = new Catalog(loadCatalog(config.catalog), { images: DEFAULT_IMAGES, importableOs: IMPORTABLE_OS });
  const clock = new Clock();
  const store = await openStore(config.data, clock, new CatalogRater(catalog));
  // The clock as it was left, before anything is written.
  clock.adopt(Number((await store.billing.state(CLOCK_OFFSET)) ?? 0));
  const backend = options.backend ?? new SimulatedBackend(config.timing, config.faults);
  const engine = new Engine(store, backend, log);
  try {
    const defaultAccount = await ensureDefaultAccount(store, config);
    await engine.start();
    const deps: Deps = { config, store, catalog, log, engine, clock };
    const timekeeper = new Timekeeper({ ...deps, engine });
    await timekeeper.start();
    const server = createApiServer({
      deps,
      registry: new Registry(options.actions ?? ACTIONS, options.checkOutputs),
      limiter: new RateLimiter(config.rateLimit),
      credentials: new CredentialCache(store),
      admin: { deps, timekeeper },
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
      timekeeper,
      clock,
      defaultAccount,
      async close() {
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await timekeeper.close();
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

/** The catalog an OPENCVM_CATALOG file describes, or the built-in one. */
export function loadCatalog(path: string | undefined): CatalogData {
  if (!path) return defaultCatalogData();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(`OPENCVM_CATALOG: cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return parseCatalogJson(text, path);
  } catch (e) {
    if (e instanceof CatalogError) throw new ConfigError(`OPENCVM_CATALOG: ${e.message}`);
    throw e;
  }
}
