// The console's sign-in limits and its sessions in the store: failed sign-ins past the documented limit for one
// account or one client address are refused with RequestLimitExceeded and a Retry-After until the window ends, even
// with the right secret; a sign-in that succeeds clears its account's count; the counters' windows; and a session
// kept by the store, not the server, so that it outlives a restart and its table holds no usable token.
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_LIMITS } from "../../src/http/console/sign-in-limit.js";
import { generateKeyPair } from "../../src/keys.js";
import { consoleFiles } from "../helpers/console-files.js";
import { SECRET_ID, SECRET_KEY, startServer, type TestServer } from "../helpers/server.js";

const dir = consoleFiles();
let server: TestServer;
beforeAll(async () => void (server = await startServer({ OPENCVM_CONSOLE_DIR: dir })));
afterAll(() => server?.close());

async function signIn(s: TestServer, body: object): Promise<{ status: number; code?: string; message?: string; retryAfter: string | null; cookie?: string }> {
  const res = await fetch(`${s.url}/console/api/sign-in`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const answer = (await res.json()) as { Error?: { Code: string; Message: string } };
  return { status: res.status, code: answer.Error?.Code, message: answer.Error?.Message, retryAfter: res.headers.get("retry-after"), cookie: res.headers.get("set-cookie")?.split(";")[0] };
}

async function newAccount(): Promise<{ SecretId: string; SecretKey: string; appId: number }> {
  const key = generateKeyPair();
  const account = await server.store.accounts.create(key);
  return { SecretId: key.secretId, SecretKey: key.secretKey, appId: account.appId };
}

/** Forgets every count, as the end of every window would: each test starts with no attempts. */
async function forgetAttempts(): Promise<void> {
  for (const row of (await server.store.operator.dump(["console_sign_in_attempts"])).tables.console_sign_in_attempts) {
    await server.store.signInAttempts.takeBack(String(row.counter), true);
  }
}

describe("console sign-in limits", () => {
  it("refuses an account's sign-ins past its limit, even with the right key, saying until when", async () => {
    await forgetAttempts();
    const victim = await newAccount();
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) expect((await signIn(server, { SecretId: victim.SecretId, SecretKey: "wrong" })).status).toBe(401);
    const refused = await signIn(server, { SecretId: victim.SecretId, SecretKey: victim.SecretKey });
    expect(refused).toMatchObject({ status: 429, code: "RequestLimitExceeded", cookie: undefined });
    expect(refused.message).toMatch(/this account: try again in \d+ s/);
    expect(Number(refused.retryAfter)).toBeGreaterThan(SIGN_IN_LIMITS.windowMs / 1000 - 60);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(SIGN_IN_LIMITS.windowMs / 1000);
    // The same account by its console password is the same account.
    expect((await signIn(server, { AppId: victim.appId, Password: "a long console passphrase" })).status).toBe(429);
    // Another account from the same address is not held back.
    expect((await signIn(server, { SecretId: SECRET_ID, SecretKey: SECRET_KEY })).status).toBe(200);
  });

  it("counts a SecretId that names no account on its own, and clears an account's count when it signs in", async () => {
    await forgetAttempts();
    const nobody = "AKIDnobodyAtAll000000000000000000000";
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) expect((await signIn(server, { SecretId: nobody, SecretKey: "x" })).status).toBe(401);
    expect((await signIn(server, { SecretId: nobody, SecretKey: "x" })).code).toBe("RequestLimitExceeded");
    const person = await newAccount();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < SIGN_IN_LIMITS.perAccount - 1; i++) expect((await signIn(server, { SecretId: person.SecretId, SecretKey: "typo" })).status).toBe(401);
      expect((await signIn(server, { SecretId: person.SecretId, SecretKey: person.SecretKey })).status).toBe(200);
    }
  });

  it("refuses one address's sign-ins past its limit, whichever accounts they try", async () => {
    await forgetAttempts();
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) {
      expect((await signIn(server, { SecretId: `AKIDguess${String(i).padStart(27, "0")}`, SecretKey: "guess" })).status).toBe(401);
    }
    const refused = await signIn(server, { SecretId: SECRET_ID, SecretKey: SECRET_KEY });
    expect(refused).toMatchObject({ status: 429, code: "RequestLimitExceeded" });
    expect(refused.message).toMatch(/this address/);
    await forgetAttempts();
    expect((await signIn(server, { SecretId: SECRET_ID, SecretKey: SECRET_KEY })).status).toBe(200);
  });

  it("starts a counter's window again once it has passed", async () => {
    const repo = server.store.signInAttempts;
    const window = 1000;
    const counter = `address:window-test-${Date.now()}`;
    expect((await repo.count([counter], 10_000, window)).get(counter)).toEqual({ attempts: 1, since: 10_000 });
    expect((await repo.count([counter], 10_500, window)).get(counter)).toEqual({ attempts: 2, since: 10_000 });
    await repo.takeBack(counter, false);
    expect((await repo.count([counter], 10_999, window)).get(counter)).toEqual({ attempts: 2, since: 10_000 });
    expect((await repo.count([counter], 11_000, window)).get(counter)).toEqual({ attempts: 1, since: 11_000 });
  });
});

describe("console sessions in the store", () => {
  it("keeps a session across a restart on the same data directory, by its token's hash only", async () => {
    await forgetAttempts();
    const data = mkdtempSync(join(tmpdir(), "opencvm-console-data-"));
    const env = { OPENCVM_CONSOLE_DIR: dir, OPENCVM_DATA: data };
    const first = await startServer(env);
    let cookie: string;
    try {
      cookie = (await signIn(first, { SecretId: SECRET_ID, SecretKey: SECRET_KEY })).cookie!;
      const rows = (await first.store.operator.dump(["console_sessions"])).tables.console_sessions;
      const token = cookie.split("=")[1];
      expect(rows.map((r) => r.token_hash)).toEqual([createHash("sha256").update(token).digest("hex")]);
      expect(JSON.stringify(rows)).not.toContain(token);
    } finally {
      await first.close();
    }
    const second = await startServer(env);
    try {
      const me = await fetch(`${second.url}/console/api/session`, { headers: { Cookie: cookie } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { AppId: number }).AppId).toBe(second.defaultAccount.account.appId);
      // A cookie that is not a token the server made names no session.
      expect((await fetch(`${second.url}/console/api/session`, { headers: { Cookie: "opencvm_console=' or 1=1 --" } })).status).toBe(401);
    } finally {
      await second.close();
    }
  });
});
