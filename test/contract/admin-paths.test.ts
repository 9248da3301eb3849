// The operator's admin paths: the clock and balances, open to loopback callers and, with a token, to others only
// when they present it. Moving the clock forward does not break signing: clients sign with real time.
import { mkdtempSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Clock } from "../../src/domain/clock.js";
import { openStore } from "../../src/store/sql.js";
import { opencvm } from "../helpers/cli.js";
import { cvmClient, startServer, type TestServer } from "../helpers/server.js";
import { serverForFile } from "../helpers/file-server.js";

const TOKEN = "opencvm-admin-test-token-0123456789";
/** An address of this machine that is not loopback, to call from as another host would. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

let server: TestServer;
serverForFile((started) => (server = started), { OPENCVM_HOST: "0.0.0.0", OPENCVM_ADMIN_TOKEN: TOKEN, OPENCVM_TIMING: "instant" });

const local = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${server.port}${path}`, init);

describe("admin paths", () => {
  it("answer the clock to a loopback caller and move it forward; signed API calls still work afterwards", async () => {
    const before = await (await local("/_opencvm/clock")).json();
    const moved = await local("/_opencvm/clock", { method: "POST", body: JSON.stringify({ Advance: "30d" }) });
    expect(moved.status).toBe(200);
    const after = await moved.json();
    // Now is answered to the second.
    expect(Date.parse(after.Now) - Date.parse(before.Now)).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
    // The offset is what takes the clock from real time to the target: the call itself took real time.
    expect(after.OffsetSeconds).toBeGreaterThanOrEqual(30 * 86_400 - 60);
    expect(after.HoursSettled).toBeGreaterThanOrEqual(720);
    const regions = await cvmClient(server).DescribeRegions();
    expect(regions.TotalCount).toBeGreaterThan(0);
  });

  it("refuse bad durations, bad bodies, unknown paths and unknown accounts with a plain status", async () => {
    for (const advance of ["-1h", "0", "1y", "abc", 1e12]) {
      expect((await local("/_opencvm/clock", { method: "POST", body: JSON.stringify({ Advance: advance }) })).status).toBe(400);
    }
    expect((await local("/_opencvm/clock", { method: "POST", body: "[not json" })).status).toBe(400);
    expect((await local("/_opencvm/clock", { method: "POST", body: "x".repeat(10_000) })).status).toBe(413);
    expect((await local("/_opencvm/nothing")).status).toBe(404);
    expect((await local("/_opencvm/balance?AppId=42")).status).toBe(404);
    const appId = server.defaultAccount.account.appId;
    expect((await local("/_opencvm/balance", { method: "POST", body: JSON.stringify({ AppId: appId, Amount: "-5" }) })).status).toBe(400);
  });

  it.skipIf(!external)("refuse another host without the admin token, or with a wrong one, and answer it with the token", async () => {
    const remote = (headers: Record<string, string> = {}) => fetch(`http://${external}:${server.port}/_opencvm/clock`, { headers });
    expect((await remote()).status).toBe(403);
    expect((await remote({ Authorization: `Bearer ${TOKEN.slice(0, -1)}x` })).status).toBe(403);
    expect((await remote({ Authorization: `Bearer ${TOKEN}extra` })).status).toBe(403);
    expect((await remote({ Authorization: TOKEN })).status).toBe(403);
    const ok = await remote({ Authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toHaveProperty("Now");
    // A refusal moves nothing.
    const before = server.clock.offset;
    expect((await fetch(`http://${external}:${server.port}/_opencvm/clock`, { method: "POST", body: JSON.stringify({ Advance: "1d" }) })).status).toBe(403);
    expect(server.clock.offset).toBe(before);
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

  it("are what `opencvm clock` calls, and `opencvm accounts balance` sets an account's cash in the data directory", async () => {
    const before = server.clock.nowMs();
    const moved = JSON.parse((await opencvm(["clock", "advance", "2h", "--json", "--port", String(server.port)])).stdout);
    expect(Date.parse(moved.Now)).toBeGreaterThanOrEqual(before + 2 * 3_600_000 - 1000);
    expect(JSON.parse((await opencvm(["clock", "--json", "--port", String(server.port)])).stdout)).toHaveProperty("OffsetSeconds");

    const data = mkdtempSync(join(tmpdir(), "opencvm-balance-"));
    await (await openStore(data, new Clock())).close();
    const created = (await opencvm(["accounts", "create", "--data", data])).stdout;
    const appId = /AppId (\d+)/.exec(created)![1];
    expect((await opencvm(["accounts", "balance", appId, "--data", data])).stdout).toContain("cash 1000000.00");
    expect((await opencvm(["accounts", "balance", appId, "123.45", "--data", data])).stdout).toContain("cash 123.45  owed 0.00  frozen 0.00  available 123.45");
    const refused = await opencvm(["accounts", "balance", appId, "-3", "--data", data]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the amount must look like 1000 or 99\.50, not "-3"/);
    // Six processes, each seconds on a busy machine.
  }, 180_000);
});
