// The trust suite's long runs (`npm run test:long`): load, the rate limiter measured, many kill -9 cycles. Bounded
// by their defaults (README, "Trust suite"); one file at a time, so that they do not load the machine for each other.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/setup/system-packages.ts"],
    include: ["test/long/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
