// The built console's files (index.html, the bundle, its styles, noVNC's modules), read from disk on request:
// only names without a path separator or a leading dot, so nothing outside the directory can be named.
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".map": "application/json",
};

/** The directory `npm run build` writes the console to: `dist/console` beside the package.json this file belongs to. */
export function defaultConsoleDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, "dist", "console");
}

export async function consoleFile(dir: string, name: string): Promise<{ type: string; bytes: Buffer } | undefined> {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name)) return undefined;
  const type = TYPES[extname(name)];
  if (!type) return undefined;
  try {
    return { type, bytes: await readFile(join(dir, name)) };
  } catch {
    return undefined;
  }
}
