// The operator's admin paths: the clock and balances, for callers with the admin token only, and refused to what a
// web page could send (a form, a cross-origin script, a DNS-rebinding page). Moving the clock forward does not
// break signing: clients sign with real time.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { skipSaying } from "../helpers/skip.js";
import { ADMIN_TOKEN_FILE } from "../../src/admin-token.js";
import { Clock } from "../../src/domain/clock.js";
import { openStore } from "../../src/store/sql.js";
import { opencvm } from "../helpers/cli.js";
import { admin, cvmClient, startServer, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const TOKEN = "opencvm-admin-test-token-0123456789";
/** An address of this machine that is not loopback, to call from as another host would. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

let server: TestServer;
serverForFile((started) => (server = started), { OPENCVM_HOST: "0.0.0.0", OPENCVM_ADMIN_TOKEN: TOKEN, OPENCVM_TIMING: "instant" });

/** A request exactly as given (node:http lets a test set Host, which fetch does not). */
function raw(o: { method?: string; path: string; headers?: Record<string, string>; body?: string; address?: string }): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: o.address ?? "127.0.0.1", port: server.port, method: o.method ?? "GET", path: o.path, headers: o.headers }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(o.body);
  });
}

const own = () => `127.0.0.1:${server.port}`;
const good = (extra: Record<string, string> = {}) => ({ Host: own(), Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json", ...extra });

describe("admin paths", () => {
  it("answer the clock to a caller with the token and move it forward; signed API calls still work afterwards", async () => {
    const before = await (await admin(server, "/_opencvm/clock")).json();
    const moved = await admin(server, "/_opencvm/clock", { Advance: "30d" });
    expect(moved.status).toBe(200);
    const after = await moved.json();
    // Now is answered to the second.
    expect(Date.parse(after.Now) - Date.parse(before.Now)).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
    // The offset is what takes the clock from real time to the target: the call itself took real time.
    expect(after.OffsetSeconds).toBeGreaterThanOrEqual(30 * 86_400 - 60);
    expect(after.HoursSettled).toBeGreaterThanOrEqual(720);
    const regions = await cvmClient(server).DescribeRegions();
    expect(regions.TotalCount).toBeGreaterThan(0);
    // Who asked and what it did are in the log.
    expect(server.logs.some((l) => l.includes("POST /_opencvm/clock answered 200") && l.includes("remote=127.0.0.1"))).toBe(true);
  });

  it("refuse bad durations, bad bodies, unknown paths and unknown accounts with a plain status", async () => {
    for (const advance of ["-1h", "0", "1y", "abc", 1e12]) {
      expect((await admin(server, "/_opencvm/clock", { Advance: advance })).status).toBe(400);
    }
    expect((await raw({ method: "POST", path: "/_opencvm/clock", headers: good(), body: "[not json" })).status).toBe(400);
    expect((await raw({ method: "POST", path: "/_opencvm/clock", headers: good(), body: "x".repeat(10_000) })).status).toBe(413);
    expect((await admin(server, "/_opencvm/nothing")).status).toBe(404);
    expect((await admin(server, "/_opencvm/balance?AppId=42")).status).toBe(404);
    const appId = server.defaultAccount.account.appId;
    expect((await admin(server, "/_opencvm/balance", { AppId: appId, Amount: "-5" })).status).toBe(400);
  });

  describe("refuse what a web page or a stranger could send, and change nothing", () => {
    const appId = () => server.defaultAccount.account.appId;
    // Every admin path that changes something, with a body that would change it.
    const writes = () => [
      { path: "/_opencvm/clock", json: { Advance: "3650d" }, form: "Advance=3650d" },
      { path: "/_opencvm/balance", json: { AppId: appId(), Amount: "0" }, form: `AppId=${appId()}&Amount=0` },
    ];
    const attacks: [string, (w: ReturnType<typeof writes>[number]) => Parameters<typeof raw>[0], number][] = [
      ["a cross-origin text/plain POST, as a page's fetch sends it", (w) => ({ method: "POST", path: w.path, headers: { Host: "evil.example", Origin: "http://evil.example", "Content-Type": "text/plain" }, body: JSON.stringify(w.json) }), 403],
      ["the same naming this server in its Host", (w) => ({ method: "POST", path: w.path, headers: { Host: own(), Origin: "http://evil.example", "Content-Type": "text/plain" }, body: JSON.stringify(w.json) }), 403],
      ["a form POST", (w) => ({ method: "POST", path: w.path, headers: { Host: own(), "Content-Type": "application/x-www-form-urlencoded" }, body: w.form }), 401],
      ["a text/plain POST from this host, with the token", (w) => ({ method: "POST", path: w.path, headers: good({ "Content-Type": "text/plain" }), body: JSON.stringify(w.json) }), 415],
      ["a DNS-rebinding page's (another Host), with the token", (w) => ({ method: "POST", path: w.path, headers: good({ Host: `evil.example:${server.port}` }), body: JSON.stringify(w.json) }), 403],
      ["this address on another port in the Host", (w) => ({ method: "POST", path: w.path, headers: good({ Host: "127.0.0.1:1" }), body: JSON.stringify(w.json) }), 403],
      ["no token, from loopback", (w) => ({ method: "POST", path: w.path, headers: good({ Authorization: "" }), body: JSON.stringify(w.json) }), 401],
      ["a wrong token", (w) => ({ method: "POST", path: w.path, headers: good({ Authorization: `Bearer ${TOKEN.slice(0, -1)}x` }), body: JSON.stringify(w.json) }), 401],
      ["a longer token", (w) => ({ method: "POST", path: w.path, headers: good({ Authorization: `Bearer ${TOKEN}x` }), body: JSON.stringify(w.json) }), 401],
      ["the token without Bearer", (w) => ({ method: "POST", path: w.path, headers: good({ Authorization: TOKEN }), body: JSON.stringify(w.json) }), 401],
      ["a CORS preflight", (w) => ({ method: "OPTIONS", path: w.path, headers: { Host: own(), Origin: "http://evil.example", "Access-Control-Request-Method": "POST" } }), 405],
    ];
    it.each(attacks)("%s", async (_label, build, status) => {
      for (const w of writes()) {
        const offset = server.clock.offset;
        const cash = (await server.store.billing.balance(appId(), 0)).cash;
        const res = await raw(build(w));
        expect(res.status, w.path).toBe(status);
        expect(Object.keys(res.headers).filter((h) => h.startsWith("access-control-")), w.path).toEqual([]);
        expect(server.clock.offset).toBe(offset);
        expect((await server.store.billing.balance(appId(), 0)).cash).toBe(cash);
      }
      expect(server.logs.some((l) => l.includes('msg="admin refused"') && l.includes("remote="))).toBe(true);
    });
  });

  it("answer another host only with the token, and only when its Host names this server", async (ctx) => {
    if (!external) skipSaying(ctx, "this machine has no non-loopback IPv4 address to call from as another host");
    const remote = (headers: Record<string, string>) => raw({ address: external, path: "/_opencvm/clock", headers: { Host: `${external}:${server.port}`, ...headers } });
    expect((await remote({})).status).toBe(401);
    expect((await remote({ Authorization: `Bearer ${TOKEN.slice(0, -1)}x` })).status).toBe(401);
    const ok = await remote({ Authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toHaveProperty("Now");
  });

  it("generate a token at first start into the data directory (0600) and keep it; or take the operator's from a file", async () => {
    const data = mkdtempSync(join(tmpdir(), "opencvm-token-"));
    const first = await startServer({ OPENCVM_DATA: data, OPENCVM_ADMIN_TOKEN: "" });
    const file = join(data, ADMIN_TOKEN_FILE);
    const token = readFileSync(file, "utf8").trim();
    await first.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(token).toBe(first.adminToken.token);
    expect(token.length).toBeGreaterThanOrEqual(43);
    const second = await startServer({ OPENCVM_DATA: data, OPENCVM_ADMIN_TOKEN: "" });
    try {
      expect(second.adminToken.token).toBe(token);
      expect((await admin(second, "/_opencvm/clock")).status).toBe(200);
      expect((await admin({ url: second.url, adminToken: { token: "guess" } }, "/_opencvm/clock")).status).toBe(401);
    } finally {
      await second.close();
    }
    const given = join(mkdtempSync(join(tmpdir(), "opencvm-token-file-")), "token");
    writeFileSync(given, "from-a-file-0123456789\n", { mode: 0o600 });
    const third = await startServer({ OPENCVM_ADMIN_TOKEN: "", OPENCVM_ADMIN_TOKEN_FILE: given });
    try {
      expect(third.adminToken.token).toBe("from-a-file-0123456789");
      expect((await admin(third, "/_opencvm/clock")).status).toBe(200);
    } finally {
      await third.close();
    }
  });

  it("keep the clock where it was moved across a restart", async () => {
    const data = mkdtempSync(join(tmpdir(), "opencvm-clock-"));
    const first = await startServer({ OPENCVM_DATA: data });
    await first.timekeeper.advance(10 * 86_400_000);
    const moved = first.clock.nowMs();
    await first.close();
    const second = await startServer({ OPENCVM_DATA: data });
    try {
      expect(second.clock.nowMs()).toBeGreaterThanOrEqual(moved);
      expect(second.clock.offset).toBeGreaterThan(10 * 86_400_000 - 60_000);
    } finally {
      await second.close();
    }
  });

  it("are what `opencvm clock` calls, with the token, and `opencvm accounts balance` sets an account's cash in the data directory", async () => {
    const before = server.clock.nowMs();
    const refused = await opencvm(["clock", "--json", "--port", String(server.port)], { OPENCVM_ADMIN_TOKEN: "wrong" });
    expect(refused.stderr).toMatch(/401/);
    const moved = JSON.parse((await opencvm(["clock", "advance", "2h", "--json", "--port", String(server.port)], { OPENCVM_ADMIN_TOKEN: TOKEN })).stdout);
    expect(Date.parse(moved.Now)).toBeGreaterThanOrEqual(before + 2 * 3_600_000 - 1000);

    const data = mkdtempSync(join(tmpdir(), "opencvm-balance-"));
    await (await openStore(data, new Clock())).close();
    const created = (await opencvm(["accounts", "create", "--data", data])).stdout;
    const appId = /AppId (\d+)/.exec(created)![1];
    expect((await opencvm(["accounts", "balance", appId, "123.45", "--data", data])).stdout).toContain("cash 123.45  owed 0.00  frozen 0.00  available 123.45");
    // Processes of their own, each seconds on a busy machine.
  }, 180_000);
});

describe("the tests' admin helper", () => {
  it("refuses a path that is not an admin path rather than calling the API with it", () => {
    expect(() => admin(server, "accounts/1/keys", {})).toThrow(/not an admin path/);
    expect(() => admin(server, "/clock")).toThrow(/not an admin path/);
    expect(() => admin(server, "/_opencvmx/clock")).toThrow(/not an admin path/);
  });
});
