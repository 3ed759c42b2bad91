import { defineConfig } from "vitest/config";

// Unit tests sit beside their code; integration tests live in test/ and share one
// real control plane started by the global setup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{operator,crds,controllers,agents,tools,store,webhooks,cdk8s}/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
