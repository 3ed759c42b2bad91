/** CPUThrottling and MemoryLeak: containers held back by, or growing toward, their limits. */
import type { Fault } from "../fault.ts";
import type { Pod } from "../k8s.ts";
import { formatBytes, parseQuantity } from "../quantity.ts";
import type { ClusterView } from "../view.ts";
import type { PodVerdict } from "./group.ts";
import { faultsPerWorkload, percent, podOf, short } from "./group.ts";
import type { Thresholds } from "./thresholds.ts";
import { humanDuration, linearTrend, secondsUntil, sinceLastReset } from "./trend.ts";
import type { ContainerSeries, MetricEvidence } from "./types.ts";

function limitOf(pod: Pod, container: string, resource: "cpu" | "memory"): string | undefined {
  const c = pod.spec?.containers?.find((x) => x.name === container);
  const q = c?.resources?.limits?.[resource];
  return q === undefined ? undefined : String(q);
}

/** Twice the CPU limit, in millicores ("500m" → "1"; "1500m" → "3"). */
export function proposeCpu(limit: string | undefined): string | undefined {
  const cores = parseQuantity(limit);
  if (cores === undefined || cores <= 0) return undefined;
  const milli = Math.ceil((cores * 2000) / 100) * 100;
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Containers throttled in a large share of their CFS periods. */
export function analyzeThrottling(view: ClusterView, m: MetricEvidence, t: Thresholds): Fault[] {
  const verdicts: PodVerdict[] = [];
  for (const s of m.throttling) {
    const pod = podOf(view, s.namespace, s.pod);
    if (!pod || s.value < t.throttledShareWarning) continue;
    const limit = limitOf(pod, s.container, "cpu");
    const at = limit ? ` at its ${limit} CPU limit` : "";
    const proposedCpu = proposeCpu(limit);
    verdicts.push({
      pod,
      severity: s.value >= t.throttledShareCritical ? "critical" : "warning",
      badness: s.value,
      message: (w) =>
        `${w} (container ${s.container}) is CPU-throttled in ${percent(s.value)} of its CFS periods${at}`,
      evidence: `pod ${s.pod} container ${s.container}: throttled in ${percent(s.value)} of CFS periods over ${t.rateWindow} (container_cpu_cfs_throttled_periods_total); threshold ${percent(t.throttledShareWarning)}${limit ? `; limits.cpu=${limit}` : ""}`,
      facts: {
        container: s.container,
        ...(limit ? { cpuLimit: limit } : {}),
        ...(proposedCpu ? { proposedCpu } : {}),
      },
      strength: Math.min(1, 0.4 + s.value / 2),
    });
  }
  return faultsPerWorkload(view, "CPUThrottling", verdicts);
}

function leakVerdict(pod: Pod, s: ContainerSeries, at: number, t: Thresholds): PodVerdict | undefined {
  const points = sinceLastReset(s.points);
  const minPoints = Math.max(5, Math.floor(t.memoryWindowSeconds / t.memoryStepSeconds / 4));
  const trend = linearTrend(points);
  if (!trend || points.length < minPoints || trend.slope <= 0 || trend.r2 < t.memoryMinR2) return undefined;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const growth = trend.slope * (last[0] - first[0]);
  const perHour = `${formatBytes(trend.slope * 3600)}/h`;
  const fit = `r²=${short(trend.r2)} over ${humanDuration(last[0] - first[0])}`;
  const limitText = limitOf(pod, s.container, "memory");
  const limit = parseQuantity(limitText);
  const base = {
    pod,
    facts: { container: s.container, ...(limitText ? { memoryLimit: limitText } : {}) },
    strength: Math.min(1, 0.3 + trend.r2 / 2),
  };
  const evidence = (tail: string) =>
    `pod ${s.pod} container ${s.container}: working set ${formatBytes(first[1])} → ${formatBytes(last[1])}, +${perHour} (${fit}); ${tail}`;
  if (limit === undefined) {
    if (first[1] <= 0 || last[1] / first[1] < t.memoryUnlimitedGrowthFactor) return undefined;
    return {
      ...base,
      facts: { ...base.facts, detail: `+${perHour} with no memory limit` },
      severity: "warning",
      badness: last[1] / first[1],
      message: (w) =>
        `${w} (container ${s.container}) memory grows steadily by ${perHour} with no memory limit: a leak that ends in node memory pressure`,
      evidence: evidence("no limits.memory"),
    };
  }
  const eta = secondsUntil(trend, limit, at / 1000);
  if (growth < t.memoryMinGrowthOfLimit * limit || eta === undefined || eta > t.memoryHorizonSeconds)
    return undefined;
  return {
    ...base,
    facts: { ...base.facts, detail: `+${perHour}, at the limit in ~${humanDuration(eta)}` },
    severity: eta <= t.memoryCriticalSeconds ? "critical" : "warning",
    badness: 1 / (1 + eta),
    message: (w) =>
      `${w} (container ${s.container}) memory grows steadily by ${perHour} and reaches its ${limitText} limit in about ${humanDuration(eta)}`,
    evidence: evidence(`limits.memory=${limitText}, OOM kill expected in ~${humanDuration(eta)}`),
  };
}

/** Containers whose memory grows steadily toward their limit (or without one). */
export function analyzeMemoryLeaks(view: ClusterView, m: MetricEvidence, t: Thresholds): Fault[] {
  const verdicts: PodVerdict[] = [];
  for (const s of m.memory) {
    const pod = podOf(view, s.namespace, s.pod);
    const v = pod ? leakVerdict(pod, s, m.at, t) : undefined;
    if (v) verdicts.push(v);
  }
  return faultsPerWorkload(view, "MemoryLeak", verdicts);
}
