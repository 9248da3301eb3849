// The README's runnable examples, run exactly as written, so that they cannot rot: `npm start` serves in a network
// namespace of this test's own (so the documented port 4577 is free whatever else runs on the machine), then the
// opencvm block runs in bash and the Node SDK example runs as a file, in a project that installed both.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

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
