/**
 * The console's own tests (node environment): catalogs, helpers, the API client against a real
 * HTTP server, the build's weight and the console's typecheck. Run them with
 * `npx vitest run --config console/vitest.config.ts`.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: `${import.meta.dirname}/..`,
  test: {
    name: "console",
    include: ["console/**/*.test.ts"],
    exclude: ["console/dist/**", "node_modules/**"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
