// Bundles the opencvm command (src/cli.ts) with esbuild into dist/bin/opencvm.js, the file `npm start`, `npx opencvm`
// and `npm install -g` run. Node resolves, reads and compiles every ES module separately: the server's ~570 modules
// (Kysely alone ~260) took most of a start. One file takes a fraction of that. What is loaded only on some paths
// (PostgreSQL's driver) is imported dynamically, which esbuild splits into chunks beside it, read only when used.
// Packages with native code or optional native parts stay outside and are loaded from node_modules as before.
import { build } from "esbuild";
import { chmodSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Loaded from node_modules at run time: native code (better-sqlite3) and what only some starts need (pg). */
const EXTERNAL = ["better-sqlite3", "pg"];

/** Writes the bundle into `outDir` (dist/bin: two levels under the package, as dist/src/cli.js is). */
export async function buildServer(outDir = join(ROOT, "dist", "bin")) {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: { opencvm: join(ROOT, "src", "cli.ts") },
    outdir: outDir,
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: EXTERNAL,
    // The CommonJS packages bundled in (commander, prom-client, ws) call require() for Node's own modules.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
    sourcemap: true,
    logLevel: "warning",
    legalComments: "linked",
  });
  chmodSync(join(outDir, "opencvm.js"), 0o755);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildServer(process.argv[2] ? resolve(process.argv[2]) : undefined);
}
