// `aisre capacity` against a real Prometheus holding 14 days of backfilled history: volumes,
// a namespace quota and a node pool filling at known rates, and a volume that does not grow.
// The CLI is driven exactly as a user runs it.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { counter, gauge, openMetrics } from "../support/metric-history.ts";
import { usePrometheus } from "../support/prometheus.ts";

const run = promisify(execFile);
const GiB = 2 ** 30;
const DAY = 86_400;
const END = Math.floor(Date.now() / 1000 / 300) * 300 - 300;
const W = { endSeconds: END, spanSeconds: 14 * DAY, stepSeconds: 300 };
// A mid-afternoon daily peak of `amp` above the level.
const daily = (ago: number, amp: number) =>
  amp * Math.max(0, Math.cos(((((END - ago) % DAY) / 3600 - 14) / 24) * 2 * Math.PI));

// The orders volume: 20 GiB 14 days ago, +1 GiB a day, 1 GiB daily swing, 50 GiB capacity:
// today's peak is 35 GiB, so the peak reaches 50 GiB in about 15 days.
const ordersUsed = (ago: number) => (20 + (14 * DAY - ago) / DAY) * GiB + daily(ago, 1) * GiB;
const pvc = (name: string) => ({ namespace: "shop", persistentvolumeclaim: name });
const MiB = 2 ** 20;
const api = { namespace: "shop", pod: "api-7d9f8b6c5d-x2k4q", container: "api" };

function history(): string {
  const series = [
    gauge("kubelet_volume_stats_used_bytes", pvc("data-orders-db-0"), ordersUsed),
    gauge("kubelet_volume_stats_capacity_bytes", pvc("data-orders-db-0"), () => 50 * GiB),
    gauge("kubelet_volume_stats_used_bytes", pvc("cache"), (ago) => 5 * GiB + daily(ago, 0.5) * GiB),
    gauge("kubelet_volume_stats_capacity_bytes", pvc("cache"), () => 50 * GiB),
    gauge(
      "kube_resourcequota",
      { namespace: "shop", resource: "requests.memory", type: "used" },
      (ago) => (8 + (0.25 * (14 * DAY - ago)) / DAY) * GiB,
    ),
    gauge(
      "kube_resourcequota",
      { namespace: "shop", resource: "requests.memory", type: "hard" },
      () => 16 * GiB,
    ),
    gauge("kube_node_labels", { node: "n1", label_karpenter_sh_nodepool: "general" }, () => 1),
    gauge("kube_node_status_allocatable", { node: "n1", resource: "memory" }, () => 64 * GiB),
    gauge(
      "kube_pod_container_resource_requests",
      { node: "n1", namespace: "shop", pod: "a", container: "a", resource: "memory" },
      (ago) => (30 + (14 * DAY - ago) / DAY) * GiB,
    ),
    // The quota's workload: asks for 1 core and 2 GiB, uses 0.1 core and at most 400 MiB.
    counter("container_cpu_usage_seconds_total", { ...api, node: "n1" }, 0.1, W),
    gauge(
      "container_memory_working_set_bytes",
      { ...api, node: "n1" },
      (ago) => 300 * MiB + daily(ago, 100 * MiB),
    ),
    gauge("kube_pod_container_resource_requests", { ...api, node: "n1", resource: "cpu" }, () => 1),
    gauge("kube_pod_container_resource_requests", { ...api, node: "n1", resource: "memory" }, () => 2 * GiB),
  ];
  return openMetrics(series, W);
}

interface Item {
  scope: string;
  key: string;
  resource: string;
  forecast?: { daysToExhaustion: number | null; band: { earliest: number | null; latest: number | null } };
}

describe("aisre capacity on Prometheus", () => {
  const prom = usePrometheus({ history });

  async function capacity(...args: string[]) {
    return run(process.execPath, ["bin/aisre.mjs", "capacity", "--prometheus", prom.current!.url, ...args], {
      timeout: 60_000,
    });
  }

  it("forecasts the growing volume, quota and node pool, and not the flat volume", async (t) => {
    if (prom.missing) return t.skip();
    const report = JSON.parse((await capacity("-o", "json")).stdout) as { items: Item[]; gaps: string[] };
    expect(report.gaps).toEqual([]);
    const find = (scope: string, key: string) => report.items.find((i) => i.scope === scope && i.key === key);
    const orders = find("volume", "shop/data-orders-db-0")!.forecast!;
    expect(orders.daysToExhaustion).toBeGreaterThanOrEqual(13);
    expect(orders.daysToExhaustion).toBeLessThanOrEqual(17);
    expect(orders.band.earliest!).toBeLessThanOrEqual(orders.daysToExhaustion!);
    expect(find("volume", "shop/cache")!.forecast!.daysToExhaustion).toBeNull();
    // Quota: 11.5 GiB of 16 today at +0.25 GiB a day: about 18 days.
    const quota = find("namespace", "shop/requests.memory")!.forecast!;
    expect(quota.daysToExhaustion).toBeGreaterThanOrEqual(16);
    expect(quota.daysToExhaustion).toBeLessThanOrEqual(20);
    // Node pool "general": 44 GiB for pod a plus api's 2 GiB, 46 of 64 GiB requested at +1 GiB a
    // day: about 18 days (17 or 18 by the time of day the run starts at).
    const pool = find("nodePool", "general")!.forecast!;
    expect(pool.daysToExhaustion).toBeGreaterThanOrEqual(16);
    expect(pool.daysToExhaustion).toBeLessThanOrEqual(20);
    // Soonest first.
    expect(report.items[0]!.key).toBe("shop/data-orders-db-0");
  });

  it("prints a table soonest first and honours --horizon", async (t) => {
    if (prom.missing) return t.skip();
    const all = (await capacity()).stdout.split("\n");
    expect(all[0]).toMatch(/^SCOPE\s+KEY\s+RESOURCE\s+MEASURE\s+USED\s+EXHAUSTED IN$/);
    expect(all[1]).toMatch(/^volume\s+shop\/data-orders-db-0\s+storage\s+usage\s+\d+%\s+1\dd \(\d+–\d+\)$/);
    expect(all.some((l) => /shop\/cache .*not growing/.test(l))).toBe(true);
    const soon = (await capacity("--horizon", "16")).stdout;
    expect(soon).toContain("shop/data-orders-db-0");
    expect(soon).not.toContain("general");
  });

  it("shows right-sizing next to the quota forecast: requests from usage, not from what is asked", async (t) => {
    if (prom.missing) return t.skip();
    const report = JSON.parse((await capacity("-o", "json")).stdout) as {
      rightSizing: Array<{
        kind: string;
        name: string;
        container: string;
        current: { cpuCores: number; memoryBytes: number };
        recommended: { cpuRequestCores: number; memoryRequestBytes: number; memoryLimitBytes: number };
        excess: { memoryBytes: number };
      }>;
    };
    const w = report.rightSizing.find((r) => r.name === "api")!;
    expect(w).toMatchObject({
      kind: "Deployment",
      container: "api",
      current: { cpuCores: 1, memoryBytes: 2 * GiB },
    });
    expect(w.recommended.cpuRequestCores).toBeGreaterThan(0.08);
    expect(w.recommended.cpuRequestCores).toBeLessThan(0.12);
    // Peak 400 MiB plus 15 %.
    expect(w.recommended.memoryRequestBytes / MiB).toBeGreaterThan(440);
    expect(w.recommended.memoryRequestBytes / MiB).toBeLessThan(480);
    expect(w.recommended.memoryLimitBytes).toBe(w.recommended.memoryRequestBytes);
    expect(w.excess.memoryBytes).toBe(2 * GiB - w.recommended.memoryRequestBytes);
    const text = (await capacity()).stdout;
    expect(text).toMatch(/^shop\s+Deployment\/api\s+api\s+1000m → \d+m\s+2048Mi → 4\d\dMi\s+4\d\dMi$/m);
  });

  it("refuses bad usage with exit 2 naming the flag", async () => {
    const err = await run(process.execPath, [
      "bin/aisre.mjs",
      "capacity",
      "--prometheus",
      "http://x",
      "--days",
      "0",
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toContain("--days must be a whole number of days");
  });
});
