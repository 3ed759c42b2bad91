import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR } from "../../store/index.ts";
import { ConfigError, operatorConfigFromEnv } from "./config.ts";

describe("operatorConfigFromEnv", () => {
  it("gives production defaults on an empty environment", () => {
    expect(operatorConfigFromEnv({})).toEqual({
      namespace: "aisre-system",
      watchNamespace: undefined,
      metricsPort: 8080,
      healthPort: 8081,
      leaderElect: true,
      leaseName: "aisre-operator",
      maxConcurrentReconciles: 4,
      incidentStore: true,
      memoryReleaseIdleSeconds: 5,
      store: { dataDir: DEFAULT_DATA_DIR },
      eventBounds: { maxAgeMinutes: 60, perObject: 50, perNamespace: 2000 },
    });
  });

  it("reads every variable", () => {
    const cfg = operatorConfigFromEnv({
      AISRE_NAMESPACE: "ops",
      AISRE_WATCH_NAMESPACE: "shop",
      AISRE_METRICS_PORT: "0",
      AISRE_HEALTH_PORT: "off",
      AISRE_LEADER_ELECT: "false",
      AISRE_LEASE_NAME: "x",
      AISRE_MAX_CONCURRENT_RECONCILES: "2",
      AISRE_MEMORY_RELEASE_IDLE_SECONDS: "0",
    });
    expect(cfg).toMatchObject({ namespace: "ops", watchNamespace: "shop", metricsPort: 0, healthPort: null });
    expect(cfg).toMatchObject({ leaderElect: false, leaseName: "x", maxConcurrentReconciles: 2 });
    expect(cfg.memoryReleaseIdleSeconds).toBe(0);
  });

  it("names the variable that is wrong", () => {
    expect(() => operatorConfigFromEnv({ AISRE_METRICS_PORT: "http" })).toThrow(/AISRE_METRICS_PORT=http/);
    expect(() => operatorConfigFromEnv({ AISRE_LEADER_ELECT: "maybe" })).toThrow(ConfigError);
    expect(() => operatorConfigFromEnv({ AISRE_MAX_CONCURRENT_RECONCILES: "0" })).toThrow(/positive/);
    expect(() =>
      operatorConfigFromEnv({ DATABASE_URL: "postgres://db/aisre", AISRE_DB_PREPARED_STATEMENTS: "of" }),
    ).toThrow(ConfigError);
    expect(() => operatorConfigFromEnv({ AISRE_MEMORY_RELEASE_IDLE_SECONDS: "5s" })).toThrow(
      /AISRE_MEMORY_RELEASE_IDLE_SECONDS=5s/,
    );
    expect(() => operatorConfigFromEnv({ AISRE_EVENT_CACHE: "perObject=x" })).toThrow(
      /AISRE_EVENT_CACHE: perObject=x/,
    );
    expect(operatorConfigFromEnv({ AISRE_EVENT_CACHE: "maxAgeMinutes=120" }).eventBounds.maxAgeMinutes).toBe(
      120,
    );
  });
});
