// The README's runnable examples, run exactly as written, so that they cannot rot: `npm start` serves in a network
// namespace of this test's own (so the documented port 4577 is free whatever else runs on the machine), then the
// opencvm block runs in bash and the Node SDK example runs as a file, in a project that installed both.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVICES } from "../src/api/spec.js";
import { SETTINGS } from "../src/config.js";
import { opencvm, ROOT } from "./helpers/cli.js";
import { SdkSign, SECRET_ID, SECRET_KEY, startServer, type TestServer } from "./helpers/server.js";

const MARK = "<!-- test/readme.test.ts runs this block";

/** The code blocks the README marks as run by this test, in order, with their language. */
function markedBlocks(readme: string): { lang: string; code: string }[] {
  const blocks: { lang: string; code: string }[] = [];
  for (const part of readme.split(MARK).slice(1)) {
    const m = /^[^\n]*\n```(\w+)\n([\s\S]*?)\n```/.exec(part);
    if (!m) throw new Error(`a marked block is not followed by a code block: ${part.slice(0, 80)}`);
    blocks.push({ lang: m[1], code: m[2] });
  }
  return blocks;
}

/** Every fenced code block of the README, with its language (empty when it names none). */
function codeBlocks(readme: string): { lang: string; code: string }[] {
  return [...readme.matchAll(/^```(\w*)\n([\s\S]*?)\n```/gm)].map((m) => ({ lang: m[1], code: m[2] }));
}

/** The one block of `lang` whose text matches `re`. */
function block(readme: string, lang: string, re: RegExp): string {
  const found = codeBlocks(readme).filter((b) => b.lang === lang && re.test(b.code));
  expect(found, `one ${lang || "plain"} block matching ${re}`).toHaveLength(1);
  return found[0].code;
}

/** What `npm start` serves by default: `opencvm serve` with the settings' defaults, over plain HTTP (node:http, no TLS). */
const served = { host: SETTINGS.host.default, port: SETTINGS.port.default, protocol: "http" };

/** A DescribeX call each service answers with no other input, to show a request reached it. */
const PROBES: Record<string, { action: string; params: object }> = {
  cvm: { action: "DescribeZones", params: {} },
  vpc: { action: "DescribeVpcs", params: {} },
  cbs: { action: "DescribeDisks", params: {} },
  tag: { action: "GetTags", params: {} },
  api: { action: "DescribeZones", params: { Product: "cvm" } },
};

/** A TC3 call sent with `Host: host`, signed by the official SDK's signer for that host and `service`. */
function callAs(server: TestServer, host: string, service: string, action: string, params: object): Promise<{ Error?: { Code: string }; [k: string]: unknown }> {
  const spec = SERVICES.find((s) => s.service === service)!;
  const body = JSON.stringify(params);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { "Content-Type": "application/json", Host: host, "X-TC-Action": action, "X-TC-Version": spec.version, "X-TC-Region": "ap-guangzhou", "X-TC-Timestamp": String(timestamp), "X-TC-Language": "en-US" };
  headers.Authorization = SdkSign.sign3({ method: "POST", url: `http://${host}/`, payload: Buffer.from(body), timestamp, service, secretId: SECRET_ID, secretKey: SECRET_KEY, headers });
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, method: "POST", path: "/", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (d: string) => (text += d));
      res.on("end", () => resolve((JSON.parse(text) as { Response: { Error?: { Code: string } } }).Response));
    });
    req.on("error", reject);
    req.end(body);
  });
}

// The Python, tccli and Terraform snippets cannot run here (none of those tools is installed): what in them the
// server decides is checked instead, read from the README as written.
describe("README: the Python, tccli and Terraform snippets", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const python = block(readme, "python", /HttpProfile\(/);
  const tccli = block(readme, "sh", /^tccli /m);
  const hosts = block(readme, "", /^127\.0\.0\.1 /);
  const hcl = block(readme, "hcl", /provider "tencentcloud"/);
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it("name the endpoint, port and protocol `npm start` serves by default", () => {
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.start).not.toMatch(/--(port|host)\b/);
    const endpoint = `${served.host}:${served.port}`;
    expect(python).toMatch(new RegExp(`HttpProfile\\(protocol="${served.protocol}", endpoint="${endpoint}"\\)`));
    // tccli's Python SDK calls over HTTPS unless the endpoint names its scheme (test/contract/signing.test.ts).
    expect(/--endpoint (\S+)/.exec(tccli)?.[1]).toBe(`${served.protocol}://${endpoint}`);
    const domain = /^\s*domain\s*=\s*"([^"]+)"/m.exec(hcl)?.[1];
    expect(domain?.split(":")[1]).toBe(served.port);
    expect(/^\s*protocol\s*=\s*"([^"]+)"/m.exec(hcl)?.[1].toLowerCase()).toBe(served.protocol);
    // The hosts line points the provider's names at the address the server listens on.
    expect(hosts.split(/\s+/)[0]).toBe(served.host);
  });

  it("route a request signed for each <service>.<domain> of the hosts line to that service", async () => {
    const domain = /^\s*domain\s*=\s*"([^"]+)"/m.exec(hcl)![1];
    const [domainName] = domain.split(":");
    const names = hosts.split(/\s+/).slice(1);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const service = name.slice(0, name.indexOf("."));
      expect(name, "every name is <service>.<the provider's domain>").toBe(`${service}.${domainName}`);
      expect(SERVICES.map((s) => s.service), `${service} is a service OpenCVM serves`).toContain(service);
      const host = `${name}:${domain.split(":")[1]}`;
      const own = PROBES[service];
      expect(own, `a probe for ${service}`).toBeDefined();
      const answer = await callAs(server, host, service, own.action, own.params);
      expect(answer.Error, `${own.action} at ${host}`).toBeUndefined();
      // Another service's action at this host is refused: the request went to this service, not the other.
      const other = service === "cvm" ? "vpc" : "cvm";
      const refused = await callAs(server, host, service, PROBES[other].action === own.action ? "DescribeInstances" : PROBES[other].action, PROBES[other].params);
      expect(refused.Error?.Code, `${other}'s action at ${host}`).toMatch(/^(InvalidAction|NoSuchVersion)$/);
    }
  });

  it("take the key pair from the variables `opencvm env` prints, for a region that exists", async () => {
    const env = await opencvm(["env", "--data", ":memory:"], { OPENCVM_SECRET_ID: SECRET_ID, OPENCVM_SECRET_KEY: SECRET_KEY });
    expect(env.code, env.stderr).toBe(0);
    const printed = new Set([...env.stdout.matchAll(/^export (\w+)=/gm)].map((m) => m[1]));
    // The Python SDK's EnvironmentVariableCredential and tccli read these two; the Terraform block names them.
    expect(python).toMatch(/EnvironmentVariableCredential\(\)[^\n]*opencvm env/);
    for (const name of ["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"]) {
      expect(printed).toContain(name);
      expect(hcl).toContain(name);
    }
    expect(/^# secret_id \/ secret_key: from (\S+) \/ (\S+) \(eval "\$\(npx opencvm env\)"\)/m.exec(hcl.replace(/^\s+/gm, ""))?.slice(1)).toEqual(["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"]);
    const regions = [/"(ap-[a-z]+)", profile\)/.exec(python)?.[1], /--region (\S+)/.exec(tccli)?.[1], /^\s*region\s*=\s*"([^"]+)"/m.exec(hcl)?.[1], /^export TENCENTCLOUD_REGION=(\S+)/m.exec(env.stdout)?.[1]];
    const known = (await callAs(server, served.host, "cvm", "DescribeRegions", {})).RegionSet as { Region: string }[];
    for (const region of regions) expect(known.map((r) => r.Region)).toContain(region);
  });
});

describe("README", () => {
  const blocks = markedBlocks(readFileSync(join(ROOT, "README.md"), "utf8"));

  it("marks a Node SDK example and a block of opencvm commands", () => {
    expect(blocks.map((b) => b.lang)).toEqual(["sh", "js"]);
  });

  it("runs its examples exactly as written against `npm start`", async () => {
    // `npx opencvm` runs the build: bring it up to date first (what `npm start` would do).
    const built = spawnSync(process.execPath, ["scripts/start.mjs", "--version"], { cwd: ROOT, encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);

    // A project of the newcomer's: the SDK and opencvm installed in its node_modules (links to this checkout's).
    const work = mkdtempSync(join(tmpdir(), "opencvm-readme-"));
    mkdirSync(join(work, "node_modules", ".bin"), { recursive: true });
    symlinkSync(ROOT, join(work, "node_modules", "opencvm"));
    symlinkSync(join(ROOT, "node_modules", "tencentcloud-sdk-nodejs-cvm"), join(work, "node_modules", "tencentcloud-sdk-nodejs-cvm"));
    symlinkSync(join("..", "opencvm", "dist", "bin", "opencvm.js"), join(work, "node_modules", ".bin", "opencvm"));
    writeFileSync(join(work, "package.json"), JSON.stringify({ name: "readme-example", private: true, type: "module" }));
    writeFileSync(join(work, "example.mjs"), blocks.find((b) => b.lang === "js")!.code);
    writeFileSync(join(work, "commands.sh"), blocks.find((b) => b.lang === "sh")!.code);
    // `npm start` in the checkout, its data directory where the examples run (./opencvm-data there).
    const script = [
      "set -euo pipefail",
      "ip link set lo up",
      `(cd ${ROOT} && OPENCVM_DATA=${join(work, "opencvm-data")} OPENCVM_TIMING=instant npm start > ${work}/server.log 2>&1 &)`,
      "for i in $(seq 1 600); do curl -fs http://127.0.0.1:4577/_opencvm/health > /dev/null 2>&1 && break; sleep 0.1; done",
      `cd ${work}`,
      `(set -x; source ./commands.sh) > commands.log 2>&1`,
      "node example.mjs",
    ].join("\n");
    const unshare = process.getuid?.() === 0 ? ["-n"] : ["-rn"];
    // The namespace ends with the script: whatever it started (the server) goes with it.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OPENCVM_") && !k.startsWith("TENCENTCLOUD_")));
    const child = spawn("unshare", [...unshare, "--fork", "--kill-child", "--pid", "--mount-proc", "bash", "-c", script], { env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const log = (name: string) => {
      try {
        return readFileSync(join(work, name), "utf8");
      } catch {
        return "";
      }
    };
    expect(code, `${err}\n--- commands\n${log("commands.log")}\n--- server\n${log("server.log")}`).toBe(0);
    // The Node example printed the zones, in English.
    expect(out).toMatch(/^ap-guangzhou-3: Guangzhou Zone 3$/m);
    const commands = log("commands.log");
    expect(commands).toMatch(/"InstanceIdSet": \[\n\s+"ins-[a-z0-9]{8}"/);
    expect(commands).toMatch(/RunInstances succeeded on ins-/);
    expect(commands).toMatch(/reset in \d+ ms/);
    expect(commands).toMatch(/state replaced from snapshot\.json/);
  }, 300_000);
});
