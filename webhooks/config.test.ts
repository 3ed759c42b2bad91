import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

const TOKEN = "0123456789abcdef";
const env = (extra: Record<string, string> = {}) => ({
  AISRE_WEBHOOK_TOKEN: TOKEN,
  AISRE_NAMESPACE: "aisre-system",
  ...extra,
});
const noCluster = () => undefined;

describe("loadConfig", () => {
  it("has defaults", () => {
    expect(loadConfig([], env(), noCluster)).toEqual({
      port: 8080,
      host: "0.0.0.0",
      namespace: "aisre-system",
      webhookToken: TOKEN,
      webhookBodyLimit: 4 << 20,
      rateLimitPerMinute: 600,
      rateLimitUnauthenticatedPerMinute: 120,
      authCacheSeconds: 10,
      agentConfigCacheSeconds: 30,
      alertCacheSize: 20000,
      tokenAudience: "aisre-sidecar",
    });
  });

  it("reads the token audience", () => {
    expect(loadConfig([], env({ AISRE_TOKEN_AUDIENCE: "ops-api" })).tokenAudience).toBe("ops-api");
  });

  it("reads env and lets flags win", () => {
    const c = loadConfig(
      ["--port", "9000", "--namespace=ops", "--kubeconfig", "/k"],
      env({ PORT: "1", DATABASE_URL: "postgres://x/y" }),
      noCluster,
    );
    expect(c).toMatchObject({
      port: 9000,
      namespace: "ops",
      kubeconfig: "/k",
      databaseUrl: "postgres://x/y",
    });
  });

  it("uses the in-cluster namespace when AISRE_NAMESPACE is unset", () => {
    expect(loadConfig([], { AISRE_WEBHOOK_TOKEN: TOKEN }, () => "aisre").namespace).toBe("aisre");
  });

  it.each([
    [[], { AISRE_NAMESPACE: "x" }, /AISRE_WEBHOOK_TOKEN is required/],
    [[], { AISRE_WEBHOOK_TOKEN: "short", AISRE_NAMESPACE: "x" }, /at least 16/],
    [[], { AISRE_WEBHOOK_TOKEN: TOKEN }, /AISRE_NAMESPACE \(or --namespace\) is required/],
    [[], env({ AISRE_NAMESPACE: "Bad_NS" }), /not a valid namespace/],
    [[], env({ PORT: "http" }), /PORT must be an integer/],
    [["--port", "70000"], env(), /--port must be an integer 0..65535/],
    [["--bogus"], env(), /unknown option '--bogus'/],
    [["--port"], env(), /--port needs a value/],
    [[], env({ AISRE_RATE_LIMIT: "0" }), /AISRE_RATE_LIMIT/],
    [[], env({ AISRE_RATE_LIMIT_UNAUTHENTICATED: "x" }), /AISRE_RATE_LIMIT_UNAUTHENTICATED must be/],
  ])("rejects %j %j", (argv, e, message) => {
    expect(() => loadConfig(argv, e, noCluster)).toThrow(ConfigError);
    expect(() => loadConfig(argv, e, noCluster)).toThrow(message);
  });
});
