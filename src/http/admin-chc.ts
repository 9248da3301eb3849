// The operator's side of CHC hosts (`opencvm chc`): a physical server is racked for an account, so it is registered
// here rather than bought through the API, with its serial number, device type, zone and hardware. An operator
// also marks a READY host produced (PREPARED: a cloud host may be placed on it), the step the real cloud's staff
// take, and takes a host off (its addresses go back to their subnets).
import type { Deps } from "../api/action.js";
import { isoSeconds } from "../domain/dates.js";
import { randomId } from "../domain/ids.js";
import type { ChcHostRecord } from "../store/store.js";
import { AdminError, knownAccount as account } from "./admin-refusals.js";

const SERIAL = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_TEXT = 64;

export async function chcRoute(deps: Deps, method: string, id: string | undefined, sub: string | undefined, query: URLSearchParams, body: () => Promise<Record<string, unknown>>): Promise<object> {
  const { store } = deps;
  const route = `${method} ${[id === undefined ? undefined : ":id", sub].filter(Boolean).join("/")}`.trim();
  switch (route) {
    case "GET": {
      const given = query.get("AppId");
      return { ChcHosts: (await store.chcHosts.list(given === null ? undefined : await account(deps, given))).map(summary) };
    }
    case "POST":
      return summary(await register(deps, await body()));
    case "POST :id/prepare": {
      const host = await found(deps, id!);
      if (host.state !== "READY") throw new AdminError(409, `${host.chcId} is ${host.state}; only a READY host (both networks configured) is produced.`);
      await store.chcHosts.update(host.chcId, { state: "PREPARED" });
      return summary({ ...host, state: "PREPARED" });
    }
    case "DELETE :id": {
      const host = await found(deps, id!);
      if (host.state === "OPERATING" || host.state === "ONLINE") throw new AdminError(409, `${host.chcId} is ${host.state}: wait for its network change, or take its cloud host off first.`);
      await store.transaction(async (tx) => {
        for (const n of [host.doc.bmc, host.doc.deploy]) if (n) await tx.networks.releasePrivate(n.subnetId, n.ip);
        await tx.chcHosts.remove(host.chcId);
      });
      return { ChcId: host.chcId, Removed: true };
    }
  }
  throw new AdminError(404, `No admin path ${method} /_opencvm/chc${id ? `/${id}` : ""}${sub ? `/${sub}` : ""}.`);
}

async function register(deps: Deps, b: Record<string, unknown>): Promise<ChcHostRecord> {
  const appId = b.AppId === undefined ? (await deps.store.accounts.defaultAccount())?.appId : await account(deps, b.AppId);
  if (appId === undefined) throw new AdminError(404, "There is no default account: give AppId.");
  const zone = String(b.Zone ?? "");
  const region = deps.catalog.regionOf(zone);
  if (!region) throw new AdminError(400, `Zone must be a zone of the catalog, not ${JSON.stringify(b.Zone)}.`);
  const serial = b.SerialNumber;
  if (typeof serial !== "string" || !SERIAL.test(serial)) throw new AdminError(400, `SerialNumber must be 1 to 64 letters, digits, - or _, not ${JSON.stringify(serial)}.`);
  if (await deps.store.chcHosts.bySerialNumber(serial)) throw new AdminError(409, `A host with serial number ${serial} is registered already.`);
  const text = (name: string, fallback?: string): string => {
    const v = b[name] ?? fallback;
    if (typeof v !== "string" || (fallback === undefined && !v.trim()) || v.length > MAX_TEXT) throw new AdminError(400, `${name} must be a text of ${fallback === undefined ? 1 : 0} to ${MAX_TEXT} characters, not ${JSON.stringify(v)}.`);
    return v;
  };
  const count = (name: string): number => {
    const v = Number(b[name]);
    if (!Number.isSafeInteger(v) || v < 1 || v > 65_536) throw new AdminError(400, `${name} must be a whole number from 1 to 65536, not ${JSON.stringify(b[name])}.`);
    return v;
  };
  const tenantType = b.TenantType ?? "HOSTING";
  if (tenantType !== "HOSTING" && tenantType !== "TENANT") throw new AdminError(400, `TenantType must be HOSTING or TENANT, not ${JSON.stringify(tenantType)}.`);
  const host: ChcHostRecord = {
    chcId: randomId("chc"),
    appId,
    region,
    zone,
    serialNumber: serial,
    state: "INIT",
    createdAt: isoSeconds(deps.clock.now()),
    doc: {
      instanceName: text("InstanceName", "未命名"),
      deviceType: text("DeviceType"),
      cpu: count("CPU"),
      memory: count("Memory"),
      disk: text("Disk"),
      gpu: text("Gpu", ""),
      networkCard: text("NetworkCard", ""),
      tenantType,
      bmc: null,
      deploy: null,
      deployExtra: null,
      bmcUser: "",
      bmcPasswordHash: null,
      networkMode: "BUSINESS",
      latestOperation: null,
      latestOperationState: null,
      tags: [],
    },
  };
  await deps.store.chcHosts.insert(host);
  return host;
}

async function found(deps: Deps, id: string): Promise<ChcHostRecord> {
  const host = await deps.store.chcHosts.get(id);
  if (!host) throw new AdminError(404, `No CHC host ${id}.`);
  return host;
}

function summary(h: ChcHostRecord): object {
  return {
    ChcId: h.chcId,
    AppId: h.appId,
    Region: h.region,
    Zone: h.zone,
    SerialNumber: h.serialNumber,
    DeviceType: h.doc.deviceType,
    InstanceName: h.doc.instanceName,
    InstanceState: h.state,
    CPU: h.doc.cpu,
    Memory: h.doc.memory,
    Disk: h.doc.disk,
    BmcIp: h.doc.bmc?.ip ?? null,
    DeployIp: h.doc.deploy?.ip ?? null,
    NetworkMode: h.doc.networkMode,
    CreatedTime: h.createdAt,
  };
}
