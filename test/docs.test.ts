// Generated pages stay true to the code.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coveragePage } from "../scripts/gen-coverage.js";
import { generate, SERVICES, specDir } from "../scripts/gen-spec.js";

describe("docs/coverage.md", () => {
  it("is what `npm run gen` writes today", () => {
    expect(readFileSync(new URL("../docs/coverage.md", import.meta.url), "utf8")).toBe(coveragePage());
  });
});

describe("src/api/generated", () => {
  // The generator reads ../shared/spec, which only a development checkout has; the committed files serve the rest.
  it.skipIf(!existsSync(specDir))("is what `npm run gen` writes from the specification", () => {
    for (const service of SERVICES) {
      for (const [path, text] of Object.entries(generate(service))) {
        expect(readFileSync(new URL(`../${path}`, import.meta.url), "utf8"), path).toBe(text);
      }
    }
  });
});
