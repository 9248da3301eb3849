import { configDefaults, defineConfig } from "vitest/config";

/**
 * What runs on PostgreSQL: its own tests (test/postgres), and the suites that start a server, except the full-disk
 * test (a SQLite data directory's disk).
 */
const ON_POSTGRES = ["test/postgres/**/*.test.ts", "test/contract/**/*.test.ts", "test/regressions/**/*.test.ts", "test/crash/**/*.test.ts", "test/trust/fuzz.test.ts", "test/trust/isolation.test.ts"];

export default defineConfig({
  test: {
    // The trust suite's long runs have their own command, `npm run test:long` (vitest.long.config.ts).
    exclude: [...configDefaults.exclude, "test/long/**"],
    testTimeout: 20000,
    hookTimeout: 30000,
    projects: [
      {
        extends: true,
        test: { name: "sqlite", globalSetup: ["test/setup/system-packages.ts"], include: ["src/**/*.test.ts", "test/**/*.test.ts"], exclude: [...configDefaults.exclude, "test/long/**", "test/postgres/**"] },
      },
      {
        // The same suites with each test server on a fresh PostgreSQL database (test/setup/postgres.ts starts one).
        extends: true,
        test: {
          name: "postgres",
          globalSetup: ["test/setup/system-packages.ts", "test/setup/postgres.ts"],
          include: ON_POSTGRES,
          env: { OPENCVM_TEST_STORE: "postgres" },
        },
      },
    ],
  },
});
