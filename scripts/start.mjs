#!/usr/bin/env node
// `npm start`: runs the built command line (the bundle, dist/bin/opencvm.js), building it first only when a source
// file is newer than the last build. Plain JavaScript so that it runs before anything is compiled; a no-op
// `tsc --incremental` still costs seconds, a walk over the sources' modification times a few milliseconds.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STAMP = join(ROOT, "dist", ".tsbuildinfo");
const BUNDLE = join(ROOT, "dist", "bin", "opencvm.js");

/** The newest modification time (ms) of the files the build compiles or bundles, and of what configures it. */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.(ts|tsx|css|html)$/.test(entry.name) && !entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  visit(join(ROOT, "src"));
  visit(join(ROOT, "bench"));
  // The web console's sources, bundled into dist/console.
  visit(join(ROOT, "console"));
  for (const file of ["tsconfig.json", "package.json", "scripts/build-server.mjs", "scripts/launcher.mjs"]) newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  return newest;
}

function built() {
  try {
    // A build from before the bundle existed is not a build of this version.
    statSync(BUNDLE);
    return statSync(STAMP).mtimeMs;
  } catch {
    return -1;
  }
}

if (built() < newestSource()) {
  process.stderr.write("opencvm: sources changed since the last build; building (npm run build)\n");
  const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.json")], { stdio: "inherit" });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  const { buildServer } = await import("./build-server.mjs");
  await buildServer();
  const { buildConsole } = await import("./build-console.mjs");
  await buildConsole(join(ROOT, "dist", "console"));
  // tsc leaves its build info untouched when nothing it emits changed (a comment edit): the stamp moves anyway.
  const now = new Date();
  utimesSync(STAMP, now, now);
}

await import(pathToFileURL(BUNDLE).href);
