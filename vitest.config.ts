import { configDefaults, defineConfig } from "vitest/config";

/**
 * What runs on PostgreSQL: its own tests (test/postgres), and the server suites that pass there today. The others
 * are listed in docs/operations.md ("Tests on PostgreSQL") with what keeps each out; the full-disk test is about a
 * SQLite data directory's disk and stays on SQLite.
 */
const ON_POSTGRES = [
  "test/postgres/**/*.test.ts",
  "test/regressions/**/*.test.ts",
  "test/contract/regions.test.ts",
  "test/contract/signing.test.ts",
  "test/contract/lifecycle.test.ts",
  "test/contract/addresses.test.ts",
  "test/contract/security-groups.test.ts",
  "test/contract/tag-service.test.ts",
  "test/contract/hpc-clusters.test.ts",
  "test/contract/resource-pool-packs.test.ts",
  "test/contract/common-errors.test.ts",
  "test/contract/instance-queries.test.ts",
  "test/contract/instance-counts.test.ts",
  "test/contract/key-pairs.test.ts",
  "test/contract/key-pair-bindings.test.ts",
  "test/contract/modify-instances.test.ts",
  "test/contract/price-inquiry.test.ts",
  "test/terraform/instance.test.ts",
  "test/terraform/image.test.ts",
];

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
