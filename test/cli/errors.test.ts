// Every mistake and start-up failure of the opencvm command is one line on stderr, no stack frame, with the exit
// code scripts rely on (2: usage or configuration; 1: the action failed), and nothing hangs.
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oneLineError, opencvm, shell } from "../helpers/cli.js";
import { freePort } from "../helpers/process.js";
import { startServer, type TestServer } from "../helpers/server.js";

const dir = mkdtempSync(join(tmpdir(), "opencvm-cli-errors-"));
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ OPENCVM_TIMING: "instant" });
});
afterAll(() => server.close());

/** A `serve` that must stop at once: a hang is a failure too. */
const serve = (...args: string[]) => opencvm(["serve", "--port", "0", "--secret-id", "AKIDcliErrorsTest000000000000000000000", "--secret-key", "cliErrorsTestKey0000000000000000", ...args]);

describe("usage errors: exit code 2, one line saying what was wrong", () => {
  it.each([
    [["accounts", "list", "--bogus"], /unknown option '--bogus'/],
    [["bogus"], /unknown command 'bogus'/],
    [["accounts"], /accounts needs a subcommand: list, create/],
    [["accounts", "show"], /missing required argument 'AppId'/],
    [["clock", "advance", "soon"], /"soon" is not a duration/],
    [["call", "NoSuchAction", "--port", "1"], /no action NoSuchAction/],
    [["call", "DescribeZones", "Limit", "--port", "1"], /"Limit" is not Name=value/],
    [["serve", "--port", "99999"], /OPENCVM_PORT must be a port number/],
    [["serve", "--timing", "slowly"], /OPENCVM_TIMING must be instant, fast or realistic/],
  ])("opencvm %j", async (args, message) => {
    const r = await opencvm(args as string[]);
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toMatch(message as RegExp);
  });

  it("a config file that does not parse or names an unknown setting", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ port: 1 }");
    expect(oneLineError(await opencvm(["serve", "--config", bad]))).toMatch(/OPENCVM_CONFIG: cannot read .*bad\.json: it is not valid JSON/);
    writeFileSync(bad, JSON.stringify({ prot: 4577 }));
    const r = await opencvm(["serve"], { OPENCVM_CONFIG: bad });
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toMatch(/names an unknown setting "prot"/);
  });
});

describe("start-up errors: exit code 2, one line, no stack, no hang", () => {
  it("the port is in use", async () => {
    const r = await opencvm(["serve", "--port", String(server.port), "--data", join(dir, "port-in-use")]);
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toBe(`opencvm: port ${server.port} on 127.0.0.1 is already in use (another OpenCVM?): choose another with --port or OPENCVM_PORT`);
  });

  it("the data directory is a file", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const r = await serve("--data", file);
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toMatch(/the data directory .*a-file is a file, not a directory/);
  });

  it("the data directory cannot be created (its parent is a file)", async () => {
    const r = await serve("--data", join(dir, "a-file", "data"));
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toMatch(/the data directory .*a-file\/data cannot be created \(ENOTDIR\)/);
  });

  it("the data directory is under /proc", async () => {
    const r = await serve("--data", "/proc/opencvm");
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toMatch(/the data directory \/proc\/opencvm is under \/proc, which cannot hold files/);
    const self = await serve("--data", "/proc/self");
    expect(self.code).toBe(2);
    expect(oneLineError(self)).toMatch(/is under \/proc/);
  });

  it("the database cannot be opened: the line names its path", async () => {
    const data = join(dir, "db-is-a-directory");
    mkdirSync(join(data, "opencvm.sqlite"), { recursive: true });
    const r = await serve("--data", data);
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toMatch(new RegExp(`cannot open the database ${data}/opencvm\\.sqlite: `));
  });

  it("clock with no server", async () => {
    const r = await opencvm(["clock", "--port", String(await freePort())]);
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toMatch(/no OpenCVM answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): start one with `opencvm serve`/);
  });

  it("a reader that stops early (opencvm catalog | head)", async () => {
    const r = await shell("node --import tsx src/cli.ts catalog | head -n 2");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toHaveLength(3);
    expect(r.stderr).toBe("");
  });
});

describe("a data directory is only read, never created", () => {
  it("accounts list on a directory that does not exist: exit 2, and it still does not exist", async () => {
    const missing = join(dir, "missing");
    const r = await opencvm(["accounts", "list", "--data", missing]);
    expect(r.code).toBe(2);
    expect(oneLineError(r)).toMatch(/missing holds no OpenCVM data \(no opencvm\.sqlite\)/);
    expect(existsSync(missing)).toBe(false);
  });

  it("accounts list on an empty directory: exit 2, and no database appears in it", async () => {
    const empty = join(dir, "empty");
    mkdirSync(empty);
    expect((await opencvm(["--data", empty, "accounts", "list"])).code).toBe(2);
    expect(existsSync(join(empty, "opencvm.sqlite"))).toBe(false);
  });
});

describe("failed actions: exit code 1, one line", () => {
  it("an account that does not exist", async () => {
    const r = await opencvm(["accounts", "show", "42", "--port", String(server.port)]);
    expect(r.code).toBe(1);
    expect(oneLineError(r)).toBe("opencvm: No account with AppId 42. (HTTP 404)");
  });

  it("an API error answered to `call`, with its code and RequestId", async () => {
    const r = await opencvm(["call", "DescribeInstances", "--port", String(server.port), "Limit=1000"], { TENCENTCLOUD_SECRET_ID: server.config.secretId!, TENCENTCLOUD_SECRET_KEY: server.config.secretKey! });
    expect(r.code).toBe(1);
    expect(oneLineError(r)).toMatch(/^opencvm: InvalidParameterValue[.\w]*: .*Limit.* \(RequestId [0-9a-f-]{36}\)$/);
  });
});
