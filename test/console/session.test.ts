// The console's door over plain HTTP, as a browser (or an attacker's page) would reach it: sign-in, the cookie's
// flags, the CSRF token, cross-site refusals, sign-out, expiry, the console password set by the CLI, calls running as
// the session's account with the API's own envelope, and each account's live stream carrying only its instances.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "../../src/keys.js";
import { opencvm } from "../helpers/cli.js";
import { consoleFiles } from "../helpers/console-files.js";
import { cvmClient, SECRET_ID, SECRET_KEY, startServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let dir: string;
beforeAll(async () => {
  dir = consoleFiles();
  server = await startServer({ OPENCVM_CONSOLE_DIR: dir });
});
afterAll(() => server?.close());

interface Session {
  cookie: string;
  csrf: string;
  setCookie: string;
}

async function signIn(s: TestServer, body: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${s.url}/console/api/sign-in`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
}

async function session(s: TestServer, body: object = { SecretId: SECRET_ID, SecretKey: SECRET_KEY }): Promise<Session> {
  const res = await signIn(s, body);
  expect(res.status).toBe(200);
  const setCookie = res.headers.get("set-cookie")!;
  return { cookie: setCookie.split(";")[0], csrf: ((await res.json()) as { Csrf: string }).Csrf, setCookie };
}

function consoleCall(s: TestServer, who: Session, body: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${s.url}/console/api/call`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: who.cookie, "X-CSRF-Token": who.csrf, ...headers },
    body: JSON.stringify(body),
  });
}

/** A new account's keys. */
async function anotherAccount(): Promise<{ SecretId: string; SecretKey: string }> {
  const key = generateKeyPair();
  await server.store.accounts.create(key);
  return { SecretId: key.secretId, SecretKey: key.secretKey };
}

const DESCRIBE = { Version: "2017-03-12", Action: "DescribeInstances", Region: "ap-guangzhou", Params: {} };
const LAUNCH = { Placement: { Zone: "ap-guangzhou-3" }, ImageId: "img-487zeit5", InstanceType: "S5.MEDIUM4", LoginSettings: { Password: "Console-Passw0rd" } };

describe("console sign-in", () => {
  it("refuses keys that do not match, without a cookie", async () => {
    const res = await signIn(server, { SecretId: SECRET_ID, SecretKey: "not-the-key" });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(((await res.json()) as { Error: { Code: string } }).Error.Code).toBe("AuthFailure");
    expect((await signIn(server, { SecretId: "AKIDnobody", SecretKey: SECRET_KEY })).status).toBe(401);
    expect((await signIn(server, { Nothing: true })).status).toBe(400);
  });

  it("sets an HttpOnly, SameSite=Strict cookie that expires with the session, Secure when the page came over TLS", async () => {
    const { setCookie } = await session(server);
    expect(setCookie).toMatch(/^opencvm_console=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/console/");
    expect(setCookie).toMatch(/Max-Age=(4319\d|43200)(;|$)/);
    expect(setCookie).not.toContain("Secure");
    const viaTls = await signIn(server, { SecretId: SECRET_ID, SecretKey: SECRET_KEY }, { "X-Forwarded-Proto": "https" });
    expect(viaTls.headers.get("set-cookie")).toContain("; Secure");
  });

  it("answers who is signed in, and 401 without a session", async () => {
    const s = await session(server);
    const me = (await (await fetch(`${server.url}/console/api/session`, { headers: { Cookie: s.cookie } })).json()) as { AppId: number; Csrf: string };
    expect(me.AppId).toBe(server.defaultAccount.account.appId);
    expect(me.Csrf).toBe(s.csrf);
    expect((await fetch(`${server.url}/console/api/session`)).status).toBe(401);
    expect((await fetch(`${server.url}/console/api/session`, { headers: { Cookie: "opencvm_console=forged" } })).status).toBe(401);
  });

  it("signs in with the console password an operator set with the CLI, kept only as a hash", { timeout: 90_000 }, async () => {
    const appId = String(server.defaultAccount.account.appId);
    const short = await opencvm(["accounts", "console-password", appId, "--port", String(server.port)], {}, "short\n");
    expect(short.code).not.toBe(0);
    expect(short.stderr).toMatch(/8 to 128 characters/);
    const set = await opencvm(["accounts", "console-password", appId, "--port", String(server.port)], {}, "a long console passphrase\n");
    expect(set.code).toBe(0);
    expect(set.stdout).toContain("console password set");
    expect(await server.store.accounts.consolePassword(Number(appId))).toMatch(/^scrypt\$16384\$8\$1\$[^$]+\$[^$]+$/);
    expect((await signIn(server, { AppId: appId, Password: "a wrong passphrase" })).status).toBe(401);
    const s = await session(server, { AppId: appId, Password: "a long console passphrase" });
    const answer = (await (await consoleCall(server, s, DESCRIBE)).json()) as { Response: { TotalCount: number } };
    expect(answer.Response.TotalCount).toBeGreaterThanOrEqual(0);
  });
});

describe("console calls", () => {
  it("run the API action as the session's account and answer with the API's envelope, errors with code and RequestId", async () => {
    const s = await session(server);
    const ok = (await (await consoleCall(server, s, DESCRIBE)).json()) as { Response: { RequestId: string; InstanceSet: unknown[] } };
    expect(ok.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Array.isArray(ok.Response.InstanceSet)).toBe(true);
    const bad = (await (await consoleCall(server, s, { ...DESCRIBE, Params: { InstanceIds: ["nonsense"] } })).json()) as { Response: { Error: { Code: string; Message: string }; RequestId: string } };
    expect(bad.Response.Error.Code).toBe("InvalidParameterValue.InstanceIdMalformed");
    expect(bad.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const noRegion = (await (await consoleCall(server, s, { ...DESCRIBE, Region: undefined })).json()) as { Response: { Error: { Code: string } } };
    expect(noRegion.Response.Error.Code).toBe("MissingParameter");
    const unknown = (await (await consoleCall(server, s, { ...DESCRIBE, Action: "MakeCoffee" })).json()) as { Response: { Error: { Code: string } } };
    expect(unknown.Response.Error.Code).toBe("InvalidAction");
  });

  it("see only the session's account: another account's console lists none of the default account's instances", async () => {
    await cvmClient(server).RunInstances(LAUNCH as never);
    const theirs = await session(server, await anotherAccount());
    const mine = await session(server);
    const count = async (who: Session) => ((await (await consoleCall(server, who, DESCRIBE)).json()) as { Response: { TotalCount: number } }).Response.TotalCount;
    expect(await count(mine)).toBeGreaterThan(0);
    expect(await count(theirs)).toBe(0);
  });

  it("refuses a state-changing call without the session's CSRF token", async () => {
    const s = await session(server);
    const without = await consoleCall(server, { ...s, csrf: "" }, DESCRIBE);
    expect(without.status).toBe(403);
    expect(((await without.json()) as { Error: { Code: string } }).Error.Code).toBe("AuthFailure.CsrfToken");
    const wrong = await consoleCall(server, { ...s, csrf: s.csrf.replace(/^./, (c) => (c === "A" ? "B" : "A")) }, DESCRIBE);
    expect(wrong.status).toBe(403);
  });

  it("refuses a cross-site POST carrying the session cookie, and writes nothing", async () => {
    const s = await session(server);
    const before = (await cvmClient(server).DescribeInstances({})).TotalCount;
    const launch = { Version: "2017-03-12", Action: "RunInstances", Region: "ap-guangzhou", Params: LAUNCH };
    const foreign: Record<string, string>[] = [{ Origin: "http://evil.example" }, { "Sec-Fetch-Site": "cross-site" }, { "Sec-Fetch-Site": "same-site" }, { Origin: "null" }];
    for (const headers of foreign) {
      const res = await consoleCall(server, s, launch, headers);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { Error: { Code: string } }).Error.Code).toBe("AuthFailure.CrossSite");
    }
    // What a cross-site form can send: no custom header, a form body.
    const form = await fetch(`${server.url}/console/api/call`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: s.cookie }, body: "Action=RunInstances" });
    expect(form.status).toBe(403);
    // The same call from the console's own origin goes through.
    const same = await consoleCall(server, s, launch, { Origin: server.url, "Sec-Fetch-Site": "same-origin" });
    expect(((await same.json()) as { Response: { InstanceIdSet: string[] } }).Response.InstanceIdSet).toHaveLength(1);
    expect((await cvmClient(server).DescribeInstances({})).TotalCount).toBe(before! + 1);
  });

  it("signs out: the cookie is cleared and the session no longer works", async () => {
    const s = await session(server);
    const out = await fetch(`${server.url}/console/api/sign-out`, { method: "POST", headers: { "Content-Type": "application/json", Cookie: s.cookie, "X-CSRF-Token": s.csrf }, body: "{}" });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/^opencvm_console=; .*Max-Age=0/);
    expect((await consoleCall(server, s, DESCRIBE)).status).toBe(401);
  });

  it("lets a session expire after OPENCVM_CONSOLE_SESSION", async () => {
    const brief = await startServer({ OPENCVM_CONSOLE_DIR: dir, OPENCVM_CONSOLE_SESSION: "1s" });
    try {
      const s = await session(brief);
      expect(s.setCookie).toContain("Max-Age=1");
      expect((await consoleCall(brief, s, DESCRIBE)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1200));
      const late = await consoleCall(brief, s, DESCRIBE);
      expect(late.status).toBe(401);
      expect(((await late.json()) as { Error: { Code: string } }).Error.Code).toBe("AuthFailure.SessionExpired");
    } finally {
      await brief.close();
    }
  });
});

describe("console files and events", () => {
  it("serves the page with a content security policy, and nothing outside its directory", async () => {
    const page = await fetch(`${server.url}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await page.text()).toContain("<title>console</title>");
    expect((await fetch(`${server.url}/console`, { redirect: "manual" })).headers.get("location")).toBe("/console/");
    for (const path of ["/console/..%2Fpackage.json", "/console/.hidden.js", "/console/nothing.js", "/console/api/nothing"]) {
      expect((await fetch(`${server.url}${path}`)).status).toBe(404);
    }
  });

  it("has no serial console for a simulated instance, and none at all for another account's", async () => {
    const [id] = (await cvmClient(server).RunInstances(LAUNCH as never)).InstanceIdSet!;
    const serial = async (who: Session) => {
      const res = await fetch(`${server.url}/console/api/serial/${id}`, { headers: { Cookie: who.cookie } });
      return { status: res.status, code: ((await res.json()) as { Error: { Code: string } }).Error.Code };
    };
    expect(await serial(await session(server))).toEqual({ status: 404, code: "UnsupportedOperation.NoSerialConsole" });
    expect(await serial(await session(server, await anotherAccount()))).toEqual({ status: 404, code: "InvalidInstanceId.NotFound" });
    expect((await fetch(`${server.url}/console/api/serial/${id}`)).status).toBe(401);
  });

  it("streams each account its own instances' state changes only", async () => {
    const theirs = await session(server, await anotherAccount());
    const controller = new AbortController();
    const stream = await fetch(`${server.url}/console/api/events`, { headers: { Cookie: theirs.cookie }, signal: controller.signal });
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    const reader = stream.body!.getReader();
    // The default account launches first, then the other account through its console session.
    const mine = (await cvmClient(server).RunInstances(LAUNCH as never)).InstanceIdSet!;
    const launched = (await (await consoleCall(server, theirs, { Version: "2017-03-12", Action: "RunInstances", Region: "ap-guangzhou", Params: LAUNCH })).json()) as { Response: { InstanceIdSet: string[] } };
    const [id] = launched.Response.InstanceIdSet;
    let text = "";
    while (!text.includes(`"InstanceId":"${id}","InstanceState":"RUNNING"`)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain(`"InstanceId":"${id}","InstanceState":"PENDING"`);
    expect(text).not.toContain(mine[0]);
  });
});
