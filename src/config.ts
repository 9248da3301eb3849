// The one place configuration is read: a command-line flag, else an environment variable, else the config file
// (OPENCVM_CONFIG / --config, JSON with the settings' names as keys), else the documented default. Everything else
// receives a Config.
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { cpus, hostname, totalmem } from "node:os";
import { join } from "node:path";
import type { Faults, FaultPoint, Timing } from "./compute/simulated.js";
import type { Language } from "./domain/errors.js";
import { durationSeconds } from "./domain/duration.js";
import { isCidr } from "./domain/ipv4.js";

export interface Config {
  host: string;
  port: number;
  /** The data directory, or ":memory:" to keep nothing on disk. */
  data: string;
  /** A PostgreSQL database (`postgres://…`) holding the cloud instead of the data directory's SQLite file. */
  databaseUrl?: string;
  /** This server node's name among those sharing a database: the host recorded for the machines it runs. */
  nodeId: string;
  /** The directory whose subdirectories are the buckets ExportImages writes to; none: there are no buckets. */
  buckets?: string;
  /** The default account's key pair, when given explicitly. */
  secretId?: string;
  secretKey?: string;
  /** Language of messages and display names when a request names none. */
  language: Language;
  /** Requests per second per account and action: "default" (the real cloud's figures), "off", or one number for all. */
  rateLimit: "default" | "off" | number;
  logLevel: LogLevel;
  /** How log lines are written: logfmt for a person, or JSON lines for a collector. */
  logFormat: LogFormat;
  /** The config file the other settings were read from, if any. */
  config?: string;
  /** How long the simulated backend's transitions take. */
  timing: Timing;
  /** Failure rates injected into the simulated backend's transitions. */
  faults: Faults;
  /** SSH key pairs an account may hold per region. */
  keyPairQuota: number;
  /** The CIDR public addresses (of instances and EIPs) are taken from. */
  publicIpPool: string;
  /** A catalog file (regions, instance types, disks, bandwidth, prices) replacing the built-in one. */
  catalog?: string;
  /** The cash a new account starts with, in the catalog's currency. */
  balance: number;
  /** Seconds (service clock) finished operations, ClientTokens and done action timers of gone instances are kept. */
  retention: number;
  /** The token every admin path (/_opencvm/...) asks for; unset: generated at first start into the data directory. */
  adminToken?: string;
  /** Host names the admin paths answer to besides the server's own addresses (a name a proxy forwards, say). */
  adminHosts: string[];
  /** Hosts and CIDR ranges ImportImage may fetch from although they are loopback, private or link-local. */
  importAllow: string[];
  /** The directory ImportImage may read local paths in; unset: no local paths. */
  importDir?: string;
  /** The largest disk image ImportImage fetches, in bytes. */
  importMaxSize: number;
  /** How long one ImportImage fetch may take, in seconds. */
  importTimeout: number;
  /** The file holding the key SecretKeys are encrypted with in the store; unset: `store-key` in the data directory. */
  storeKeyFile?: string;
  /** What runs instances: simulated machines, or QEMU virtual machines. */
  compute: "simulated" | "qemu";
  /** The qemu backend's images directory. */
  images: string;
  /** The qemu backend's accelerator: probe KVM and fall back to TCG, or one of them. */
  qemuAccel: "auto" | "kvm" | "tcg";
  /** Seconds a guest has to power off when asked, before a SOFT stop fails (SOFT_FIRST then cuts the power). */
  softStopTimeout: number;
  /** The host's CPUs and memory (GiB) that qemu instances may take, before overcommit. */
  hostCpus: number;
  hostMemory: number;
  /** How many times the host's CPUs and memory may be sold. */
  cpuOvercommit: number;
  memoryOvercommit: number;
  /** How long a web console session lasts after sign-in, in seconds. */
  consoleSession: number;
  /** The built web console's files; unset: the package's own `dist/console`. */
  consoleDir?: string;
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
export type LogFormat = "text" | "json";

export class ConfigError extends Error {}

interface Setting {
  env: string;
  flag: string;
  default?: string;
  doc: string;
}

/** Every setting, in the order the README documents them. */
export const SETTINGS = {
  host: { env: "OPENCVM_HOST", flag: "--host", default: "127.0.0.1", doc: "Address to listen on. A non-loopback address needs explicit credentials." },
  port: { env: "OPENCVM_PORT", flag: "--port", default: "4577", doc: "TCP port (0 picks a free one)." },
  data: { env: "OPENCVM_DATA", flag: "--data", default: "./opencvm-data", doc: "Data directory (SQLite file, generated credentials); `:memory:` keeps nothing." },
  databaseUrl: { env: "OPENCVM_DATABASE_URL", flag: "--database-url", default: "", doc: "A PostgreSQL database (`postgres://user:password@host:5432/db`) to keep the cloud in instead of SQLite; several server nodes may share it (docs/operations.md)." },
  nodeId: { env: "OPENCVM_NODE_ID", flag: "--node-id", default: "", doc: "This server node's name, unique among the nodes sharing one database: the host recorded for the machines it runs. Unset: the machine's host name." },
  buckets: { env: "OPENCVM_BUCKETS", flag: "--buckets", default: "", doc: "Directory whose subdirectories are the buckets ExportImages writes to; unset: `buckets` in the data directory (none with `:memory:`)." },
  secretId: { env: "OPENCVM_SECRET_ID", flag: "--secret-id", doc: "SecretId of the default account. Generated on first start when unset." },
  secretKey: { env: "OPENCVM_SECRET_KEY", flag: "--secret-key", doc: "SecretKey of the default account. Required with OPENCVM_SECRET_ID. Prefer OPENCVM_SECRET_KEY_FILE: a flag shows in `ps`." },
  secretKeyFile: { env: "OPENCVM_SECRET_KEY_FILE", flag: "--secret-key-file", default: "", doc: "A file holding the default account's SecretKey (instead of OPENCVM_SECRET_KEY)." },
  language: { env: "OPENCVM_LANGUAGE", flag: "--language", default: "zh-CN", doc: "Default language (`zh-CN` or `en-US`) when a request sends no X-TC-Language / Language." },
  rateLimit: { env: "OPENCVM_RATE_LIMIT", flag: "--rate-limit", default: "default", doc: "Per-account requests per second of each action of each service: `default` (the real cloud's limits, see the README), `off`, or a number for every action." },
  logLevel: { env: "OPENCVM_LOG_LEVEL", flag: "--log-level", default: "info", doc: "`debug`, `info` (one line per request), `warn`, `error` or `silent`." },
  logFormat: { env: "OPENCVM_LOG_FORMAT", flag: "--log-format", default: "text", doc: "`text` (logfmt lines, for a person) or `json` (one JSON object a line)." },
  config: { env: "OPENCVM_CONFIG", flag: "--config", default: "", doc: "A JSON file of settings by name (`{\"port\": 4577, \"data\": \"/var/lib/opencvm\", \"logLevel\": \"info\"}`: the flags' names in camelCase); flags and environment variables win over it." },
  timing: { env: "OPENCVM_TIMING", flag: "--timing", default: "fast", doc: "How long simulated transitions take: `instant`, `fast` (0.5-3 s) or `realistic` (the real cloud's seconds)." },
  publicIpPool: { env: "OPENCVM_PUBLIC_IP_POOL", flag: "--public-ip-pool", default: "198.18.0.0/15", doc: "The CIDR public addresses of instances and EIPs come from. The default is reserved for testing and never routed." },
  faults: { env: "OPENCVM_FAULTS", flag: "--faults", default: "", doc: "Failure rates injected into simulated transitions, e.g. `launch=0.1,start=0.05` (points: launch, start, stop, shutdown, reboot, terminate, modify; shutdown fails only a normal shutdown)." },
  keyPairQuota: { env: "OPENCVM_KEY_PAIR_QUOTA", flag: "--key-pair-quota", default: "100", doc: "SSH key pairs an account may hold per region." },
  catalog: { env: "OPENCVM_CATALOG", flag: "--catalog", default: "", doc: "A JSON catalog file (regions, zones, instance types, disks, bandwidth, prices; docs/catalog.md) replacing the built-in catalog, checked at start-up." },
  balance: { env: "OPENCVM_BALANCE", flag: "--balance", default: "1000000", doc: "Cash each new account starts with, in the catalog's currency (CNY by default); `opencvm accounts balance` sets one account's." },
  retention: { env: "OPENCVM_RETENTION", flag: "--retention", default: "7d", doc: "How long, on the service clock, finished operations, ClientTokens, the VPC's tasks and done action timers of terminated instances are kept (`s`, `m`, `h`, `d`); docs/billing.md says what else is pruned." },
  adminToken: { env: "OPENCVM_ADMIN_TOKEN", flag: "--admin-token", default: "", doc: "Bearer token the admin paths (`/_opencvm/…`, e.g. the clock) ask for. Unset: generated at first start into `admin-token` in the data directory (mode 0600)." },
  adminTokenFile: { env: "OPENCVM_ADMIN_TOKEN_FILE", flag: "--admin-token-file", default: "", doc: "A file holding the admin token (instead of OPENCVM_ADMIN_TOKEN)." },
  adminHosts: { env: "OPENCVM_ADMIN_HOSTS", flag: "--admin-hosts", default: "", doc: "Comma-separated host names the admin paths also answer to (the Host header must otherwise name this server: its listen address, localhost, 127.0.0.1 or [::1])." },
  importAllow: { env: "OPENCVM_IMPORT_ALLOW", flag: "--import-allow", default: "", doc: "Comma-separated host names and CIDR ranges ImportImage may fetch from although they are loopback, private or link-local (e.g. `images.lan,10.1.0.0/16`)." },
  importDir: { env: "OPENCVM_IMPORT_DIR", flag: "--import-dir", default: "", doc: "Directory whose regular files ImportImage may take as local paths; unset: local paths are refused." },
  importMaxSize: { env: "OPENCVM_IMPORT_MAX_SIZE", flag: "--import-max-size", default: "64G", doc: "The largest disk image ImportImage fetches (bytes, or with K, M or G)." },
  importTimeout: { env: "OPENCVM_IMPORT_TIMEOUT", flag: "--import-timeout", default: "3600", doc: "Seconds one ImportImage fetch may take." },
  storeKeyFile: { env: "OPENCVM_STORE_KEY_FILE", flag: "--store-key-file", default: "", doc: "File holding the key SecretKeys are encrypted with in the store; unset: `store-key` in the data directory, generated at first start (mode 0600)." },
  compute: { env: "OPENCVM_COMPUTE", flag: "--compute", default: "simulated", doc: "`simulated` (machines in memory) or `qemu` (every instance a QEMU virtual machine; docs/vm.md)." },
  images: { env: "OPENCVM_IMAGES", flag: "--images", default: "", doc: "The qemu backend's images directory (one subdirectory per image, docs/vm.md); unset: `images` in the data directory." },
  qemuAccel: { env: "OPENCVM_QEMU_ACCEL", flag: "--qemu-accel", default: "auto", doc: "`auto` (KVM when a probe finds it working, else TCG), `kvm` or `tcg`." },
  softStopTimeout: { env: "OPENCVM_SOFT_STOP_TIMEOUT", flag: "--soft-stop-timeout", default: "60", doc: "Seconds a qemu guest has to power off after the ACPI request before a SOFT stop fails (SOFT_FIRST then powers it off)." },
  hostCpus: { env: "OPENCVM_HOST_CPUS", flag: "--host-cpus", default: "", doc: "CPUs of this host qemu instances may use (default: all of them), before overcommit." },
  hostMemory: { env: "OPENCVM_HOST_MEMORY", flag: "--host-memory", default: "", doc: "GiB of memory qemu instances may use (default: the host's total), before overcommit." },
  cpuOvercommit: { env: "OPENCVM_CPU_OVERCOMMIT", flag: "--cpu-overcommit", default: "4", doc: "How many virtual CPUs may be sold per host CPU; a launch beyond fails with ResourceInsufficient.SpecifiedInstanceType." },
  memoryOvercommit: { env: "OPENCVM_MEMORY_OVERCOMMIT", flag: "--memory-overcommit", default: "1", doc: "How many GiB of instance memory may be sold per GiB of host memory." },
  consoleSession: { env: "OPENCVM_CONSOLE_SESSION", flag: "--console-session", default: "12h", doc: "How long a web console sign-in lasts (`s`, `m`, `h`, `d`); the session cookie expires with it." },
  consoleDir: { env: "OPENCVM_CONSOLE_DIR", flag: "--console-dir", default: "", doc: "Directory of the built web console served at `/console/`; unset: the package's own `dist/console` (`npm run build` makes it)." },
} satisfies Record<keyof Config | "secretKeyFile" | "adminTokenFile", Setting>;

export type SettingName = keyof typeof SETTINGS;

/** The configuration from the environment and command-line arguments (`--port 4577`, `--port=4577`). */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): Config {
  return configFrom(env, parseFlags(argv));
}

/** The configuration from the environment and options already parsed, by setting name (flags win). */
export function configFrom(env: NodeJS.ProcessEnv, flags: Partial<Record<SettingName, string>>): Config {
  const configFile = flags.config ?? (env[SETTINGS.config.env] || undefined);
  const file = configFile ? readConfigFile(configFile) : {};
  const raw = (key: SettingName): string | undefined => {
    const s: Setting = SETTINGS[key];
    return flags[key] ?? (env[s.env] || undefined) ?? file[key] ?? s.default;
  };
  const data = raw("data")!;
  const config: Config = {
    host: raw("host")!,
    port: port(raw("port")!),
    data,
    databaseUrl: databaseUrl(raw("databaseUrl")!),
    nodeId: nodeId(raw("nodeId") || hostname()),
    buckets: raw("buckets") || (data === ":memory:" ? undefined : join(data, "buckets")),
    secretId: raw("secretId"),
    secretKey: raw("secretKey") ?? secretFile(raw("secretKeyFile"), "OPENCVM_SECRET_KEY_FILE"),
    language: language(raw("language")!),
    rateLimit: rateLimit(raw("rateLimit")!),
    logLevel: logLevel(raw("logLevel")!),
    logFormat: logFormat(raw("logFormat")!),
    config: configFile,
    timing: timing(raw("timing")!),
    faults: faults(raw("faults")!),
    keyPairQuota: quota(raw("keyPairQuota")!, "OPENCVM_KEY_PAIR_QUOTA"),
    publicIpPool: pool(raw("publicIpPool")!),
    catalog: raw("catalog") || undefined,
    balance: amount(raw("balance")!, "OPENCVM_BALANCE"),
    retention: duration(raw("retention")!, "OPENCVM_RETENTION"),
    adminToken: raw("adminToken") || secretFile(raw("adminTokenFile"), "OPENCVM_ADMIN_TOKEN_FILE"),
    adminHosts: list(raw("adminHosts")!),
    importAllow: allowList(raw("importAllow")!),
    importDir: raw("importDir") || undefined,
    importMaxSize: size(raw("importMaxSize")!, "OPENCVM_IMPORT_MAX_SIZE"),
    importTimeout: quota(raw("importTimeout")!, "OPENCVM_IMPORT_TIMEOUT"),
    storeKeyFile: raw("storeKeyFile") || undefined,
    compute: oneOf(raw("compute")!, "OPENCVM_COMPUTE", ["simulated", "qemu"] as const),
    images: raw("images") || join(data === ":memory:" ? "." : data, "images"),
    qemuAccel: oneOf(raw("qemuAccel")!, "OPENCVM_QEMU_ACCEL", ["auto", "kvm", "tcg"] as const),
    softStopTimeout: positive(raw("softStopTimeout")!, "OPENCVM_SOFT_STOP_TIMEOUT"),
    hostCpus: positive(raw("hostCpus") || String(cpus().length), "OPENCVM_HOST_CPUS"),
    hostMemory: positive(raw("hostMemory") || String(Math.floor(totalmem() / 1024 ** 3)), "OPENCVM_HOST_MEMORY"),
    cpuOvercommit: positive(raw("cpuOvercommit")!, "OPENCVM_CPU_OVERCOMMIT"),
    memoryOvercommit: positive(raw("memoryOvercommit")!, "OPENCVM_MEMORY_OVERCOMMIT"),
    consoleSession: duration(raw("consoleSession")!, "OPENCVM_CONSOLE_SESSION"),
    consoleDir: raw("consoleDir") || undefined,
  };
  if (config.compute === "qemu" && data === ":memory:") {
    throw new ConfigError("OPENCVM_COMPUTE=qemu keeps its virtual machines in the data directory: OPENCVM_DATA cannot be :memory:.");
  }
  if (Boolean(config.secretId) !== Boolean(config.secretKey)) {
    throw new ConfigError("OPENCVM_SECRET_ID and OPENCVM_SECRET_KEY must be given together.");
  }
  return config;
}

/** A config file: one JSON object whose keys are setting names and whose values are strings, numbers or booleans. */
function readConfigFile(path: string): Partial<Record<SettingName, string>> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    const why = e instanceof SyntaxError ? `it is not valid JSON (${e.message})` : (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    throw new ConfigError(`OPENCVM_CONFIG: cannot read ${path}: ${why}.`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ConfigError(`OPENCVM_CONFIG: ${path} must hold one JSON object of settings.`);
  const out: Partial<Record<SettingName, string>> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!(key in SETTINGS) || key === "config") throw new ConfigError(`OPENCVM_CONFIG: ${path} names an unknown setting "${key}"; settings: ${Object.keys(SETTINGS).filter((k) => k !== "config").join(", ")}.`);
    if (!["string", "number", "boolean"].includes(typeof v)) throw new ConfigError(`OPENCVM_CONFIG: ${path}: "${key}" must be a string or a number.`);
    out[key as SettingName] = String(v);
  }
  return out;
}

function parseFlags(argv: readonly string[]): Partial<Record<SettingName, string>> {
  const byFlag = new Map(Object.entries(SETTINGS).map(([name, s]) => [s.flag, name as SettingName]));
  const flags: Partial<Record<SettingName, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const name = byFlag.get(flag);
    if (!name) throw new ConfigError(`Unknown option ${flag}. Options: ${[...byFlag.keys()].join(", ")}.`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`Option ${flag} needs a value.`);
    flags[name] = value;
  }
  return flags;
}

/** A secret read from a file (its first line), so that it never shows in `ps` or the environment. */
function secretFile(path: string | undefined, env: string): string | undefined {
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(`${env}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const secret = text.split(/\r?\n/, 1)[0].trim();
  if (!secret) throw new ConfigError(`${env}: ${path} is empty.`);
  return secret;
}

function list(v: string): string[] {
  return v.split(",").map((x) => x.trim().toLowerCase()).filter((x) => x !== "");
}

function allowList(v: string): string[] {
  const entries = list(v);
  for (const e of entries) {
    const [address, bits, extra] = e.split("/");
    const family = isIP(address);
    const okRange = bits === undefined || (/^\d+$/.test(bits) && family !== 0 && Number(bits) <= (family === 4 ? 32 : 128));
    if (extra !== undefined || !okRange || (family === 0 && !/^[a-z0-9.-]+$/.test(address))) {
      throw new ConfigError(`OPENCVM_IMPORT_ALLOW must list host names and CIDR ranges such as images.lan,10.1.0.0/16, not "${e}".`);
    }
  }
  return entries;
}

const SIZE_UNITS: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

function size(v: string, env: string): number {
  const m = /^(\d+)([kmg]?)$/i.exec(v);
  const n = m ? Number(m[1]) * SIZE_UNITS[m[2].toLowerCase()] : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new ConfigError(`${env} must be a size such as 64G, 512M or a number of bytes, not "${v}".`);
  return n;
}

function nodeId(v: string): string {
  if (!/^[\w.-]{1,64}$/.test(v)) throw new ConfigError(`OPENCVM_NODE_ID must be 1-64 letters, digits, dots, dashes or underscores, not "${v}".`);
  return v;
}

function databaseUrl(v: string): string | undefined {
  if (v === "") return undefined;
  if (!/^postgres(ql)?:\/\/./i.test(v)) throw new ConfigError(`OPENCVM_DATABASE_URL must be a postgres:// URL, not "${v.replace(/:[^:@/]*@/, ":***@")}".`);
  return v;
}

function oneOf<T extends string>(v: string, env: string, values: readonly T[]): T {
  if (!values.includes(v as T)) throw new ConfigError(`${env} must be one of ${values.join(", ")}, not "${v}".`);
  return v as T;
}

function positive(v: string, env: string): number {
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0)) throw new ConfigError(`${env} must be a positive number, not "${v}".`);
  return n;
}

function port(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new ConfigError(`OPENCVM_PORT must be a port number (0-65535), not "${v}".`);
  return n;
}

function quota(v: string, env: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new ConfigError(`${env} must be a whole number, not "${v}".`);
  return Number(v);
}

function amount(v: string, env: string): number {
  if (!/^\d+(\.\d{1,2})?$/.test(v) || !Number.isSafeInteger(Math.round(Number(v) * 1_000_000))) throw new ConfigError(`${env} must be an amount like 1000 or 99.50, not "${v}".`);
  return Number(v);
}

function duration(v: string, env: string): number {
  const s = durationSeconds(v);
  if (s === undefined) throw new ConfigError(`${env} must be a duration like 7d, 36h or 90m, not "${v}".`);
  return s;
}

function language(v: string): Language {
  if (v !== "zh-CN" && v !== "en-US") throw new ConfigError(`OPENCVM_LANGUAGE must be zh-CN or en-US, not "${v}".`);
  return v;
}

function rateLimit(v: string): Config["rateLimit"] {
  if (v === "default" || v === "off") return v;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`OPENCVM_RATE_LIMIT must be default, off or a positive number, not "${v}".`);
  return n;
}

function logLevel(v: string): LogLevel {
  const levels: LogLevel[] = ["debug", "info", "warn", "error", "silent"];
  if (!levels.includes(v as LogLevel)) throw new ConfigError(`OPENCVM_LOG_LEVEL must be one of ${levels.join(", ")}, not "${v}".`);
  return v as LogLevel;
}

function logFormat(v: string): LogFormat {
  if (v !== "text" && v !== "json") throw new ConfigError(`OPENCVM_LOG_FORMAT must be text or json, not "${v}".`);
  return v;
}

function timing(v: string): Timing {
  if (v !== "instant" && v !== "fast" && v !== "realistic") throw new ConfigError(`OPENCVM_TIMING must be instant, fast or realistic, not "${v}".`);
  return v;
}

const FAULT_POINTS: readonly FaultPoint[] = ["launch", "start", "stop", "shutdown", "reboot", "terminate", "modify"];

function faults(v: string): Faults {
  const out: Faults = {};
  for (const part of v.split(",").filter((p) => p.trim() !== "")) {
    const [point, rate] = part.split("=").map((x) => x.trim());
    const n = Number(rate);
    if (!FAULT_POINTS.includes(point as FaultPoint) || rate === undefined || !(n >= 0 && n <= 1)) {
      throw new ConfigError(`OPENCVM_FAULTS must look like launch=0.1,start=0.05 (points: ${FAULT_POINTS.join(", ")}; rates 0-1), not "${v}".`);
    }
    out[point as FaultPoint] = n;
  }
  return out;
}

function pool(v: string): string {
  if (!isCidr(v, 8, 30)) throw new ConfigError(`OPENCVM_PUBLIC_IP_POOL must be an IPv4 network such as 198.18.0.0/15 (mask /8-/30), not "${v}".`);
  return v;
}

/** A key pair a client command signs with, and where it came from. */
export interface ClientCredentials {
  secretId: string;
  secretKey: string;
  from: string;
}

/**
 * The key pair `opencvm call` and `opencvm env` use: the SDKs' own TENCENTCLOUD_SECRET_ID/KEY, else the default
 * account's configured OPENCVM_SECRET_ID/KEY, else the credentials file the server wrote in the data directory.
 */
export function clientCredentials(env: NodeJS.ProcessEnv, config: Config): ClientCredentials {
  if (env.TENCENTCLOUD_SECRET_ID && env.TENCENTCLOUD_SECRET_KEY) return { secretId: env.TENCENTCLOUD_SECRET_ID, secretKey: env.TENCENTCLOUD_SECRET_KEY, from: "TENCENTCLOUD_SECRET_ID/KEY" };
  if (config.secretId && config.secretKey) return { secretId: config.secretId, secretKey: config.secretKey, from: "OPENCVM_SECRET_ID/KEY" };
  const file = credentialsFile(config);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new ConfigError(`no credentials: ${file} does not exist (start the server once to write it, name its data directory with --data, or set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY)`);
  }
  const value = (name: string) => new RegExp(`^\\s*${name}\\s*=\\s*(\\S+)\\s*$`, "m").exec(text)?.[1];
  const secretId = value("secret_id");
  const secretKey = value("secret_key");
  if (!secretId || !secretKey) throw new ConfigError(`${file} has no secret_id and secret_key lines`);
  return { secretId, secretKey, from: file };
}

/** Where the server writes the default account's generated key pair (the SDKs' credentials-file format). */
export function credentialsFile(config: Config): string {
  return join(config.data, "credentials");
}
