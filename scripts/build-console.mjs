// Bundles the web console (console/*.tsx, Preact) with esbuild into a directory the server serves at /console/:
// index.html, app.js and style.css, nothing fetched from elsewhere. `npm run build` runs it into dist/console; the
// console tests build into a directory of their own.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), "..", "console");

/** Writes the built console into `outDir`. */
export async function buildConsole(outDir) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(SOURCE, "main.tsx")],
    outfile: join(outDir, "app.js"),
    bundle: true,
    format: "esm",
    target: "es2020",
    minify: true,
    sourcemap: true,
    jsx: "automatic",
    jsxImportSource: "preact",
    logLevel: "warning",
    legalComments: "linked",
  });
  for (const file of ["index.html", "style.css"]) copyFileSync(join(SOURCE, file), join(outDir, file));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildConsole(resolve(process.argv[2] ?? "dist/console"));
}
