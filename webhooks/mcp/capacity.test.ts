import { describe, expect, it } from "vitest";
import type { CapacityAnswers } from "./capacity.ts";
import {
  CAPACITY_METRICS,
  MAX_WORKLOADS,
  capacityQueries,
  presenceQuery,
  renderCapacity,
  resolutionSeconds,
  shapeCapacity,
} from "./capacity.ts";

const MI = 1024 ** 2;
const ALL = Object.values(CAPACITY_METRICS);
const scope = { namespace: "shop", windowHours: 6 };
const answers = (per: Record<string, Record<string, number>>): CapacityAnswers =>
  Object.fromEntries(Object.entries(per).map(([q, m]) => [q, new Map(Object.entries(m))]));

describe("capacity queries", () => {
  it("hold every selector to the namespace, and the workload's pods when one is named", () => {
    for (const q of [...Object.values(capacityQueries(scope)), presenceQuery("shop")]) {
      const selectors = [...q.replace(/, "workload".*?"\)\)/g, "").matchAll(/\{([^}]*)\}/g)].map(
        (m) => m[1]!,
      );
      expect(selectors.length, q).toBeGreaterThan(0);
      for (const s of selectors) expect(s.split(","), q).toContain('namespace="shop"');
    }
    // The metric names themselves appear only inside namespaced selectors.
    for (const m of Object.values(CAPACITY_METRICS))
      for (const q of Object.values(capacityQueries(scope)))
        expect(
          q
            .split(m)
            .slice(1)
            .every((rest) => rest.startsWith("{")),
        ).toBe(true);
    const one = capacityQueries({ ...scope, workload: "web.v2" });
    expect(one.cpuP95).toContain('pod=~"web\\.v2(-.+)?"');
    expect(one.memPerHour).toMatch(/deriv\(\(sum by \(pod\).*\)\[6h:60s\]\) \* 3600/);
  });

  it("bound the series and the subquery points", () => {
    for (const q of Object.values(capacityQueries(scope)))
      expect(q).toMatch(new RegExp(`^topk\\(${MAX_WORKLOADS + 1},`));
    expect(resolutionSeconds(1)).toBe(60);
    expect(resolutionSeconds(168)).toBe(1680);
  });
});

describe("the capacity view", () => {
  it("computes headroom, shares of the limit and the hours left at the memory trend", () => {
    const view = shapeCapacity(
      scope,
      answers({
        pods: { api: 2 },
        cpuRequest: { api: 0.5 },
        cpuLimit: { api: 1 },
        cpuP95: { api: 0.6 },
        memLimit: { api: 512 * MI },
        memP95: { api: 400 * MI },
        memNow: { api: 412 * MI },
        memPerHour: { api: 50 * MI },
      }),
      ALL,
    );
    expect(view.missing).toEqual([]);
    const [api] = view.workloads;
    expect(api!.cpu).toEqual({
      requestCores: 0.5,
      limitCores: 1,
      p95Cores: 0.6,
      headroomToRequestCores: -0.1,
      p95OfLimitPercent: 60,
    });
    expect(api!.memory).toMatchObject({
      requestBytes: null,
      headroomToLimitBytes: 112 * MI,
      p95OfLimitPercent: 78.1,
      hoursToLimit: 2,
    });
    expect(renderCapacity(view)).toMatch(/api: CPU p95 0.6 of request 0.5 \/ limit 1 cores.*limit in ~2 h/);
  });

  it("names the metrics Prometheus lacks and invents no number for them", () => {
    const view = shapeCapacity(
      scope,
      answers({ cpuP95: { api: 0.2 }, memP95: { api: 100 * MI }, memPerHour: { api: -3 } }),
      [CAPACITY_METRICS.cpu, CAPACITY_METRICS.memory],
    );
    expect(view.missing).toEqual([CAPACITY_METRICS.requests, CAPACITY_METRICS.limits]);
    expect(view.notes[0]).toContain("kube_pod_container_resource_requests");
    const [api] = view.workloads;
    expect(api!.cpu.headroomToRequestCores).toBeNull();
    expect(api!.memory.p95OfLimitPercent).toBeNull();
    expect(api!.memory.hoursToLimit).toBeNull();
    expect(renderCapacity(view)).toContain("of limit n/a");
  });

  it("keeps only the named workload, says when nothing matched, and truncates past the bound", () => {
    const many = Object.fromEntries(Array.from({ length: MAX_WORKLOADS + 3 }, (_, i) => [`w${i}`, 1]));
    const all = shapeCapacity(scope, answers({ pods: many }), ALL);
    expect(all.workloads).toHaveLength(MAX_WORKLOADS);
    expect(all.truncated).toBe(3);
    const one = shapeCapacity({ ...scope, workload: "w1" }, answers({ pods: many }), ALL);
    expect(one.workloads.map((w) => w.workload)).toEqual(["w1"]);
    const none = shapeCapacity({ ...scope, workload: "nope" }, answers({ pods: many }), ALL);
    expect(none.workloads).toEqual([]);
    expect(none.notes).toEqual(["No series of workload nope in namespace shop."]);
  });
});
