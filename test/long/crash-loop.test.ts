// Many kill -9 cycles (CRASH_CYCLES, default 10) of a workload of every kind of asynchronous work.
import { describe, expect, it } from "vitest";
import { crashLoop } from "../crash/crash-loop.js";
import { bound } from "./bounds.js";

const CYCLES = bound("CRASH_CYCLES", 10);

describe("kill -9 during asynchronous work, again and again", () => {
  it(`loses nothing over ${CYCLES} crash cycles of every kind of work`, { timeout: CYCLES * 30_000 }, async () => {
    const started = performance.now();
    const { operationsCut, sent } = await crashLoop(CYCLES);
    const kinds = [...sent].map(([kind, n]) => `${kind} ${n}`).join(", ");
    console.log(`crash loop: ${CYCLES} cycles in ${((performance.now() - started) / 1000).toFixed(0)} s, ${operationsCut} operations in progress at the kills; sent: ${kinds}`);
    // Every kind comes round once the population has grown (the least used goes first).
    if (CYCLES >= 6) expect([...sent].filter(([, n]) => n === 0).map(([kind]) => kind)).toEqual([]);
  });
});
