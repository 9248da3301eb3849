// The private-cloud catalog docs/catalog.md shows, as the JSON text of its example block.
import { readFileSync } from "node:fs";

/** The JSON block of docs/catalog.md's private-cloud example. */
export function exampleCatalog(): string {
  const doc = readFileSync(new URL("../../docs/catalog.md", import.meta.url), "utf8");
  const section = doc.slice(doc.indexOf("## Example: a private cloud"));
  const m = /```json\n([\s\S]*?)\n```/.exec(section);
  if (!m) throw new Error("docs/catalog.md has no example catalog");
  return m[1];
}
