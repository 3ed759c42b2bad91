import { describe, expect, it } from "vitest";
import { diagnose } from "../../agents/diagnosis/diagnose.ts";
import { deployment, pod } from "../../agents/diagnosis/fixtures/builders.ts";
import { collectMetrics } from "../../agents/diagnosis/metrics/index.ts";
import { MemoryView } from "../../agents/diagnosis/view.ts";
import { PrometheusClient } from "../../tools/prometheus/client.ts";
import { cfs, latency, recentWindow, requests, volume, workingSet } from "../support/incident-metrics.ts";
import { openMetrics } from "../support/metric-history.ts";
import { usePrometheus } from "../support/prometheus.ts";

const NS = "shop";
const podName = (app: string) => `${app}-abc12-p0xyz`;
const at = (app: string, ns = NS) => ({ namespace: ns, pod: podName(app) });
const app = (name: string) => ({ ...at(name), container: "app" });

function history(): string {
  const w = recentWindow();
  return openMetrics(
    [
      ...requests(at("checkout"), 20, 0.6, w),
      ...latency(at("checkout"), true, w),
      ...requests(at("cart"), 30, 0.001, w),
      ...latency(at("cart"), false, w),
      ...cfs(app("search"), 0.6, w),
      ...cfs(app("cart"), 0.01, w),
      workingSet(app("api"), 400, 120),
      workingSet(app("cart"), 300, 0),
      ...volume({ namespace: NS, persistentvolumeclaim: "data-db-0" }, 20, 17, 0.5),
      ...volume({ namespace: NS, persistentvolumeclaim: "logs" }, 100, 10, 0.01),
      // Another team's outage must not leak into a diagnosis of shop.
      ...requests(at("billing", "finance"), 20, 0.9, w),
    ],
    w,
  );
}

function shopView(): MemoryView {
  const limits = {
    containers: [{ name: "app", image: "x:1", resources: { limits: { cpu: "500m", memory: "512Mi" } } }],
  };
  const running = { state: { running: {} } };
  const objects = ["checkout", "cart", "search", "api"].flatMap((name) => [
    ...deployment(NS, name),
    pod(NS, name, running, { ready: true, spec: limits }),
  ]);
  objects.push(
    pod(NS, "db", running, {
      ready: true,
      spec: { ...limits, volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data-db-0" } }] },
    }),
  );
  return new MemoryView(objects);
}

describe("metric evidence from Debian's Prometheus with backfilled history", () => {
  const prom = usePrometheus({ history });

  it("collects request, latency, throttling, memory and volume evidence of one namespace", async (ctx) => {
    if (!prom.current) return ctx.skip();
    const m = await collectMetrics(new PrometheusClient(prom.current.url), { namespace: NS });
    expect(m.gaps).toEqual([]);
    const checkout = m.requests.find((r) => r.pod === podName("checkout"))!;
    expect(checkout.errorsPerSecond / checkout.totalPerSecond).toBeCloseTo(0.6, 1);
    expect(m.requests.some((r) => r.namespace !== NS)).toBe(false);
    const p99 = m.latencyP99.find((s) => s.pod === podName("checkout"))!.value;
    expect(p99).toBeGreaterThan(2.5);
    expect(p99).toBeLessThanOrEqual(5);
    expect(m.throttling.find((s) => s.pod === podName("search"))!.value).toBeCloseTo(0.6, 1);
    expect(m.memory.find((s) => s.pod === podName("api"))!.points.length).toBeGreaterThan(50);
    expect(m.volumes.find((v) => v.claim === "data-db-0")!.capacityBytes).toBe(20 * 1024 ** 3);
  });

  it("diagnoses each metric category on the right workload or claim", async (ctx) => {
    if (!prom.current) return ctx.skip();
    const m = await collectMetrics(new PrometheusClient(prom.current.url), { namespace: NS });
    const r = diagnose(shopView(), {}, { metrics: m });
    const found = new Map(r.findings.map((f) => [`${f.category} ${f.resource.name}`, f]));
    expect([...found.keys()].sort()).toEqual(
      [
        `HighErrorRate ${podName("checkout")}`,
        `HighLatency ${podName("checkout")}`,
        `CPUThrottling ${podName("search")}`,
        `MemoryLeak ${podName("api")}`,
        "DiskFillForecast data-db-0",
      ].sort(),
    );
    // With no alert, the critical forecasts compete and the deeper layer (storage) wins.
    expect(r.rootCause?.category).toBe("DiskFillForecast");
    expect(r.rootCause?.summary).toMatch(/^PVC data-db-0 fills up in about 6h/);
    const focusOn = (name: string) => {
      const target = { kind: "Deployment", namespace: NS, name };
      const root = diagnose(shopView(), { target }, { metrics: m }).rootCause!;
      return `${root.category} ${root.resource.kind}/${root.resource.name}`;
    };
    expect(focusOn("checkout")).toBe("HighErrorRate Deployment/checkout");
    expect(focusOn("api")).toBe("MemoryLeak Deployment/api");
    expect(focusOn("search")).toBe("CPUThrottling Deployment/search");
    // Healthy series (cart: 0.1 % errors, fast, 1 % throttled, flat memory; a slowly filling
    // volume with 90 % free) raise nothing.
    expect(r.findings.some((f) => f.resource.name.startsWith("cart") || f.resource.name === "logs")).toBe(
      false,
    );
  });

  it("turns an unreachable Prometheus into one evidence gap naming every unchecked category", async () => {
    const m = await collectMetrics(new PrometheusClient("http://127.0.0.1:9", 1_000), { namespace: NS });
    expect(m.gaps).toHaveLength(1);
    expect(m.gaps[0]).toMatch(
      /^HighErrorRate, HighLatency, CPUThrottling, MemoryLeak, DiskFillForecast not checked: Prometheus at http:\/\/127\.0\.0\.1:9\/ unreachable/,
    );
    expect(diagnose(shopView(), {}, { metrics: m }).evidenceGaps).toEqual(m.gaps);
  });
});
