import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { AgentConfig } from "../../crds/index.ts";
import { metricInputs, metricNamespace, thresholdsOf } from "./metric-step.ts";

describe("thresholdsOf", () => {
  it("keeps the defaults when the AgentConfig sets none", () => {
    expect(thresholdsOf({ url: "http://p:9090" })).toEqual({});
  });

  it("maps AgentConfig thresholds to the engine's, moving critical levels up with them", () => {
    const t = thresholdsOf({
      url: "http://p:9090",
      thresholds: { errorRatio: 0.6, latencyP99Seconds: 0.3, throttledShare: 0.1, diskHorizonHours: 24 },
    });
    expect(t).toEqual({
      errorRatioWarning: 0.6,
      errorRatioCritical: 0.6,
      latencyP99WarningSeconds: 0.3,
      latencyP99CriticalSeconds: 5,
      throttledShareWarning: 0.1,
      throttledShareCritical: 0.75,
      diskHorizonSeconds: 86_400,
    });
  });
});

describe("metricNamespace", () => {
  it("prefers the target's namespace, then the alert's, then the watched one", () => {
    const target = { kind: "Deployment", namespace: "shop", name: "a" };
    expect(metricNamespace({ target }, "all")).toBe("shop");
    expect(metricNamespace({ alert: { labels: { namespace: "pay" } } }, "all")).toBe("pay");
    expect(metricNamespace({}, "ops")).toBe("ops");
    expect(metricNamespace({}, undefined)).toBeUndefined();
  });
});

describe("metricInputs", () => {
  it("asks the AgentConfig's Prometheus with its timeoutSeconds; what times out is an evidence gap", async () => {
    let asked = 0;
    const server = createServer(() => void asked++); // never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const config = {
        apiVersion: "aisre.io/v1alpha1",
        kind: "AgentConfig",
        metadata: { name: "default", namespace: "shop" },
        spec: { tools: { prometheus: { url, timeoutSeconds: 1 } } },
      } satisfies AgentConfig;
      const { metrics } = await metricInputs(config, {}, "shop");
      expect(asked).toBeGreaterThan(0);
      expect(metrics?.gaps.join("\n")).toContain(
        `Prometheus at ${url}/ unreachable: no answer within 1000 ms`,
      );
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("reads nothing without tools.prometheus.url", async () => {
    expect(await metricInputs(undefined, {}, "shop")).toEqual({});
  });
});
