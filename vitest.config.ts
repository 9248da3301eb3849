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
  "test/contract/tag-kinds.test.ts",
  "test/contract/hpc-clusters.test.ts",
  "test/contract/resource-pool-packs.test.ts",
  "test/contract/common-errors.test.ts",
  "test/contract/instance-queries.test.ts",
  "test/contract/instance-counts.test.ts",
  "test/contract/key-pairs.test.ts",
  "test/contract/key-pair-bindings.test.ts",
  "test/contract/modify-instances.test.ts",
  "test/contract/price-inquiry.test.ts",
  "test/contract/release-prepaid-data-disks.test.ts",
  "test/console/sign-in-limit.test.ts",
  "test/contract/chc-hosts.test.ts",
  "test/contract/long-advance.test.ts",
  "test/contract/action-timers.test.ts",
  "test/contract/retention.test.ts",
  "test/contract/instances.test.ts",
  "test/contract/launch-failures.test.ts",
  "test/contract/images.test.ts",
  "test/contract/custom-images.test.ts",
  "test/contract/sdk-members.test.ts",
  "test/contract/service-routing.test.ts",
  "test/contract/output-check.test.ts",
  "test/contract/image-key-pairs.test.ts",
  "test/contract/enhanced-service.test.ts",
  "test/contract/rescue-mode.test.ts",
  "test/contract/placement-groups.test.ts",
  "test/contract/launch-templates.test.ts",
  "test/contract/admin-paths.test.ts",
  "test/contract/convert-os.test.ts",
  "test/contract/disk-type.test.ts",
  "test/contract/fpga.test.ts",
  "test/contract/image-transfers.test.ts",
  "test/contract/private-catalog.test.ts",
  "test/contract/reconcile.test.ts",
  "test/contract/repair-tasks.test.ts",
  "test/contract/service-security.test.ts",
  "test/contract/image-import-perimeter.test.ts",
  "test/contract/dedicated-hosts.test.ts",
  "test/contract/billing-service.test.ts",
  "test/terraform/instance.test.ts",
  "test/terraform/image.test.ts",
  "test/cli/bundle.test.ts",
  "test/contract/billing-rerating.test.ts",
  "test/contract/prepaid-disks.test.ts",
  "test/contract/billing.test.ts",
  "test/contract/monthly-addresses.test.ts",
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
