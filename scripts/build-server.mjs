// Bundles the opencvm command (src/cli.ts) with esbuild into dist/bin/opencvm.cjs, which dist/bin/opencvm.js (the file
// `npm start`, `npx opencvm` and `npm install -g` run; scripts/launcher.mjs) compiles through V8's code cache. Node
// resolves, reads and compiles every ES module separately: the server's ~570 modules (Kysely alone ~260) took most of
// a start. One file takes a fraction of that, and one CommonJS script can be compiled from a code cache. What is
// loaded only on some paths (PostgreSQL's dialect and driver) is imported dynamically, which esbuild turns into code
// run only when used. Packages with native code or optional native parts stay outside, loaded from node_modules.
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Loaded from node_modules at run time: native code (better-sqlite3) and what only some starts need (pg). */
const EXTERNAL = ["better-sqlite3", "pg"];

/**
 * Escapes what is left outside ASCII (esbuild escapes strings, not comments and regular expressions): Node reads an
 * ASCII file into a one-byte string, several times quicker than decoding UTF-8 into a two-byte one, and V8 scans it
 * quicker too. `\uXXXX` means the same character in a regular expression and an identifier, and nothing in a comment.
 */
function asciiOnly(file) {
  const text = readFileSync(file, "utf8");
  writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

/** Writes the bundle into `outDir` (dist/bin: two levels under the package, as dist/src/cli.js is). */
export async function buildServer(outDir = join(ROOT, "dist", "bin")) {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: [join(ROOT, "src", "cli.ts")],
    outfile: join(outDir, "opencvm.cjs"),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: EXTERNAL,
    // ES modules are strict: so is the bundle. The sources find files beside themselves (package.json, the console) by import.meta.url: the bundle's own URL.
    define: { "import.meta.url": "__bundle_url" },
    banner: { js: '"use strict"; var __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
    sourcemap: true,
    logLevel: "warning",
    legalComments: "linked",
  });
  asciiOnly(join(outDir, "opencvm.cjs"));
  copyFileSync(join(ROOT, "scripts", "launcher.mjs"), join(outDir, "opencvm.js"));
  chmodSync(join(outDir, "opencvm.js"), 0o755);
  await warmUp(join(outDir, "opencvm.js"));
}

/**
 * Writes the code cache from one start of `serve` (in memory, on a port of the system's choosing) that answers one
 * request and stops: the cache then holds what a start and a first answer compile, and an install where dist/ is not
 * writable at run time (the container image) has one too. If it fails, the first command run writes the cache.
 */
function warmUp(launcher) {
  return new Promise((resolve) => {
    const env = { ...process.env, OPENCVM_DATA: ":memory:", OPENCVM_SECRET_ID: "AKIDwarmup", OPENCVM_SECRET_KEY: "warmup", OPENCVM_LOG_LEVEL: "error" };
    for (const name of ["OPENCVM_DATABASE_URL", "OPENCVM_CONFIG", "OPENCVM_COMPUTE"]) delete env[name];
    const child = spawn(process.execPath, [launcher, "serve", "--host", "127.0.0.1", "--port", "0"], { env, stdio: ["ignore", "pipe", "ignore"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    // Stopped once it has answered (an unsigned request, refused): by then it handles SIGTERM and writes the cache.
    child.stdout.setEncoding("utf8").on("data", (d) => {
      const port = /OpenCVM listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(d)?.[1];
      if (port) fetch(`http://127.0.0.1:${port}/`).finally(() => child.kill("SIGTERM")).catch(() => undefined);
    });
    child.once("exit", () => resolve(clearTimeout(timer)));
  });
}


if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildServer(process.argv[2] ? resolve(process.argv[2]) : undefined);
}
