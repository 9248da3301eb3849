// The built command, dist/bin/opencvm.js (scripts/build-server.mjs), is what `npm start`, `npx opencvm` and the
// deploy files run, while the other CLI tests run the sources: this runs the bundle itself, serving through the
// official SDK (on PostgreSQL in that project, which loads the driver the bundle keeps out of its start).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as cvmSdk from "tencentcloud-sdk-nodejs-cvm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { storeFor } from "../helpers/databases.js";
import { freePort } from "../helpers/process.js";
import { SECRET_ID, SECRET_KEY } from "../helpers/server.js";

const BUNDLE = join(ROOT, "dist", "bin", "opencvm.js");

describe("the bundle (dist/bin/opencvm.js)", () => {
  let data: string;
  let server: ChildProcess | undefined;

  beforeAll(() => {
    // Brought up to date as `npm start` would (a no-op when the build is current).
    const built = spawnSync(process.execPath, ["scripts/start.mjs", "--version"], { cwd: ROOT, encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version);
    data = mkdtempSync(join(tmpdir(), "opencvm-bundle-"));
  }, 300_000);

  afterAll(() => {
    server?.kill("SIGKILL");
    rmSync(data, { recursive: true, force: true });
  });

  it("compiles through its code cache, and a damaged cache is replaced rather than trusted", () => {
    const cache = join(ROOT, "dist", "bin", "opencvm.cjs.cache");
    const version = () => spawnSync(process.execPath, [BUNDLE, "--version"], { cwd: ROOT, encoding: "utf8" });
    expect(version().status).toBe(0);
    const good = readFileSync(cache);
    expect(good.length).toBeGreaterThan(100_000);
    writeFileSync(cache, "not a code cache");
    const run = version();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(readFileSync(cache).length).toBeGreaterThan(100_000);
    // The build's cache (from a whole start) back, for what runs the bundle after this test.
    writeFileSync(cache, good);
  });

  it("serves: the official SDK's DescribeZones, and SIGTERM stops it cleanly", async () => {
    const port = await freePort();
    const location = await storeFor(data);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OPENCVM_")));
    server = spawn(process.execPath, [BUNDLE, "serve", "--port", String(port)], {
      cwd: data,
      // Node names each module it loads (NODE_DEBUG=module): PostgreSQL's driver only when a database is named.
      env: { ...env, NODE_DEBUG: "module", OPENCVM_DATA: data, ...(location !== data ? { OPENCVM_DATABASE_URL: location } : {}), OPENCVM_SECRET_ID: SECRET_ID, OPENCVM_SECRET_KEY: SECRET_KEY },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    server.stdout!.on("data", (d) => (out += d));
    server.stderr!.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => server!.once("exit", resolve));
    for (const until = Date.now() + 30_000; !out.includes("OpenCVM listening"); await new Promise((r) => setTimeout(r, 25))) {
      if (server.exitCode !== null || Date.now() > until) throw new Error(`the bundle did not start: ${out}`);
    }
    const cvm = new cvmSdk.cvm.v20170312.Client({
      credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      region: "ap-guangzhou",
      profile: { language: "en-US", httpProfile: { protocol: "http://", endpoint: `127.0.0.1:${port}` } },
    });
    const { ZoneSet } = await cvm.DescribeZones();
    expect(ZoneSet!.map((z) => z.Zone)).toContain("ap-guangzhou-3");
    expect(out).toMatch(/node_modules\/better-sqlite3\//);
    expect(/node_modules\/pg\//.test(out)).toBe(location !== data);
    server.kill("SIGTERM");
    expect(await exited, out).toBe(0);
    expect(out).toMatch(/OpenCVM stopped/);
  }, 60_000);
});
