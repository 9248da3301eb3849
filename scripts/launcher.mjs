#!/usr/bin/env node
// dist/bin/opencvm.js, the command `npx opencvm`, `npm start` and the deploy files run: it compiles the bundle
// (opencvm.cjs beside it, scripts/build-server.mjs) through V8's code cache. Compiling the 3 MB bundle from source was
// the largest single cost of a start; Node 20 has no compile cache of its own, and caches only scripts, not ES modules.
// The cache is written by the build, from one start of `serve` (or by the first command run after, when the build
// could not), and is used only while it is newer than the bundle; V8 also rejects it after a change of Node or of its flags. Where the folder is not
// writable every start compiles from source, as before.
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

const bundle = join(dirname(fileURLToPath(import.meta.url)), "opencvm.cjs");
const cacheFile = `${bundle}.cache`;

function cached() {
  try {
    return statSync(cacheFile).mtimeMs >= statSync(bundle).mtimeMs ? readFileSync(cacheFile) : undefined;
  } catch {
    return undefined;
  }
}

const cachedData = cached();
// The bundle is CommonJS: wrapped as Node wraps a module it requires (the shebang line left out).
const source = readFileSync(bundle, "utf8").replace(/^#!.*/, "");
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
// When the process ends, so that every function the command compiled (a whole start, for `serve`) is in the cache
// too. Written aside and renamed, so that a start beside this one never reads half a file.
if (!cachedData || script.cachedDataRejected) {
  process.once("exit", () => {
    try {
      const partial = `${cacheFile}.${process.pid}`;
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, cacheFile);
    } catch {
      // A read-only install: starts compile from source.
    }
  });
}
