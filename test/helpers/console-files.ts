// A stand-in for the built console, for tests of the console's door that need no page: a directory with an
// index.html of its own.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function consoleFiles(): string {
  const dir = mkdtempSync(join(tmpdir(), "opencvm-console-files-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>console</title>");
  return dir;
}
