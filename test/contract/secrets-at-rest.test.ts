// What the data directory gives away to someone who can read its files, or the server's log and `ps`: the
// directory is private to its owner, SecretKeys are sealed with a key kept outside the database, and the start-up
// lines name where the secrets are without writing them.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DB_FILE } from "../../src/store/dialect.js";
import { STORE_KEY_FILE } from "../../src/store/secret-box.js";
import { freePort, kill9, spawnServer } from "../helpers/process.js";
import { cvmClient, SECRET_ID, SECRET_KEY, sdkError, startServer } from "../helpers/server.js";

const fresh = () => mkdtempSync(join(tmpdir(), "opencvm-secrets-"));

describe("secrets at rest", () => {
  it("the data directory is created 0700, and one others could read is tightened with a log line", async () => {
    const parent = fresh();
    const data = join(parent, "new");
    const first = await startServer({ OPENCVM_DATA: data });
    await first.close();
    expect(statSync(data).mode & 0o777).toBe(0o700);
    chmodSync(data, 0o755);
    const second = await startServer({ OPENCVM_DATA: data });
    await second.close();
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(second.logs.some((l) => l.includes('msg="data directory tightened to 0700"') && l.includes("was=755"))).toBe(true);
  });

  it("SecretKeys are not in the database files, only sealed with the store key (0600) beside them", async () => {
    const data = fresh();
    const server = await startServer({ OPENCVM_DATA: data });
    try {
      expect((await cvmClient(server).DescribeZones()).TotalCount).toBeGreaterThan(0);
      expect(statSync(join(data, STORE_KEY_FILE)).mode & 0o777).toBe(0o600);
      const files = readdirSync(data).filter((f) => f.startsWith(DB_FILE)).map((f) => readFileSync(join(data, f)).toString("latin1")).join("");
      expect(files).toContain(SECRET_ID);
      expect(files).not.toContain(SECRET_KEY);
    } finally {
      await server.close();
    }
  });

  it("a database from before encryption has its plaintext keys sealed at start-up, and they still sign", async () => {
    const data = fresh();
    await (await startServer({ OPENCVM_DATA: data })).close();
    // As an older OpenCVM left it: the key in plaintext.
    const db = new SQLite(join(data, DB_FILE));
    db.prepare("UPDATE credentials SET secret_key = ? WHERE secret_id = ?").run(SECRET_KEY, SECRET_ID);
    db.close();
    const server = await startServer({ OPENCVM_DATA: data });
    try {
      const stored = new SQLite(join(data, DB_FILE), { readonly: true }).prepare("SELECT secret_key FROM credentials WHERE secret_id = ?").pluck().get(SECRET_ID) as string;
      expect(stored).toMatch(/^aes256gcm:/);
      expect(stored).not.toContain(SECRET_KEY);
      expect((await cvmClient(server).DescribeZones()).TotalCount).toBeGreaterThan(0);
      expect((await sdkError(cvmClient(server, { secretKey: "x".repeat(32) }).DescribeZones())).code).toBe("AuthFailure.SignatureFailure");
    } finally {
      await server.close();
    }
  });

  it("the operator's store key file is used as given, and a store sealed with another key says so", async () => {
    const data = fresh();
    const keyFile = join(fresh(), "key");
    writeFileSync(keyFile, Buffer.alloc(32, 7).toString("base64"), { mode: 0o600 });
    await (await startServer({ OPENCVM_DATA: data, OPENCVM_STORE_KEY_FILE: keyFile })).close();
    expect(readdirSync(data)).not.toContain(STORE_KEY_FILE);
    writeFileSync(keyFile, Buffer.alloc(32, 8).toString("base64"));
    await expect(startServer({ OPENCVM_DATA: data, OPENCVM_STORE_KEY_FILE: keyFile })).rejects.toThrow(/does not open with this store key/);
  });

  it("the start-up lines name the credentials and admin token files, never a secret, and a key comes from a file", { timeout: 60_000 }, async () => {
    const data = fresh();
    const port = await freePort();
    // No SecretId or SecretKey: the server generates them.
    const p = await spawnServer(data, port, { OPENCVM_SECRET_ID: "", OPENCVM_SECRET_KEY: "", OPENCVM_ADMIN_TOKEN: "" });
    try {
      const secretKey = /secret_key = (\S+)/.exec(readFileSync(join(data, "credentials"), "utf8"))![1];
      const token = readFileSync(join(data, "admin-token"), "utf8").trim();
      expect(p.output()).toContain(`its SecretKey in ${join(data, "credentials")}`);
      expect(p.output()).toContain(`Admin token (Authorization: Bearer, for /_opencvm/…) in ${join(data, "admin-token")}`);
      expect(p.output()).not.toContain(secretKey);
      expect(p.output()).not.toContain(token);
    } finally {
      await kill9(p);
    }
    const keyFile = join(fresh(), "secret-key");
    writeFileSync(keyFile, SECRET_KEY + "\n", { mode: 0o600 });
    const q = await spawnServer(fresh(), port, { OPENCVM_SECRET_KEY: "", OPENCVM_SECRET_KEY_FILE: keyFile });
    try {
      expect((await cvmClient(q.target).DescribeZones()).TotalCount).toBeGreaterThan(0);
      expect(q.output()).not.toContain(SECRET_KEY);
    } finally {
      await kill9(q);
    }
  });
});
