// A few kill -9 cycles in every test run; `npm run test:long` runs many (test/long/crash-loop.test.ts).
import { describe, expect, it } from "vitest";
import { crashLoop } from "./crash-loop.js";

const CYCLES = 3;

describe("kill -9 during asynchronous work", () => {
  it(`loses nothing over ${CYCLES} crash cycles`, { timeout: 120_000 }, async () => {
    const { operationsCut } = await crashLoop(CYCLES);
    expect(operationsCut).toBeGreaterThanOrEqual(CYCLES * 5);
  });
});
