import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, hostname, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("configuration", () => {
  it("has documented defaults", () => {
    expect(loadConfig({}, [])).toEqual({
      host: "127.0.0.1",
      port: 4577,
      data: "./opencvm-data",
      databaseUrl: undefined,
      nodeId: hostname(),
      buckets: "opencvm-data/buckets",
      secretId: undefined,
      secretKey: undefined,
      language: "zh-CN",
      rateLimit: "default",
      logLevel: "info",
      logFormat: "text",
      config: undefined,
      timing: "fast",
      faults: {},
      publicIpPool: "198.18.0.0/15",
      keyPairQuota: 100,
      balance: 1000000,
      retention: 7 * 86_400,
      adminToken: undefined,
      adminHosts: [],
      importAllow: [],
      importDir: undefined,
      importMaxSize: 64 * 1024 ** 3,
      importTimeout: 3600,
      storeKeyFile: undefined,
      compute: "simulated",
      images: "opencvm-data/images",
      qemuAccel: "auto",
      softStopTimeout: 60,
      hostCpus: cpus().length,
      hostMemory: Math.floor(totalmem() / 1024 ** 3),
      cpuOvercommit: 4,
      memoryOvercommit: 1,
      consoleSession: 43200,
    });
  });

  it("takes a postgres:// database URL and a node name, and refuses others naming the setting", () => {
    expect(loadConfig({ OPENCVM_DATABASE_URL: "postgres://u:p@db:5432/cvm", OPENCVM_NODE_ID: "node-2" }, [])).toMatchObject({ databaseUrl: "postgres://u:p@db:5432/cvm", nodeId: "node-2" });
    expect(() => loadConfig({}, ["--database-url", "mysql://u:secret@db/cvm"])).toThrow(/OPENCVM_DATABASE_URL must be a postgres:\/\/ URL, not "mysql:\/\/u:\*\*\*@db\/cvm"/);
    expect(() => loadConfig({ OPENCVM_NODE_ID: "a b" }, [])).toThrow(/OPENCVM_NODE_ID/);
  });

  it("selects the qemu backend, which needs a data directory", () => {
    expect(loadConfig({ OPENCVM_DATA: "/var/lib/opencvm" }, ["--compute", "qemu", "--host-cpus", "8"])).toMatchObject({ compute: "qemu", images: "/var/lib/opencvm/images", hostCpus: 8 });
    expect(() => loadConfig({ OPENCVM_DATA: ":memory:", OPENCVM_COMPUTE: "qemu" }, [])).toThrow(/cannot be :memory:/);
    expect(() => loadConfig({ OPENCVM_COMPUTE: "kvm" }, [])).toThrow(/OPENCVM_COMPUTE must be one of simulated, qemu/);
    expect(() => loadConfig({ OPENCVM_CPU_OVERCOMMIT: "0" }, [])).toThrow(/OPENCVM_CPU_OVERCOMMIT must be a positive number/);
  });

  it("reads environment variables, and flags win over them", () => {
    const c = loadConfig({ OPENCVM_PORT: "5000", OPENCVM_DATA: ":memory:", OPENCVM_RATE_LIMIT: "off" }, ["--port", "6000", "--language=en-US"]);
    expect(c).toMatchObject({ port: 6000, data: ":memory:", rateLimit: "off", language: "en-US" });
    expect(loadConfig({ OPENCVM_RATE_LIMIT: "2.5" }, []).rateLimit).toBe(2.5);
    expect(loadConfig({ OPENCVM_FAULTS: "launch=0.1, start=0.05" }, []).faults).toEqual({ launch: 0.1, start: 0.05 });
    expect(loadConfig({ OPENCVM_KEY_PAIR_QUOTA: "3" }, []).keyPairQuota).toBe(3);
    expect(loadConfig({ OPENCVM_RETENTION: "36h" }, []).retention).toBe(36 * 3600);
    expect(loadConfig({ OPENCVM_CATALOG: "/etc/opencvm/catalog.json" }, []).catalog).toBe("/etc/opencvm/catalog.json");
    expect(loadConfig({}, ["--catalog", "./mine.json"]).catalog).toBe("./mine.json");
    expect(loadConfig({}, []).catalog).toBeUndefined();
    expect(loadConfig({ OPENCVM_DATA: "/var/lib/opencvm" }, []).buckets).toBe("/var/lib/opencvm/buckets");
    expect(loadConfig({ OPENCVM_DATA: ":memory:" }, []).buckets).toBeUndefined();
    expect(loadConfig({ OPENCVM_DATA: ":memory:" }, ["--buckets", "/srv/buckets"]).buckets).toBe("/srv/buckets");
    expect(loadConfig({ OPENCVM_IMPORT_ALLOW: "Images.lan, 10.1.0.0/16,::1/128" }, ["--import-max-size", "512M"])).toMatchObject({ importAllow: ["images.lan", "10.1.0.0/16", "::1/128"], importMaxSize: 512 * 1024 ** 2 });
  });

  it("reads secrets from files, so that they show neither in `ps` nor in the environment", () => {
    const dir = mkdtempSync(join(tmpdir(), "opencvm-config-"));
    writeFileSync(join(dir, "key"), "fromAFileSecretKey000000000000000\nignored\n");
    writeFileSync(join(dir, "token"), "  admin-token-from-file  \n");
    const c = loadConfig({ OPENCVM_SECRET_ID: "AKIDx" }, ["--secret-key-file", join(dir, "key"), "--admin-token-file", join(dir, "token")]);
    expect(c).toMatchObject({ secretKey: "fromAFileSecretKey000000000000000", adminToken: "admin-token-from-file" });
    writeFileSync(join(dir, "empty"), "\n");
    expect(() => loadConfig({}, ["--admin-token-file", join(dir, "empty")])).toThrow(/OPENCVM_ADMIN_TOKEN_FILE: .* is empty/);
  });

  it("reads a config file (OPENCVM_CONFIG or --config) beneath environment variables and flags", () => {
    const file = join(mkdtempSync(join(tmpdir(), "opencvm-config-")), "opencvm.json");
    writeFileSync(file, JSON.stringify({ port: 4600, data: "/srv/opencvm", logFormat: "json", rateLimit: "off", balance: 50 }));
    expect(loadConfig({ OPENCVM_CONFIG: file }, [])).toMatchObject({ port: 4600, data: "/srv/opencvm", logFormat: "json", rateLimit: "off", balance: 50, config: file });
    expect(loadConfig({ OPENCVM_PORT: "4700" }, ["--config", file, "--data", ":memory:"])).toMatchObject({ port: 4700, data: ":memory:", logFormat: "json" });
    // Its values go through the same checks as any other source's.
    writeFileSync(file, JSON.stringify({ port: "http" }));
    expect(() => loadConfig({ OPENCVM_CONFIG: file }, [])).toThrow(/OPENCVM_PORT must be a port number/);
    writeFileSync(file, JSON.stringify({ port: 1, colour: "blue" }));
    expect(() => loadConfig({ OPENCVM_CONFIG: file }, [])).toThrow(/names an unknown setting "colour"/);
    expect(() => loadConfig({}, ["--config", join(file, "missing")])).toThrow(ConfigError);
  });

  it.each([
    [{ OPENCVM_LOG_FORMAT: "xml" }, [], /OPENCVM_LOG_FORMAT/],
    [{ OPENCVM_PORT: "http" }, [], /OPENCVM_PORT/],
    [{ OPENCVM_PORT: "70000" }, [], /OPENCVM_PORT/],
    [{ OPENCVM_LANGUAGE: "fr-FR" }, [], /OPENCVM_LANGUAGE/],
    [{ OPENCVM_RATE_LIMIT: "-1" }, [], /OPENCVM_RATE_LIMIT/],
    [{ OPENCVM_LOG_LEVEL: "loud" }, [], /OPENCVM_LOG_LEVEL/],
    [{ OPENCVM_TIMING: "slow" }, [], /OPENCVM_TIMING/],
    [{ OPENCVM_PUBLIC_IP_POOL: "198.18.0.1/15" }, [], /OPENCVM_PUBLIC_IP_POOL/],
    [{ OPENCVM_FAULTS: "launch=2" }, [], /OPENCVM_FAULTS/],
    [{ OPENCVM_FAULTS: "explode=0.1" }, [], /OPENCVM_FAULTS/],
    [{ OPENCVM_KEY_PAIR_QUOTA: "-1" }, [], /OPENCVM_KEY_PAIR_QUOTA/],
    [{ OPENCVM_KEY_PAIR_QUOTA: "many" }, [], /OPENCVM_KEY_PAIR_QUOTA/],
    [{ OPENCVM_RETENTION: "a week" }, [], /OPENCVM_RETENTION/],
    [{ OPENCVM_RETENTION: "0d" }, [], /OPENCVM_RETENTION/],
    [{ OPENCVM_SECRET_ID: "AKIDonly" }, [], /together/],
    [{ OPENCVM_SECRET_KEY_FILE: "/nonexistent/key" }, [], /OPENCVM_SECRET_KEY_FILE: cannot read/],
    [{ OPENCVM_IMPORT_ALLOW: "10.0.0.0/33" }, [], /OPENCVM_IMPORT_ALLOW/],
    [{ OPENCVM_IMPORT_ALLOW: "http://x" }, [], /OPENCVM_IMPORT_ALLOW/],
    [{ OPENCVM_IMPORT_MAX_SIZE: "1T" }, [], /OPENCVM_IMPORT_MAX_SIZE/],
    [{}, ["--nope", "1"], /Unknown option --nope/],
    [{}, ["--port"], /needs a value/],
  ] as const)("refuses %j %j with a clear message", (env, argv, message) => {
    expect(() => loadConfig(env, argv)).toThrow(ConfigError);
    expect(() => loadConfig(env, argv)).toThrow(message);
  });
});
