import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/setup/system-packages.ts"],
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The trust suite's long runs have their own command, `npm run test:long` (vitest.long.config.ts).
    exclude: [...configDefaults.exclude, "test/long/**"],
    testTimeout: 20000,
    hookTimeout: 30000,
  },
});
