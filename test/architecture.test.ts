// The layer table of docs/architecture.md, kept by dependency-cruiser with the rules of .dependency-cruiser.cjs:
// no import cycles in src/, no import against the table, and no folder of src/ outside it.
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { cruise, type ICruiseResult, type IForbiddenRuleType } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONFIG = `${ROOT}.dependency-cruiser.cjs`;
const rules = (createRequire(import.meta.url)(CONFIG) as { forbidden: IForbiddenRuleType[] }).forbidden;

describe("the import graph of src/", () => {
  it("has no cycles and no import against the layer table", { timeout: 180_000 }, async () => {
    const options = await extractDepcruiseOptions(CONFIG);
    const { output } = await cruise(["src"], { ...options, baseDir: ROOT }, undefined, { tsConfig: extractTSConfig(`${ROOT}tsconfig.json`) });
    const result = output as ICruiseResult;
    // A cruise that found nothing would pass vacuously.
    expect(result.summary.totalCruised).toBeGreaterThan(100);
    const violations = result.summary.violations.map((v) =>
      v.cycle ? `${v.rule.name}: ${[v.from, ...v.cycle.map((c) => c.name)].join(" → ")}` : `${v.rule.name}: ${v.from} → ${v.to}`,
    );
    expect(violations, "imports against docs/architecture.md's layer table (the rule's comment says why)").toEqual([]);
  });

  it("gives every rule its reason", () => {
    for (const rule of rules) expect(rule.comment?.trim(), rule.name).toBeTruthy();
  });

  it("places every folder of src/ in a layer", () => {
    const folders = readdirSync(`${ROOT}src`, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `src/${d.name}/`);
    const unplaced = folders.filter((f) => !rules.some((r) => typeof r.from.path === "string" && new RegExp(r.from.path).test(`${f}x.ts`)));
    expect(unplaced, "folders without a row in docs/architecture.md's layer table and a rule in .dependency-cruiser.cjs").toEqual([]);
  });
});
