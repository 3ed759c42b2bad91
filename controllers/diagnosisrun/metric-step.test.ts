import { describe, expect, it } from "vitest";
import { metricNamespace, thresholdsOf } from "./metric-step.ts";

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
