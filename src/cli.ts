#!/usr/bin/env node
// opencvm serve [options]      start the API server (the default command)
// opencvm accounts list        list accounts in the data directory
// opencvm accounts create      add an account with a new key pair and print it
// opencvm accounts balance     show or set an account's cash
// opencvm clock [advance D]    show the running server's clock, or move it forward (its admin path)
// opencvm catalog              print the built-in catalog as JSON, or check the one --catalog names
import { ConfigError, loadConfig, SETTINGS } from "./config.js";
import { QUOTA_NAMES, type QuotaName } from "./domain/quotas.js";
import { generateKeyPair } from "./keys.js";
import { DEFAULT_CATALOG } from "./catalog/index.js";
import { loadCatalog, start } from "./main.js";
import { SERVICES } from "./api/spec.js";
import { Clock } from "./domain/clock.js";
import { openStore } from "./store/sql.js";
import { MICRO, toMicro } from "./billing/rating.js";

const USAGE = `usage: opencvm [serve] [options] | opencvm accounts list|create [--data DIR]
       opencvm accounts quota <AppId> <${QUOTA_NAMES.join("|")}> <value> [--data DIR]
       opencvm accounts balance <AppId> [<amount>] [--data DIR]   show, or set, an account's cash
       opencvm clock [advance <30s|90m|2h|30d>] [--port N]      the running server's clock (loopback admin path)
       opencvm catalog [--catalog FILE]   print the built-in catalog (JSON), or check FILE
options (each also an environment variable):
${Object.values(SETTINGS)
  .map((s) => `  ${s.flag.padEnd(14)} ${s.env.padEnd(20)} ${s.doc}${"default" in s ? ` Default: ${s.default}.` : ""}`)
  .join("\n")}`;

async function serve(args: string[]): Promise<void> {
  const config = loadConfig(process.env, args);
  const running = await start(config);
  const services = SERVICES.map((s) => `${s.service} ${s.version}`).join(", ");
  const { account, secretId, generatedKey, file } = running.defaultAccount;
  const lines = [`OpenCVM listening on ${running.url} (${services})`, `Default account: AppId ${account.appId}, Uin ${account.uin}`];
  if (generatedKey) {
    lines.push(`Generated credentials: SecretId ${secretId}  SecretKey ${generatedKey}`);
    if (file) lines.push(`Saved to ${file} (SDK credentials-file format)`);
  } else if (secretId) {
    lines.push(`SecretId ${secretId} (from configuration)`);
  } else if (file) {
    lines.push(`Credentials in ${file}`);
  }
  process.stdout.write(lines.join("\n") + "\n");
  const stop = () => void running.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

async function accounts(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  // Words before the first option are the subcommand's own (quota <AppId> <name> <value>).
  const firstOption = rest.findIndex((a) => a.startsWith("--"));
  const positional = firstOption < 0 ? rest : rest.slice(0, firstOption);
  const config = loadConfig(process.env, firstOption < 0 ? [] : rest.slice(firstOption));
  const store = await openStore(config.data, new Clock());
  try {
    if (sub === "list") {
      for (const a of await store.accounts.list()) {
        process.stdout.write(`AppId ${a.appId}  Uin ${a.uin}  created ${a.createdAt}${a.isDefault ? "  (default)" : ""}\n`);
      }
    } else if (sub === "quota") {
      const [appId, name, value] = positional;
      if (!appId || !QUOTA_NAMES.includes(name as QuotaName) || !/^\d+$/.test(value ?? "")) throw new ConfigError(USAGE);
      if (!(await store.accounts.byAppId(Number(appId)))) throw new ConfigError(`No account with AppId ${appId}.`);
      await store.accounts.setQuota(Number(appId), name as QuotaName, Number(value));
      process.stdout.write(`AppId ${appId}: ${name} quota ${value}\n`);
    } else if (sub === "balance") {
      const [appId, amount] = positional;
      if (!appId || (amount !== undefined && !/^\d+(\.\d{1,2})?$/.test(amount))) throw new ConfigError(USAGE);
      if (!(await store.accounts.byAppId(Number(appId)))) throw new ConfigError(`No account with AppId ${appId}.`);
      const initial = toMicro(config.balance);
      if (amount !== undefined) await store.billing.setCash(Number(appId), toMicro(Number(amount)), initial);
      const b = await store.billing.balance(Number(appId), initial);
      const shown = (micro: number) => (micro / MICRO).toFixed(2);
      process.stdout.write(`AppId ${appId}: cash ${shown(b.cash)}  owed ${shown(b.owed)}  frozen ${shown(b.frozen)}  available ${shown(b.cash - b.owed - b.frozen)}\n`);
    } else if (sub === "create") {
      const key = generateKeyPair();
      const a = await store.accounts.create(key);
      process.stdout.write(`AppId ${a.appId}  Uin ${a.uin}\nSecretId ${key.secretId}\nSecretKey ${key.secretKey}\n`);
    } else {
      throw new ConfigError(USAGE);
    }
  } finally {
    await store.close();
  }
}

/** Shows or moves the running server's clock through its admin path (loopback, or the admin token). */
async function clock(args: string[]): Promise<void> {
  const [sub, duration, ...rest] = args;
  const options = sub === "advance" ? rest : args;
  const config = loadConfig(process.env, options);
  if (sub !== undefined && !sub.startsWith("--") && (sub !== "advance" || !duration)) throw new ConfigError(USAGE);
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host.includes(":") ? `[${config.host}]` : config.host;
  const res = await fetch(`http://${host}:${config.port}/_opencvm/clock`, {
    method: sub === "advance" ? "POST" : "GET",
    headers: config.adminToken ? { Authorization: `Bearer ${config.adminToken}` } : {},
    ...(sub === "advance" ? { body: JSON.stringify({ Advance: /^\d+$/.test(duration) ? Number(duration) : duration }) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new ConfigError(`the server answered ${res.status}: ${text}`);
  process.stdout.write(text + "\n");
}

/** Prints the built-in catalog, a starting point for one's own; with a catalog file, checks it and sums it up. */
function catalog(args: string[]): void {
  const config = loadConfig(process.env, args);
  if (!config.catalog) {
    process.stdout.write(JSON.stringify(DEFAULT_CATALOG, null, 2) + "\n");
    return;
  }
  const data = loadCatalog(config.catalog);
  const zones = data.regions.reduce((n, r) => n + r.zones.length, 0);
  process.stdout.write(`${config.catalog}: a valid catalog of ${data.regions.length} region(s), ${zones} zone(s), ${data.instanceTypes.length} instance type(s), priced in ${data.currency}\n`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === "accounts") return accounts(args);
  if (command === "catalog") return catalog(args);
  if (command === "clock") return clock(args);
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(USAGE + "\n");
    return;
  }
  return serve(command === "serve" ? args : argv);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`opencvm: ${e instanceof ConfigError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(e instanceof ConfigError ? 2 : 1);
});
