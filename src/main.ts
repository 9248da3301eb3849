// Builds the service from a Config: store, catalog, default account, API pipeline, HTTP server.
// Nothing below this reads the environment.
import { accessSync, constants, mkdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { basename, dirname, join, resolve } from "node:path";
import { ACTIONS } from "./actions/index.js";
import type { ActionDef, Deps } from "./api/action.js";
import { RateLimiter } from "./api/rate-limit.js";
import { Registry } from "./api/registry.js";
import { DEFAULT_IMAGES, IMPORTABLE_OS } from "./catalog/images.js";
import { DEFAULT_HOST_TYPES } from "./catalog/host-types.js";
import { defaultCatalogData } from "./catalog/index.js";
import type { ComputeBackend } from "./compute/backend.js";
import { SimulatedBackend } from "./compute/simulated.js";
import { QemuBackend } from "./compute/qemu/backend.js";
import { readImageDir, type ImageFiles } from "./compute/qemu/image-dir.js";
import { probeKvm } from "./compute/qemu/processes.js";
import { ConfigError, type Config } from "./config.js";
import { CatalogRater } from "./billing/rating.js";
import { CLOCK_OFFSET, Timekeeper } from "./billing/timekeeper.js";
import { Clock } from "./domain/clock.js";
import { Engine } from "./engine/runner.js";
import { ensureDefaultAccount, type DefaultAccount } from "./default-account.js";
import { ensureAdminToken, type AdminToken } from "./admin-token.js";
import type { ImportPolicy } from "./compute/image-source.js";
import { lockDataDir, tightenDataDir, type DataDirLock } from "./data-dir.js";
import { Catalog, type CatalogData, type ImageEntry } from "./domain/catalog.js";
import { CatalogError, parseCatalogJson } from "./domain/catalog-file.js";
import { EventFile, readEvents, type StoredEvent } from "./event-file.js";
import { CredentialCache } from "./http/credentials.js";
import { Metrics } from "./http/metrics.js";
import { createApiServer } from "./http/server.js";
import { VncConsoles } from "./http/vnc-proxy.js";
import { LiveStates } from "./http/console/live-states.js";
import { Sessions } from "./http/console/sessions.js";
import { defaultConsoleDir } from "./http/console/static-files.js";
import { createLogger, type LogEvent, type Logger } from "./log.js";
import { DB_FILE } from "./store/dialect.js";
import { openStore, storeKeyFile } from "./store/sql.js";
import type { StoreRows, Store } from "./store/store.js";

export interface Running {
  url: string;
  port: number;
  store: Store;
  engine: Engine;
  backend: ComputeBackend;
  timekeeper: Timekeeper;
  clock: Clock;
  defaultAccount: DefaultAccount;
  /** What the admin paths ask for, and where it is kept when it was generated. */
  adminToken: AdminToken;
  log: Logger;
  metrics: Metrics;
  /** Replaces the whole store (a reset or a snapshot) while serving: work in progress is dropped, the clock follows. */
  replaceState(rows: StoreRows): Promise<void>;
  /** Stops taking requests, lets the operations in flight finish for up to `drainMs` (the rest stay queued for the next start), leaves machines running. */
  close(drainMs?: number): Promise<void>;
}

/** How long a graceful stop waits for operations in flight by default. */
const DRAIN_MS = 10_000;
/** Events kept in memory when there is no data directory to keep them in. */
const EVENTS_IN_MEMORY = 1000;

export interface StartOptions {
  log?: Logger;
  /** Replaces the implemented actions (tests use it to observe what reaches a handler). */
  actions?: readonly ActionDef[];
  /** Checks every answer against the spec's output object (the test suite turns it on). */
  checkOutputs?: boolean;
  /** Replaces the simulated compute backend built from the configuration. */
  backend?: ComputeBackend;
}

/** What ImportImage may read, by the operator's settings (the server's port is added once it listens). */
export function importPolicyOf(config: Config): ImportPolicy {
  return { allow: config.importAllow, dir: config.importDir, maxBytes: config.importMaxSize, timeoutMs: config.importTimeout * 1000 };
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
  const log = options.log ?? createLogger(config.logLevel, undefined, config.logFormat);
  // The catalog is checked before anything is opened: a bad file stops the start with every problem named.
  const catalog = catalogOf(config);
  const qemu = config.compute === "qemu";
  const onDisk = config.data !== ":memory:";
  // A SQLite data directory is locked before the store is opened: a second server touches nothing of the first's.
  // Nodes on one PostgreSQL database share theirs (the store key, the admin token) by design.
  let lock: DataDirLock | undefined;
  if (onDisk) {
    prepareDataDir(config.data);
    tightenDataDir(config.data, log);
    if (!config.databaseUrl) lock = lockDataDir(config.data);
  }
  const clock = new Clock();
  const store = await openStore(config.databaseUrl ?? config.data, clock, new CatalogRater(catalog), false, storeKeyFile(config.data, config.storeKeyFile)).catch((e: unknown) => {
    lock?.release();
    throw new ConfigError(`cannot open the database ${config.databaseUrl ? "of OPENCVM_DATABASE_URL" : onDisk ? join(config.data, DB_FILE) : ":memory:"}: ${(e as Error).message}`);
  });
  const events = onDisk ? new EventFile(config.data) : undefined;
  const recent: LogEvent[] = [];
  // A logger outlives the server it is given to (tests start several with one): the listener goes with the file.
  const unlisten = log.listen((e) => {
    if (events) events.append(e);
    else if (recent.push(e) > EVENTS_IN_MEMORY) recent.shift();
  });
  // The clock as it was left, before anything is written.
  clock.adopt(Number((await store.billing.state(CLOCK_OFFSET)) ?? 0));
  const imports = importPolicyOf(config);
  const backend: ComputeBackend = options.backend ?? (qemu ? await qemuBackend(config, imports) : new SimulatedBackend(config.timing, config.faults, imports));
  const engine = new Engine(store, backend, log, config.nodeId);
  try {
    const defaultAccount = await ensureDefaultAccount(store, config);
    const adminToken = ensureAdminToken(config);
    await engine.start();
    // Every backend's machines have screens (a simulated one draws its own): the tickets, websockets and page.
    const consoles = new VncConsoles(store, backend, log);
    const deps: Deps = { config, store, catalog, log, engine, clock, imports, consoles };
    const timekeeper = new Timekeeper({ ...deps, engine });
    await timekeeper.start();
    const metrics = new Metrics(store, backend, log, timekeeper);
    const credentials = new CredentialCache(store);
    await credentials.watch();
    const live = new LiveStates(store, log, engine);
    let stopping = false;
    const replaceState = async (rows: StoreRows) => {
      await timekeeper.close();
      await engine.pause();
      await store.operator.replace(rows);
      clock.reset(Number(rows.tables.service_state?.find((r) => r.key === CLOCK_OFFSET)?.value ?? 0));
      credentials.clear();
      await ensureDefaultAccount(store, config);
      // Machines of instances the new state does not have are not anyone's any more.
      const kept = new Set((await store.instances.getMany([...(await backend.list()).keys()])).map((i) => i.instanceId));
      for (const id of (await backend.list()).keys()) if (!kept.has(id)) await backend.destroy(id).catch(() => undefined);
      await engine.start();
      await timekeeper.start();
      log.event("service", "the state was replaced", { instances: rows.tables.instances?.length ?? 0, clock: clock.now().toISOString() });
    };
    const core = {
      deps,
      registry: new Registry(options.actions ?? ACTIONS, options.checkOutputs),
      limiter: new RateLimiter(config.rateLimit, undefined, store.shared ? store.rateBuckets : undefined),
      metrics,
      instant: config.timing === "instant" && store.shared ? engine : undefined,
    };
    const server = createApiServer({
      ...core,
      credentials,
      consoles,
      console: {
        ...core,
        credentials,
        live,
        sessions: new Sessions(store.consoleSessions, config.consoleSession * 1000),
        dir: config.consoleDir ?? defaultConsoleDir(),
        machines: backend instanceof QemuBackend ? backend : undefined,
      },
      admin: {
        deps,
        credentials,
        timekeeper,
        metrics,
        token: adminToken.token,
        replaceState,
        events: (limit, kind) => (onDisk ? readEvents(config.data, limit, kind) : recent.filter((e) => !kind || e.kind === kind).slice(-limit).map(stored)),
        ready: async () => !stopping && (await store.billing.state(CLOCK_OFFSET).then(() => true, () => false)),
        machines: backend instanceof QemuBackend ? backend : undefined,
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (e: NodeJS.ErrnoException) => reject(listenError(e, config)));
      server.listen(config.port, config.host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    lock?.setPort(port);
    imports.servePort = port;
    consoles.base = `ws://${reachableHost(config.host)}:${port}`;
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;
    log.event("service", `OpenCVM started on ${url}`, { url, data: config.data, timing: config.timing });
    return {
      url,
      port,
      store,
      engine,
      backend,
      timekeeper,
      clock,
      defaultAccount,
      adminToken,
      log,
      metrics,
      replaceState,
      async close(drainMs = DRAIN_MS) {
        stopping = true;
        log.event("service", "OpenCVM stopping: no new requests; operations in flight finish", { running: engine.running });
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        consoles.close();
        live.close();
        credentials.close();
        server.closeIdleConnections();
        const finished = await engine.drain(drainMs);
        // Requests still open after the drain (a client holding a connection) are cut.
        const cut = setTimeout(() => server.closeAllConnections(), 1000);
        await closed;
        clearTimeout(cut);
        await timekeeper.close();
        await engine.close();
        const pending = await store.operations.pendingCount();
        log.event("service", "OpenCVM stopped", { operationsFinished: finished, operationsQueuedForNextStart: pending });
        await store.close();
        unlisten();
        events?.close();
        lock?.release();
      },
    };
  } catch (e) {
    await engine.close();
    await store.close();
    unlisten();
    events?.close();
    lock?.release();
    throw e;
  }
}

function stored(e: LogEvent): StoredEvent {
  return { ts: e.ts, kind: e.kind, msg: e.msg, ...e.fields };
}

/** One line for what stops the server from listening, instead of a stack. */
function listenError(e: NodeJS.ErrnoException, config: Config): Error {
  const where = `${config.host}:${config.port}`;
  if (e.code === "EADDRINUSE") return new ConfigError(`port ${config.port} on ${config.host} is already in use (another OpenCVM?): choose another with --port or OPENCVM_PORT`);
  if (e.code === "EACCES") return new ConfigError(`not allowed to listen on ${where} (ports below 1024 need privileges): choose another with --port or OPENCVM_PORT`);
  if (e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND") return new ConfigError(`cannot listen on ${config.host}: not an address of this machine (OPENCVM_HOST)`);
  return new ConfigError(`cannot listen on ${where}: ${e.message}`);
}

/** How a client on this host names the listening address: a wildcard one is reached on loopback. */
export function reachableHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

/** Pseudo-filesystems whose files are not files: SQLite there fails or waits forever. */
const NOT_STORAGE = ["/proc", "/sys", "/dev"];

/** Makes sure the data directory is a directory this process can write, creating it if need be, in one line if not. */
export function prepareDataDir(data: string): void {
  const abs = resolve(data);
  let existing = abs;
  while (!exists(existing)) existing = dirname(existing);
  const real = realpathSync(existing);
  if (NOT_STORAGE.some((p) => real === p || real.startsWith(`${p}/`))) throw new ConfigError(`the data directory ${data} is under ${real.split("/").slice(0, 2).join("/")}, which cannot hold files: choose another with --data or OPENCVM_DATA`);
  try {
    if (existing === abs && !statSync(abs).isDirectory()) throw new ConfigError(`the data directory ${data} is a file, not a directory: choose another with --data or OPENCVM_DATA`);
    mkdirSync(abs, { recursive: true, mode: 0o700 });
    accessSync(abs, constants.W_OK | constants.X_OK);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`the data directory ${data} cannot be ${existing === abs ? "written to" : "created"} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): choose another with --data or OPENCVM_DATA`);
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** What is sold: the catalog file's or the built-in one, with the public images and the OSes imports may name. */
export function catalogOf(config: Pick<Config, "catalog" | "compute" | "images">): Catalog {
  const data = loadCatalog(config.catalog);
  // The qemu backend's own images join the catalog's public images.
  if (config.compute === "qemu") data.images = [...(data.images ?? DEFAULT_IMAGES), ...bootableImages(config.images)];
  return new Catalog(data, { images: DEFAULT_IMAGES, importableOs: IMPORTABLE_OS, hostTypes: DEFAULT_HOST_TYPES });
}

async function qemuBackend(config: Config, imports: ImportPolicy): Promise<QemuBackend> {
  return new QemuBackend({
    vmsDir: join(config.data, "vms"),
    disksDir: join(config.data, "disks"),
    snapshotsDir: join(config.data, "snapshots"),
    imagesDir: config.images,
    accel: config.qemuAccel === "auto" ? await probeKvm() : config.qemuAccel,
    softStopMs: config.softStopTimeout * 1000,
    metadataDir: join(config.data, "metadata"),
    imports,
  });
}

/** The images directory's own images, offered as public images beside the built-in ones (captured and imported ones are custom). */
function bootableImages(dir: string): ImageEntry[] {
  return readImageDir(dir)
    .filter((i) => !i.meta.capturedFrom && !i.meta.importedFrom)
    .map((i: ImageFiles): ImageEntry => ({
      imageId: i.imageId,
      osName: i.meta.osName,
      platform: i.meta.platform ?? "Debian",
      family: "LINUX",
      loginUser: i.meta.loginUser ?? "root",
      imageFamily: i.meta.imageFamily ?? basename(i.dir),
      architecture: "x86_64",
      imageSize: i.meta.imageSize ?? 1,
      createdTime: imageTime(i.dir),
    }));
}

/** When the image was put in place: its image.json's time. */
function imageTime(dir: string): string {
  return statSync(join(dir, "image.json")).mtime.toISOString().replace(/\.\d{3}Z$/, "Z");
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
