// Starts a real OpenCVM server in this process on a free loopback port, with an in-memory store (or, in the
// `postgres` vitest project, a fresh PostgreSQL database) and its log lines captured, and builds official SDK
// clients pointed at it.
import { createRequire } from "node:module";
import { Agent as HttpAgent } from "node:http";
import type { LookupFunction } from "node:net";
import * as cvmSdk from "tencentcloud-sdk-nodejs-cvm";
import * as commonSdk from "tencentcloud-sdk-nodejs-common";
import type { ActionDef } from "../../src/api/action.js";
import type { ComputeBackend } from "../../src/compute/backend.js";
import { adminFetch } from "../../src/admin-token.js";
import { ADMIN_PREFIX } from "../../src/http/admin.js";
import { SERVICES } from "../../src/api/spec.js";
import { loadConfig, type Config } from "../../src/config.js";
import { QUOTA_NAMES } from "../../src/domain/quotas.js";
import { createLogger } from "../../src/log.js";
import { start, type Running } from "../../src/main.js";
import { createDatabase, ON_POSTGRES, storeFor } from "./databases.js";

export const SECRET_ID = "AKIDopencvmTESTdefault000000000000000";
export const SECRET_KEY = "opencvmTESTdefaultSecretKey00000";
/** The admin token test servers and the CLI they drive share (a test of the generated one sets it to ""). */
export const ADMIN_TOKEN = "opencvmTESTadminToken00000000000000";

export type SignMethod = "TC3-HMAC-SHA256" | "HmacSHA256" | "HmacSHA1";
export type ReqMethod = "GET" | "POST";
export const COMBINATIONS: [SignMethod, ReqMethod][] = (["TC3-HMAC-SHA256", "HmacSHA256", "HmacSHA1"] as const).flatMap(
  (s) => (["GET", "POST"] as const).map((m): [SignMethod, ReqMethod] => [s, m]),
);

export interface TestServer extends Running {
  endpoint: string;
  logs: string[];
  config: Config;
}

/** `backend` replaces the simulated backend the configuration would build (a test that inspects the machines). */
/**
 * A server whose default account may buy as many instances as the tests need; tests of the purchase quotas pass
 * `{ quotas: "default" }` to keep the real figures.
 */
export async function startServer(
  env: Record<string, string> = {},
  actions?: readonly ActionDef[],
  backend?: ComputeBackend,
  options: { quotas?: "default" | "lifted" } = {},
): Promise<TestServer> {
  const settings: Record<string, string> = { OPENCVM_PORT: "0", OPENCVM_DATA: ":memory:", OPENCVM_SECRET_ID: SECRET_ID, OPENCVM_SECRET_KEY: SECRET_KEY, OPENCVM_RATE_LIMIT: "off", OPENCVM_ADMIN_TOKEN: ADMIN_TOKEN, ...env };
  // On PostgreSQL an in-memory cloud is a database of its own, dropped with the server; a data directory's is kept.
  const fresh = ON_POSTGRES && settings.OPENCVM_DATA === ":memory:" && !settings.OPENCVM_DATABASE_URL ? await createDatabase() : undefined;
  if (ON_POSTGRES && !settings.OPENCVM_DATABASE_URL) settings.OPENCVM_DATABASE_URL = fresh?.url ?? (await storeFor(settings.OPENCVM_DATA));
  const config = loadConfig(settings, []);
  const logs: string[] = [];
  // Every answer of every test is checked against the spec's output object.
  let running: Running;
  try {
    running = await start(config, { log: createLogger("debug", (l) => logs.push(l)), actions, checkOutputs: true, backend });
  } catch (e) {
    await fresh?.drop();
    throw e;
  }
  if (fresh) {
    const close = running.close;
    running = { ...running, close: () => close().then(() => fresh.drop()) };
  }
  if (options.quotas !== "default") {
    for (const quota of QUOTA_NAMES) await running.store.accounts.setQuota(running.defaultAccount.account.appId, quota, 1_000_000);
  }
  return { ...running, endpoint: `127.0.0.1:${running.port}`, logs, config };
}

/**
 * A call to an admin path as the CLI makes it: the token in `Authorization: Bearer`, a JSON body. Only admin paths:
 * any other would reach the API, which answers a request without a signature with an error a test could mistake for
 * the admin path's.
 */
export function admin(server: Pick<TestServer, "url" | "adminToken">, path: string, body?: object): Promise<Response> {
  if (!new URL(path, server.url).pathname.startsWith(ADMIN_PREFIX)) throw new Error(`admin(): ${path} is not an admin path (${ADMIN_PREFIX}...)`);
  return adminFetch(server.url, path, server.adminToken.token, body);
}

export interface ClientOptions {
  signMethod?: SignMethod;
  reqMethod?: ReqMethod;
  secretId?: string;
  secretKey?: string;
  region?: string | null;
  language?: "zh-CN" | "en-US";
  /**
   * A host name to call the server by, as Terraform's `<service>.<domain>` (`cvm.opencvm.test`): the client's
   * connections resolve it to the server's loopback address, as /etc/hosts would.
   */
  host?: string;
}

/** Connections that resolve every name to 127.0.0.1, the test's stand-in for /etc/hosts lines. */
const loopbackAgent = new HttpAgent({
  keepAlive: false,
  lookup: ((_name: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
    else callback(null, "127.0.0.1", 4);
  }) as unknown as LookupFunction,
});

function profile(server: TestServer, o: ClientOptions) {
  const endpoint = o.host ? `${o.host}:${server.port}` : server.endpoint;
  return {
    signMethod: o.signMethod ?? "TC3-HMAC-SHA256",
    httpProfile: { protocol: "http://", endpoint, reqMethod: o.reqMethod ?? "POST", reqTimeout: 10, ...(o.host ? { agent: loopbackAgent } : {}) },
    ...(o.language ? { language: o.language } : {}),
  };
}

function clientConfig(server: TestServer, o: ClientOptions) {
  return {
    credential: { secretId: o.secretId ?? SECRET_ID, secretKey: o.secretKey ?? SECRET_KEY },
    region: o.region === null ? undefined : (o.region ?? "ap-guangzhou"),
    profile: profile(server, o),
  };
}

/** The official typed CVM client. */
export function cvmClient(server: TestServer, o: ClientOptions = {}) {
  return new cvmSdk.cvm.v20170312.Client(clientConfig(server, o));
}

/** The official CommonClient, for services without a typed client here (vpc, billing) or any action by name. */
export function commonClient(server: TestServer, version: string, o: ClientOptions = {}) {
  return new commonSdk.CommonClient(o.host ? `${o.host}:${server.port}` : server.endpoint, version, clientConfig(server, o));
}

/** The error an SDK call ends with: its code and message (the SDK throws TencentCloudSDKHttpException). */
export async function sdkError(call: Promise<unknown>): Promise<{ code: string; message: string; requestId: string }> {
  try {
    await call;
  } catch (e) {
    const err = e as { code: string; message: string; requestId: string };
    return { code: err.code, message: err.message, requestId: err.requestId };
  }
  throw new Error("expected the call to fail");
}

const require = createRequire(import.meta.url);
/** The official SDK's signer, so raw requests are signed independently of the server's own code. */
export const SdkSign: {
  sign3(o: Record<string, unknown>): string;
  sign(secretKey: string, signStr: string, method: string): string;
} = require("tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js").default;

export interface RawOptions {
  method?: string;
  body?: string;
  action?: string;
  version?: string;
  region?: string;
  timestamp?: number;
  secretKey?: string;
  headers?: Record<string, string>;
  authorization?: string;
  /** The credential scope's service; by default the first service of the version (cvm for 2017-03-12). */
  service?: string;
}

/** A TC3-signed request built by hand, for what no SDK sends (a stale timestamp, another method, a huge body). */
export async function rawTc3(server: TestServer, o: RawOptions = {}): Promise<{ status: number; json: any }> {
  const method = o.method ?? "POST";
  const body = o.body ?? (method === "GET" ? undefined : "{}");
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const version = o.version ?? "2017-03-12";
  const service = o.service ?? SERVICES.find((s) => s.version === version)?.service ?? "cvm";
  const url = `http://${server.endpoint}/`;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-TC-Action": o.action ?? "DescribeZones",
    "X-TC-Version": version,
    "X-TC-Region": o.region ?? "ap-guangzhou",
    "X-TC-Timestamp": String(timestamp),
    ...o.headers,
  };
  headers.Authorization =
    o.authorization ??
    SdkSign.sign3({ method, url, payload: body ? Buffer.from(body) : "", timestamp, service, secretId: SECRET_ID, secretKey: o.secretKey ?? SECRET_KEY, headers });
  const res = await fetch(url, { method, headers, body });
  return { status: res.status, json: await res.json() };
}
