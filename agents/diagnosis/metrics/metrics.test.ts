import { describe, expect, it } from "vitest";
import { diagnose } from "../diagnose.ts";
import { deployment, NOW, pod, viewOf } from "../fixtures/builders.ts";
import type { K8sObject } from "../k8s.ts";
import { analyzeMetrics, noMetrics } from "./index.ts";
import type { MetricEvidence } from "./types.ts";

const NS = "shop";
const limits = (cpu: string, memory: string) => ({
  containers: [{ name: "app", image: "checkout:1.0", resources: { limits: { cpu, memory } } }],
});
const healthy = (name: string, idx = 0) =>
  pod(NS, name, { state: { running: {} } }, { ready: true, idx, spec: limits("500m", "512Mi") });
const podName = (name: string, idx = 0) => `${name}-abc12-p${idx}xyz`;

function evidence(extra: Partial<MetricEvidence>): MetricEvidence {
  return { ...noMetrics(NOW), ...extra };
}

/** Memory points over the last hour, one per minute, from `from` growing by `perMin` bytes. */
function memorySeries(from: number, perMin: number, noise = 0) {
  const end = NOW / 1000;
  return Array.from(
    { length: 61 },
    (_, i) => [end - (60 - i) * 60, from + perMin * i + (i % 2 ? noise : -noise)] as [number, number],
  );
}

const MI = 1024 ** 2;
const objects: K8sObject[] = [
  ...deployment(NS, "checkout"),
  healthy("checkout", 0),
  healthy("checkout", 1),
  ...deployment(NS, "cart"),
  healthy("cart"),
];

describe("metric analyzers", () => {
  it("finds a high 5xx ratio and names the workload, worst pod first", () => {
    const m = evidence({
      requests: [
        {
          namespace: NS,
          pod: podName("checkout", 0),
          totalPerSecond: 20,
          errorsPerSecond: 12,
          metric: "http_requests_total",
        },
        {
          namespace: NS,
          pod: podName("checkout", 1),
          totalPerSecond: 20,
          errorsPerSecond: 2,
          metric: "http_requests_total",
        },
        {
          namespace: NS,
          pod: podName("cart"),
          totalPerSecond: 30,
          errorsPerSecond: 0.3,
          metric: "http_requests_total",
        },
      ],
    });
    const r = diagnose(viewOf(objects), {}, { metrics: m });
    expect(r.rootCause?.category).toBe("HighErrorRate");
    expect(r.rootCause?.resource).toEqual({ kind: "Deployment", namespace: NS, name: "checkout" });
    expect(r.rootCause?.summary).toContain("60%");
    const f = r.findings.find((x) => x.category === "HighErrorRate")!;
    expect(f.severity).toBe("critical");
    expect(f.evidence[0]).toContain(podName("checkout", 0));
    expect(r.findings.some((x) => x.resource.name.startsWith("cart"))).toBe(false);
  });

  it("ignores error ratios at negligible traffic and stale pods", () => {
    const m = evidence({
      requests: [
        {
          namespace: NS,
          pod: podName("cart"),
          totalPerSecond: 0.01,
          errorsPerSecond: 0.01,
          metric: "http_requests_total",
        },
        {
          namespace: NS,
          pod: "gone-abc12-zzzzz",
          totalPerSecond: 50,
          errorsPerSecond: 50,
          metric: "http_requests_total",
        },
      ],
    });
    expect(diagnose(viewOf(objects), {}, { metrics: m }).rootCause).toBeNull();
  });

  it("explains slow answers by CPU throttling of the same workload and proposes a higher limit", () => {
    const m = evidence({
      latencyP99: [
        { namespace: NS, pod: podName("checkout"), value: 2.5, metric: "http_request_duration_seconds" },
      ],
      throttling: [{ namespace: NS, pod: podName("checkout"), container: "app", value: 0.62 }],
    });
    const r = diagnose(viewOf(objects), {}, { metrics: m });
    expect(r.rootCause?.category).toBe("CPUThrottling");
    expect(r.rootCause?.summary).toContain("62%");
    expect(r.rootCause?.summary).toContain("500m");
    const set = r.recommendations.find((x) => x.action === "SetResources");
    expect(set?.params).toEqual({ container: "app", cpu: "1" });
    const latency = r.findings.find((x) => x.category === "HighLatency")!;
    expect(latency.evidence.some((e) => e.startsWith("explained by CPUThrottling"))).toBe(true);
  });

  it("reports latency alone when nothing explains it", () => {
    const m = evidence({
      latencyP99: [
        { namespace: NS, pod: podName("cart"), value: 1.8, metric: "http_server_requests_seconds" },
      ],
    });
    const r = diagnose(viewOf(objects), {}, { metrics: m });
    expect(r.rootCause?.category).toBe("HighLatency");
    expect(r.rootCause?.resource.name).toBe("cart");
  });

  it("forecasts a steady leak toward the memory limit", () => {
    // 200Mi now growing 4Mi/min (r² ~1) → 512Mi in about 78 minutes.
    const points = memorySeries(200 * MI - 60 * 4 * MI, 4 * MI, 2 * MI);
    const m = evidence({ memory: [{ namespace: NS, pod: podName("checkout"), container: "app", points }] });
    const r = diagnose(viewOf(objects), {}, { metrics: m });
    expect(r.rootCause?.category).toBe("MemoryLeak");
    expect(r.rootCause?.summary).toMatch(/reaches its 512Mi limit in about 1h \d+m/);
    expect(r.recommendations.map((x) => x.action)).toContain("RolloutRestart");
  });

  it("does not call a flat or noisy working set a leak", () => {
    const flat = memorySeries(300 * MI, 0, 40 * MI);
    const slowGrowth = memorySeries(100 * MI, 0.05 * MI); // 3Mi in an hour: under 10% of the limit
    const m = evidence({
      memory: [
        { namespace: NS, pod: podName("checkout"), container: "app", points: flat },
        { namespace: NS, pod: podName("cart"), container: "app", points: slowGrowth },
      ],
    });
    expect(analyzeMetrics(viewOf(objects), m)).toEqual([]);
  });

  it("uses only the history since the last restart", () => {
    const before = memorySeries(100 * MI, 6 * MI).slice(0, 30);
    const after = memorySeries(50 * MI, 0.01 * MI).slice(30);
    const m = evidence({
      memory: [{ namespace: NS, pod: podName("checkout"), container: "app", points: [...before, ...after] }],
    });
    expect(analyzeMetrics(viewOf(objects), m)).toEqual([]);
  });

  it("forecasts a volume filling within a day as critical, with its pods", () => {
    const end = NOW / 1000;
    const gib = 1024 ** 3;
    // 20Gi volume at 17Gi, +0.5Gi/h → full in 6h.
    const points = Array.from(
      { length: 73 },
      (_, i) => [end - (72 - i) * 300, 14 * gib + (i * gib) / 24] as [number, number],
    );
    const withPvc: K8sObject[] = [
      ...objects,
      pod(
        NS,
        "db",
        { state: { running: {} } },
        {
          ready: true,
          spec: { volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data-db-0" } }] },
        },
      ),
    ];
    const m = evidence({ volumes: [{ namespace: NS, claim: "data-db-0", capacityBytes: 20 * gib, points }] });
    const r = diagnose(viewOf(withPvc), {}, { metrics: m });
    expect(r.rootCause?.category).toBe("DiskFillForecast");
    expect(r.rootCause?.resource).toEqual({
      kind: "PersistentVolumeClaim",
      namespace: NS,
      name: "data-db-0",
    });
    expect(r.rootCause?.summary).toMatch(/fills up in about 6h/);
    expect(r.findings[0]!.severity).toBe("critical");
    expect(r.findings[0]!.evidence.join(" ")).toContain("db-abc12");
  });

  it("leaves a slowly growing, mostly empty volume alone", () => {
    const end = NOW / 1000;
    const gib = 1024 ** 3;
    const points = Array.from(
      { length: 73 },
      (_, i) => [end - (72 - i) * 300, 2 * gib + (i * gib) / 100] as [number, number],
    );
    const m = evidence({ volumes: [{ namespace: NS, claim: "logs", capacityBytes: 100 * gib, points }] });
    expect(analyzeMetrics(viewOf(objects), m)).toEqual([]);
  });

  it("lets a crashing workload's own cause explain its 5xx", () => {
    const crashing = pod(NS, "checkout", {
      state: { waiting: { reason: "CrashLoopBackOff" } },
      lastState: { terminated: { exitCode: 1, reason: "Error" } },
      restartCount: 9,
    });
    const m = evidence({
      requests: [
        {
          namespace: NS,
          pod: podName("checkout"),
          totalPerSecond: 10,
          errorsPerSecond: 9,
          metric: "http_requests_total",
        },
      ],
    });
    const r = diagnose(viewOf([...deployment(NS, "checkout"), crashing]), {}, { metrics: m });
    expect(r.rootCause?.category).toBe("CrashLoop");
    const symptom = r.findings.find((x) => x.category === "HighErrorRate");
    expect(symptom?.evidence.at(-1)).toMatch(/^explained by CrashLoop/);
  });

  it("reports evidence gaps without inventing a cause", () => {
    const r = diagnose(
      viewOf(objects),
      {},
      { metrics: evidence({ gaps: ["MemoryLeak not checked: timeout"] }) },
    );
    expect(r.rootCause).toBeNull();
    expect(r.evidenceGaps).toEqual(["MemoryLeak not checked: timeout"]);
  });
});
