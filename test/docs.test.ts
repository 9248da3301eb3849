// Generated pages stay true to the code.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { skipSaying } from "./helpers/skip.js";
import { coveragePage } from "../scripts/gen-coverage.js";
import { lifecyclePage } from "../scripts/gen-lifecycle.js";
import { generate, SERVICES, specDir } from "../scripts/gen-spec.js";
import { SETTINGS } from "../src/config.js";

describe("docs/coverage.md", () => {
  it("is what `npm run gen` writes today", () => {
    expect(readFileSync(new URL("../docs/coverage.md", import.meta.url), "utf8")).toBe(coveragePage());
  });

  it("marks an action that does only part of what is documented partial, with its reason, and groups by family", () => {
    const page = coveragePage();
    expect(page).toMatch(/\| DescribeTaskResult \| ◐ partial: finds tasks by TaskId only/);
    expect(page).toMatch(/\| cvm \| 2017-03-12 \| 106 \| 0 \| 106 \|/);
    expect(page).toMatch(/### cvm\/instances\n\n\| action \| status \|\n\| --- \| --- \|\n(\| \w+ \| [^\n]+\n)*\| RunInstances \| ✓ built \|/);
    expect(page).toMatch(/### vpc\/addresses\n[^#]*\| AllocateAddresses \| ✓ built \|/);
  });
});

describe("docs/lifecycle.md", () => {
  it("is what `npm run gen` writes today", () => {
    expect(readFileSync(new URL("../docs/lifecycle.md", import.meta.url), "utf8")).toBe(lifecyclePage());
  });
});

describe("src/api/generated", () => {
  // The generator reads ../shared/spec, which only a development checkout has; the committed files serve the rest.
  it("is what `npm run gen` writes from the specification", (ctx) => {
    if (!existsSync(specDir)) skipSaying(ctx, `no specification at ${specDir} (a checkout without ../shared): the generated files are not compared`);
    for (const service of SERVICES) {
      for (const [path, text] of Object.entries(generate(service))) {
        expect(readFileSync(new URL(`../${path}`, import.meta.url), "utf8"), path).toBe(text);
      }
    }
  });
});

describe("README", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

  it("starts with the two commands a newcomer runs", () => {
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("npm test");
  });

  it.each(Object.values(SETTINGS))("documents $env with its flag and default", (s) => {
    const row = readme.split("\n").find((l) => l.startsWith(`| \`${s.env}\` |`));
    expect(row).toContain(`\`${s.flag}\``);
    const shown = !("default" in s) ? "generated" : s.default === "" ? "none" : `\`${s.default}\``;
    expect(row).toContain(shown);
  });
});
