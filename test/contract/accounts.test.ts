// The default account, key pairs kept in the store, and what a fresh start prints and writes.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import * as commonSdk from "tencentcloud-sdk-nodejs-common";
import { loadConfig } from "../../src/config.js";
import { generateKeyPair } from "../../src/keys.js";
import { createLogger } from "../../src/log.js";
import { start, type Running } from "../../src/main.js";
import { cvmClient, sdkError, startServer, type TestServer } from "../helpers/server.js";

const quiet = createLogger("silent");
const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function startIn(data: string, env: Record<string, string> = {}): Promise<Running> {
  const r = await start(loadConfig({ OPENCVM_PORT: "0", OPENCVM_DATA: data, ...env }, []), { log: quiet });
  running.push(r);
  return r;
}

const asTest = (r: Running): TestServer => ({ ...r, endpoint: `127.0.0.1:${r.port}`, logs: [], config: loadConfig({}, []) });

describe("the default account", () => {
  it("is created with generated keys on first start, written in the SDK credentials-file format, and kept", async () => {
    const data = mkdtempSync(join(tmpdir(), "opencvm-"));
    const first = await startIn(data);
    const { generatedKey, secretId, file, account } = first.defaultAccount;
    expect(secretId).toMatch(/^AKID[A-Za-z0-9]{32}$/);
    expect(generatedKey).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(file).toBe(join(data, "credentials"));
    expect(statSync(file!).mode & 0o777).toBe(0o600);

    // The official SDK's profile reader takes the file as ~/.tencentcloud/credentials.
    const home = mkdtempSync(join(tmpdir(), "home-"));
    mkdirSync(join(home, ".tencentcloud"));
    copyFileSync(file!, join(home, ".tencentcloud", "credentials"));
    const savedHome = process.env.HOME;
    process.env.HOME = home;
    try {
      expect(await new commonSdk.ProfileCredential().getCredential()).toMatchObject({ secretId, secretKey: generatedKey });
    } finally {
      process.env.HOME = savedHome;
    }
    expect((await cvmClient(asTest(first), { secretId, secretKey: generatedKey }).DescribeZones()).TotalCount).toBe(6);
    await first.close();
    running.length = 0;

    const second = await startIn(data);
    expect(second.defaultAccount.generatedKey).toBeUndefined();
    expect(second.defaultAccount.account).toEqual(account);
    expect(await second.store.accounts.list()).toHaveLength(1);
    expect((await cvmClient(asTest(second), { secretId, secretKey: generatedKey }).DescribeZones()).TotalCount).toBe(6);
  });

  it("takes its keys from OPENCVM_SECRET_ID / OPENCVM_SECRET_KEY, and a changed key replaces the old one", async () => {
    const data = mkdtempSync(join(tmpdir(), "opencvm-"));
    const key = generateKeyPair();
    const first = await startIn(data, { OPENCVM_SECRET_ID: key.secretId, OPENCVM_SECRET_KEY: key.secretKey });
    expect(first.defaultAccount.generatedKey).toBeUndefined();
    expect((await cvmClient(asTest(first), key).DescribeZones()).TotalCount).toBe(6);
    await first.close();
    running.length = 0;

    const second = await startIn(data, { OPENCVM_SECRET_ID: key.secretId, OPENCVM_SECRET_KEY: "rotated-key" });
    expect(second.defaultAccount.account.appId).toBe(first.defaultAccount.account.appId);
    expect((await sdkError(cvmClient(asTest(second), key).DescribeZones())).code).toBe("AuthFailure.SignatureFailure");
    expect((await cvmClient(asTest(second), { secretId: key.secretId, secretKey: "rotated-key" }).DescribeZones()).TotalCount).toBe(6);
  });

  it("refuses to serve a non-loopback address without configured credentials", async () => {
    await expect(start(loadConfig({ OPENCVM_HOST: "0.0.0.0", OPENCVM_PORT: "0", OPENCVM_DATA: ":memory:" }, []), { log: quiet })).rejects.toThrow(
      /Refusing to listen on 0\.0\.0\.0.*OPENCVM_SECRET_ID/,
    );
    const key = generateKeyPair();
    const r = await startIn(":memory:", { OPENCVM_HOST: "0.0.0.0", OPENCVM_SECRET_ID: key.secretId, OPENCVM_SECRET_KEY: key.secretKey });
    expect((await cvmClient(asTest(r), key).DescribeZones()).TotalCount).toBe(6);
  });
});

describe("accounts", () => {
  it("each have their own AppId, Uin and keys, and every request is logged under its account", async () => {
    const server = await startServer();
    running.push(server);
    const key = generateKeyPair();
    const other = await server.store.accounts.create(key);
    expect(other.appId).toBe(server.defaultAccount.account.appId + 1);
    expect(other.uin).not.toBe(server.defaultAccount.account.uin);
    await cvmClient(server, key).DescribeZones();
    expect(server.logs.at(-1)).toContain(`account=${other.appId} action=DescribeZones`);
    // A second key pair on the same account.
    const extra = generateKeyPair();
    await server.store.accounts.putKey(other.appId, extra);
    await cvmClient(server, extra).DescribeZones();
    expect(server.logs.at(-1)).toContain(`account=${other.appId} action=DescribeZones`);
  });

  it("are managed with `opencvm accounts` on the data directory", async () => {
    const data = mkdtempSync(join(tmpdir(), "opencvm-"));
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli.ts", ...args]);
    const created = await cli("accounts", "create", "--data", data);
    const secretId = /SecretId (\S+)/.exec(created.stdout)![1];
    const secretKey = /SecretKey (\S+)/.exec(created.stdout)![1];
    const listed = await cli("accounts", "list", "--data", data);
    expect(listed.stdout).toMatch(/^AppId +Uin +CreatedAt +Default\n1300000001 +100000000001 /);
    const r = await startIn(data);
    expect((await cvmClient(asTest(r), { secretId, secretKey }).DescribeZones()).TotalCount).toBe(6);
  });
});
