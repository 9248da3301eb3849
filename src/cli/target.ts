// Where a command acts: a running server, through its admin paths, or a data directory opened directly
// (`--data DIR`, while no server holds it). Both answer through the same routes (http/admin-routes.ts); a data
// directory that holds no database is refused, never created, unless the command creates something (`accounts
// create` sets up a new data directory).
import { CLOCK_OFFSET } from "../billing/timekeeper.js";
import { ConfigError, type Config } from "../config.js";
import { Clock } from "../domain/clock.js";
import { EventFile, readEvents } from "../event-file.js";
import { AdminError, adminRoute } from "../http/admin-routes.js";
import { createLogger } from "../log.js";
import { readAdminToken } from "../admin-token.js";
import { catalogOf, importPolicyOf, reachableHost } from "../main.js";
import { NoDatabase } from "../store/dialect.js";
import { openStore, storeKeyFile } from "../store/sql.js";
import { ActionFailed } from "./errors.js";

export interface Target {
  /** Calls an admin path (`accounts/1300000001`) with a JSON body for writes; an AdminError becomes ActionFailed. */
  call(method: "GET" | "POST" | "DELETE", path: string, body?: object): Promise<Record<string, unknown>>;
  close(): Promise<void>;
  /** What the command acted on, for messages. */
  readonly where: string;
}

/** The server's base URL from the configuration (a wildcard listening address is reached on loopback). */
export function serverUrl(config: Config): string {
  return `http://${reachableHost(config.host)}:${config.port}`;
}

/** The data directory when `--data` was given on the command line, else the running server. */
export async function openTarget(config: Config, dataGiven: boolean, create = false): Promise<Target> {
  return dataGiven ? local(config, create) : remote(config);
}

function remote(config: Config): Target {
  const base = serverUrl(config);
  // The server's admin token: configured, or read from its data directory.
  const token = readAdminToken(config);
  return {
    where: base,
    async call(method, path, body) {
      let res: Response;
      try {
        res = await fetch(`${base}/_opencvm/${path}`, {
          method,
          headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
      } catch (e) {
        const cause = ((e as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? (e as Error).message;
        throw new ConfigError(`no OpenCVM answers at ${base} (${cause}): start one with \`opencvm serve\`, point at it with --host/--port, or name a data directory with --data`);
      }
      const text = await res.text();
      let answer: Record<string, unknown>;
      try {
        answer = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new ActionFailed(`${base} answered ${res.status} with something other than JSON: is it OpenCVM?`);
      }
      if (!res.ok) throw new ActionFailed(`${String(answer.Error ?? text)} (HTTP ${res.status})`);
      return answer;
    },
    async close() {},
  };
}

async function local(config: Config, create: boolean): Promise<Target> {
  if (config.data === ":memory:") throw new ConfigError("--data :memory: holds nothing to act on: name a data directory, or leave --data out to act on the running server");
  const clock = new Clock();
  const store = await openStore(config.databaseUrl ?? config.data, clock, undefined, !create, storeKeyFile(config.data, config.storeKeyFile)).catch((e: unknown) => {
    if (e instanceof NoDatabase) throw new ConfigError(`${e.message}: is --data the directory \`opencvm serve\` was given?`);
    throw new ConfigError(`cannot open the data in ${config.data}: ${(e as Error).message}`);
  });
  clock.adopt(Number((await store.billing.state(CLOCK_OFFSET)) ?? 0));
  const log = createLogger("silent");
  const events = new EventFile(config.data);
  log.listen((e) => events.append(e));
  const deps = { config, store, catalog: catalogOf(config), log, clock, engine: { kick() {} }, imports: importPolicyOf(config) };
  const context = {
    deps,
    replaceState: (rows: Parameters<typeof store.operator.replace>[0]) => store.operator.replace(rows),
    events: (limit: number, kind?: string) => readEvents(config.data, limit, kind),
  };
  return {
    where: config.data,
    async call(method, path, body) {
      const [route, query] = path.split("?");
      try {
        const answer = (await adminRoute(context, method, route, new URLSearchParams(query ?? ""), async () => ({ ...body }))) as Record<string, unknown>;
        if (method !== "GET") log.event("admin", `${method} /_opencvm/${route} (command line, on ${config.data})`, { method, path: `/_opencvm/${route}` });
        return answer;
      } catch (e) {
        if (e instanceof AdminError) throw new ActionFailed(e.message);
        throw e;
      }
    },
    async close() {
      await store.close();
      events.close();
    },
  };
}
