// What the admin paths do, apart from how they are reached: the HTTP door (admin.ts) and the command line on a data
// directory (cli/target.ts) both call `adminRoute`, so `opencvm accounts list` says the same through either.
//   GET    clock                         the service clock and how far billing has settled (Billing);
//   POST   clock {"Advance":"90m"}       moves it forward
//   GET    balance?AppId=…               an account's money; POST balance {"AppId":…,"Amount":"100.50"} sets its cash
//   GET    accounts                      every account;      POST accounts  creates one (answers its key pair once)
//   GET    accounts/<AppId>              one, with its keys (SecretIds), quotas, balance and resource count
//   DELETE accounts/<AppId>              removes one that holds nothing (never the default account)
//   POST   accounts/<AppId>/keys         a new key pair; the old ones are disabled
//   POST   accounts/<AppId>/quotas       {"Name":…,"Value":…}
//   POST   accounts/<AppId>/console-password  {"Password":…}: sets the web console's password (kept as a hash)
//   GET    instances?AppId=&State=&Limit=   instances of every account;  GET instances/<InstanceId> one, with its operations
//   POST   instances/<InstanceId>/repair-tasks {"TaskTypeId":101,"AuthType":2,"Detail":…}   raises a maintenance task
//   GET    state                         the whole store as a snapshot;  POST state {snapshot} replaces it with one
//   POST   state/reset                   back to a new store (the default account and its keys stay), clock included
//   GET    chc?AppId=                    CHC hosts;  POST chc {"Zone":…,"SerialNumber":…,…} registers one for an account
//   POST   chc/<ChcId>/prepare           a READY host produced (PREPARED);  DELETE chc/<ChcId> takes one off
//   GET    events?Limit=&Kind=           the event log, oldest first
//   GET    vms/<InstanceId>              a qemu machine: its power, pid, forwarded ports, serial console tail
//   GET    vms/<InstanceId>/serial?Bytes=   the last Bytes (default 64 KiB) of its serial console, kept across boots
import type { Deps } from "../api/action.js";
import { MICRO, toMicro } from "../billing/rating.js";
import type { Timekeeper } from "../billing/timekeeper.js";
import { credentialsFile } from "../config.js";
import { writeCredentialsFile } from "../default-account.js";
import { durationSeconds } from "../domain/duration.js";
import { isoSeconds } from "../domain/dates.js";
import { randomId } from "../domain/ids.js";
import { QUOTA_NAMES, type QuotaName } from "../domain/quotas.js";
import { AUTH_TYPES, TASK_TYPES } from "../domain/repair-tasks.js";
import type { StoredEvent } from "../event-file.js";
import { generateKeyPair } from "../keys.js";
import type { InstanceRecord, StoreRows } from "../store/store.js";
import { AdminError, knownAccount } from "./admin-refusals.js";
import { chcRoute } from "./admin-chc.js";
import { hashPassword, PASSWORD_LENGTH } from "./console/password-hash.js";
import { fromSnapshot, SnapshotError, toSnapshot } from "./snapshot.js";

/** The furthest one call may move the clock: ten years. */
export const MAX_ADVANCE_S = 10 * 366 * 86_400;
const MAX_LIST = 10_000;
/** The most of a serial console one call reads. */
const MAX_SERIAL = 16 * 1024 * 1024;

export interface AdminContext {
  deps: Deps;
  /** Moves the clock; only a running server has one (billing runs there). */
  timekeeper?: Timekeeper;
  /** Puts `rows` in place of the whole store, and whatever the service keeps in memory with it. */
  replaceState(rows: StoreRows): Promise<void>;
  events(limit: number, kind?: string): StoredEvent[];
  /** The machines of a backend that has real ones (qemu). */
  machines?: { view(instanceId: string, serialBytes?: number): Promise<{ serialLog: string } | undefined> };
  /** The server's cache of keys, dropped once a key change here commits (the CLI without a server has none). */
  credentials?: { clear(): void };
}

export { AdminError };

export type Body = () => Promise<Record<string, unknown>>;

export async function adminRoute(a: AdminContext, method: string, path: string, query: URLSearchParams, body: Body): Promise<object> {
  const { clock, store, config, catalog } = a.deps;
  const [resource, id, sub] = path.split("/");
  if (resource === "chc") return chcRoute(a.deps, method, id, sub, query, body);
  // Accounts and instances are named in the path; the other paths are fixed.
  const named = (resource === "accounts" || resource === "instances" || resource === "vms") && id !== undefined;
  const route = `${method} ${named ? [resource, ":id", sub].filter(Boolean).join("/") : path}`;
  switch (route) {
    case "GET clock":
      return { Now: clock.now().toISOString(), OffsetSeconds: Math.round(clock.offset / 1000), ...(a.timekeeper ? { Billing: await billing(a.timekeeper) } : {}) };
    case "POST clock": {
      if (!a.timekeeper) throw new AdminError(409, "moving the clock needs the running server (billing runs there): start it with `opencvm serve`");
      const done = await a.timekeeper.advance(seconds((await body()).Advance) * 1000);
      return { Now: done.now, OffsetSeconds: done.offsetSeconds, HoursSettled: done.hoursSettled, Billing: await billing(a.timekeeper) };
    }
    case "GET balance":
    case "POST balance": {
      const given = method === "POST" ? await body() : { AppId: query.get("AppId") };
      const appId = await account(a, given.AppId);
      if (method === "POST") {
        const amount = String(given.Amount ?? "");
        if (!/^\d+(\.\d{1,2})?$/.test(amount)) throw new AdminError(400, `Amount must be an amount like 100 or 99.50, not "${amount}".`);
        await store.billing.setCash(appId, toMicro(Number(amount)), toMicro(config.balance));
        await a.timekeeper?.runDue();
      }
      return balance(a, appId);
    }
    case "GET accounts":
      return { Accounts: (await store.accounts.list()).map((x) => ({ AppId: x.appId, Uin: x.uin, CreatedAt: x.createdAt, Default: x.isDefault })) };
    case "POST accounts": {
      const key = generateKeyPair();
      const created = await store.accounts.create(key);
      return { AppId: created.appId, Uin: created.uin, SecretId: key.secretId, SecretKey: key.secretKey };
    }
    case "GET accounts/:id": {
      const appId = await account(a, id);
      const found = (await store.accounts.byAppId(appId))!;
      return {
        AppId: appId,
        Uin: found.uin,
        Default: found.isDefault,
        CreatedAt: found.createdAt,
        Keys: (await store.operator.keysOf(appId)).map((k) => ({ SecretId: k.secretId, Enabled: k.enabled, CreatedAt: k.createdAt })),
        Quotas: await store.accounts.quotas(appId),
        Balance: await balance(a, appId),
        Resources: await store.operator.resourceCount(appId),
      };
    }
    case "DELETE accounts/:id": {
      const appId = await account(a, id);
      if ((await store.accounts.byAppId(appId))!.isDefault) throw new AdminError(409, `AppId ${appId} is the default account, which is never deleted.`);
      const held = await store.operator.resourceCount(appId);
      if (held) throw new AdminError(409, `AppId ${appId} still holds ${held} instance(s), image(s), EIP(s), key pair(s), disk(s), snapshot(s) or CHC host(s): release them first.`);
      await store.operator.deleteAccount(appId);
      a.credentials?.clear();
      return { AppId: appId, Deleted: true };
    }
    case "POST accounts/:id/keys": {
      const appId = await account(a, id);
      const old = await store.operator.keysOf(appId);
      const key = generateKeyPair();
      await store.transaction(async (tx) => {
        await tx.accounts.putKey(appId, key);
        for (const k of old) if (k.enabled) await tx.accounts.setKeyEnabled(k.secretId, false);
      });
      a.credentials?.clear();
      // The default account's credentials file must not go on naming a key that no longer works.
      const rewritten = (await store.accounts.byAppId(appId))!.isDefault && config.data !== ":memory:" && !config.secretId;
      if (rewritten) writeCredentialsFile(credentialsFile(config), key);
      return { AppId: appId, SecretId: key.secretId, SecretKey: key.secretKey, Disabled: old.filter((k) => k.enabled).map((k) => k.secretId), ...(rewritten ? { CredentialsFile: credentialsFile(config) } : {}) };
    }
    case "POST accounts/:id/quotas": {
      const appId = await account(a, id);
      const { Name, Value } = await body();
      if (!QUOTA_NAMES.includes(Name as QuotaName)) throw new AdminError(400, `Name must be one of ${QUOTA_NAMES.join(", ")}, not ${JSON.stringify(Name)}.`);
      if (!Number.isSafeInteger(Number(Value)) || Number(Value) < 0 || String(Value).trim() === "") throw new AdminError(400, `Value must be a whole number, not ${JSON.stringify(Value)}.`);
      await store.accounts.setQuota(appId, Name as QuotaName, Number(Value));
      return { AppId: appId, Quotas: await store.accounts.quotas(appId) };
    }
    case "POST accounts/:id/console-password": {
      const appId = await account(a, id);
      const { Password } = await body();
      const { min, max } = PASSWORD_LENGTH;
      if (typeof Password !== "string" || Password.length < min || Password.length > max) throw new AdminError(400, `Password must be a string of ${min} to ${max} characters.`);
      await store.accounts.setConsolePassword(appId, await hashPassword(Password));
      return { AppId: appId, ConsolePassword: "set" };
    }
    case "GET instances": {
      const appId = query.get("AppId");
      const limit = Number(query.get("Limit") ?? 1000);
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST) throw new AdminError(400, `Limit must be a whole number from 1 to ${MAX_LIST}.`);
      const ids = await store.operator.instanceIds({ appId: appId === null ? undefined : await account(a, appId), state: query.get("State") ?? undefined, limit });
      return { Instances: (await store.instances.getMany(ids)).map(summary) };
    }
    case "GET instances/:id": {
      const found = await store.instances.get(id);
      if (!found) throw new AdminError(404, `No instance ${id}.`);
      return { ...summary(found), EnhancedService: found.doc.EnhancedService ?? null, Operations: await store.operator.operationsOf(id) };
    }
    case "POST instances/:id/repair-tasks": {
      const found = await store.instances.get(id);
      if (!found || found.state === "TERMINATED") throw new AdminError(404, `No instance ${id}.`);
      const { TaskTypeId, AuthType = 2, Detail = "" } = await body();
      if (!Object.hasOwn(TASK_TYPES, Number(TaskTypeId))) throw new AdminError(400, `TaskTypeId must be one of ${Object.keys(TASK_TYPES).join(", ")}, not ${JSON.stringify(TaskTypeId)}.`);
      if (!(AUTH_TYPES as readonly number[]).includes(Number(AuthType))) throw new AdminError(400, `AuthType must be one of ${AUTH_TYPES.join(", ")}, not ${JSON.stringify(AuthType)}.`);
      if (typeof Detail !== "string" || Detail.length > 1000) throw new AdminError(400, "Detail must be a text of at most 1000 characters.");
      const task = { taskId: randomId("rep"), appId: found.appId, region: found.region, instanceId: id, taskTypeId: Number(TaskTypeId), authType: Number(AuthType), detail: Detail, createdAt: isoSeconds(clock.now()), authTime: null, authSource: "Waiting_auth" };
      await store.repairTasks.insert(task);
      return { TaskId: task.taskId, InstanceId: id, AppId: found.appId, Region: found.region, TaskTypeId: task.taskTypeId, TaskTypeName: TASK_TYPES[task.taskTypeId], AuthType: task.authType, CreateTime: task.createdAt };
    }
    case "GET state":
      return toSnapshot(await store.operator.dump());
    case "POST state":
    case "POST state/reset": {
      const schema = (await store.operator.dump([])).schema;
      let rows: StoreRows;
      try {
        rows = path === "state/reset" ? await empty(a) : fromSnapshot(await body(), schema);
      } catch (e) {
        if (e instanceof SnapshotError) throw new AdminError(400, `Cannot import: ${e.message}.`);
        throw e;
      }
      const started = performance.now();
      await a.replaceState(rows);
      return { Replaced: true, Now: clock.now().toISOString(), Milliseconds: Math.round(performance.now() - started) };
    }
    case "GET vms/:id":
      return machine(a, id);
    case "GET vms/:id/serial": {
      const bytes = Number(query.get("Bytes") ?? 65536);
      if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_SERIAL) throw new AdminError(400, `Bytes must be a whole number from 1 to ${MAX_SERIAL}.`);
      return { InstanceId: id, SerialLog: (await machine(a, id, bytes)).serialLog };
    }
    case "GET events": {
      const limit = Number(query.get("Limit") ?? 100);
      if (!Number.isSafeInteger(limit) || limit < 1) throw new AdminError(400, "Limit must be a positive whole number.");
      return { Events: a.events(limit, query.get("Kind") ?? undefined) };
    }
  }
  throw new AdminError(404, `No admin path ${method} /_opencvm/${path}.`);
}

/** A machine of the running server's qemu backend, as an operator sees it. */
async function machine(a: AdminContext, id: string, serialBytes?: number): Promise<{ serialLog: string }> {
  if (!a.machines) throw new AdminError(409, "Machines are the running server's, with the qemu backend (opencvm serve --compute qemu).");
  const view = await a.machines.view(id, serialBytes);
  if (!view) throw new AdminError(404, `No machine ${id} on this host.`);
  return view;
}

/** How far settlement has got, for an operator: read-only, in the admin answers' casing. */
async function billing(timekeeper: Timekeeper): Promise<object> {
  const s = await timekeeper.status();
  return {
    SettledUntil: s.settledUntil,
    LagSeconds: s.lagSeconds,
    Failures: s.failures,
    FailingAccounts: s.failing.map((f) => ({ AppId: f.appId, Hour: f.hour, Failures: f.failures, Error: f.error })),
  };
}

/** A new store: nothing but the default account and its keys, the clock at real time. */
async function empty(a: AdminContext): Promise<StoreRows> {
  const rows = await a.deps.store.operator.dump(["accounts", "credentials"]);
  const keep = new Set(rows.tables.accounts.filter((r) => r.is_default === 1).map((r) => r.app_id));
  return { schema: rows.schema, tables: { accounts: rows.tables.accounts.filter((r) => keep.has(r.app_id)), credentials: rows.tables.credentials.filter((r) => keep.has(r.app_id)) } };
}

const account = (a: AdminContext, v: unknown): Promise<number> => knownAccount(a.deps, v);

async function balance(a: AdminContext, appId: number): Promise<object> {
  const b = await a.deps.store.billing.balance(appId, toMicro(a.deps.config.balance));
  const shown = (micro: number) => (micro / MICRO).toFixed(2);
  return { AppId: appId, Currency: a.deps.catalog.currency, Cash: shown(b.cash), Owed: shown(b.owed), Frozen: shown(b.frozen), Available: shown(b.cash - b.owed - b.frozen), ArrearsSince: b.arrearsSince };
}

function summary(i: InstanceRecord): object {
  return {
    InstanceId: i.instanceId,
    AppId: i.appId,
    Region: i.region,
    Zone: i.zone,
    InstanceName: i.instanceName,
    InstanceType: i.instanceType,
    InstanceState: i.state,
    InstanceChargeType: i.chargeType,
    PrivateIpAddress: i.privateIp,
    PublicIpAddress: i.publicIp,
    CreatedTime: i.createdAt,
    LatestOperation: i.latestOperation,
    LatestOperationState: i.latestOperationState,
    LatestOperationRequestId: i.latestOperationRequestId,
    LatestOperationError: i.latestOperationError,
  };
}

function seconds(v: unknown): number {
  const s = durationSeconds(v);
  if (s === undefined || s > MAX_ADVANCE_S) throw new AdminError(400, `Advance must be a positive duration such as "90m", "2h", "30d" or a number of seconds (at most ten years), not ${JSON.stringify(v)}.`);
  return s;
}
