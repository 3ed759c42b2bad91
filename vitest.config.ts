import { defineConfig } from "vitest/config";

// Unit tests sit beside their code. Tests in test/ run against real parts: the scenario
// corpus through the CLI, the incident store on a real PostgreSQL (hack/postgres.sh), and
// the integration suites on one shared control plane started by the global setup.
const REAL_PARTS = { testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "{app,runtime,kube,logging,redact,notify,crds,controllers,agents,tools,store,webhooks,cdk8s}/**/*.test.ts",
          ],
        },
      },
      // The web console's own tests: catalogs, helpers, its API client, typecheck and build weight.
      {
        test: {
          name: "console",
          include: ["console/**/*.test.ts"],
          exclude: ["console/dist/**"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      { test: { name: "scenarios", include: ["test/scenarios.test.ts"], testTimeout: 60_000 } },
      { test: { name: "store", include: ["test/store.test.ts"], ...REAL_PARTS } },
      {
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: ["test/scenarios.test.ts", "test/store.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
          ...REAL_PARTS,
        },
      },
    ],
  },
});
