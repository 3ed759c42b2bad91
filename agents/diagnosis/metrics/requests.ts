/** HighErrorRate and HighLatency: what the pods' HTTP metrics say about the service they serve. */
import type { Fault } from "../fault.ts";
import type { ClusterView } from "../view.ts";
import type { PodVerdict } from "./group.ts";
import { faultsPerWorkload, percent, podOf, short } from "./group.ts";
import type { Thresholds } from "./thresholds.ts";
import type { MetricEvidence } from "./types.ts";

/** Workloads whose pods answer too many requests with 5xx. */
export function analyzeErrorRates(view: ClusterView, m: MetricEvidence, t: Thresholds): Fault[] {
  const verdicts: PodVerdict[] = [];
  for (const r of m.requests) {
    const pod = podOf(view, r.namespace, r.pod);
    if (!pod || r.totalPerSecond < t.minRequestsPerSecond) continue;
    const ratio = Math.min(1, r.errorsPerSecond / r.totalPerSecond);
    if (ratio < t.errorRatioWarning) continue;
    const rates = `${short(r.errorsPerSecond)} of ${short(r.totalPerSecond)} req/s`;
    verdicts.push({
      pod,
      severity: ratio >= t.errorRatioCritical ? "critical" : "warning",
      badness: ratio,
      message: (w) =>
        `${w} answers ${percent(ratio)} of its requests with 5xx errors (${rates} on pod ${r.pod})`,
      evidence: `pod ${r.pod}: ${rates} answered 5xx over ${t.rateWindow} (${r.metric}); threshold ${percent(t.errorRatioWarning)}`,
      facts: { detail: `${percent(ratio)} 5xx` },
      strength: Math.min(1, 0.5 + ratio),
    });
  }
  return faultsPerWorkload(view, "HighErrorRate", verdicts);
}

/** Workloads whose pods answer slower than the latency threshold at p99. */
export function analyzeLatency(view: ClusterView, m: MetricEvidence, t: Thresholds): Fault[] {
  const verdicts: PodVerdict[] = [];
  for (const s of m.latencyP99) {
    const pod = podOf(view, s.namespace, s.pod);
    if (!pod || s.value < t.latencyP99WarningSeconds) continue;
    verdicts.push({
      pod,
      severity: s.value >= t.latencyP99CriticalSeconds ? "critical" : "warning",
      badness: s.value,
      message: (w) =>
        `${w} answers slowly: p99 latency ${short(s.value)} s over ${t.rateWindow} on pod ${s.pod} (threshold ${t.latencyP99WarningSeconds} s)`,
      evidence: `pod ${s.pod}: p99 ${short(s.value)} s over ${t.rateWindow} (${s.metric}_bucket)`,
      facts: { detail: `p99 ${short(s.value)} s` },
      strength: Math.min(1, 0.5 + s.value / (4 * t.latencyP99CriticalSeconds)),
    });
  }
  return faultsPerWorkload(view, "HighLatency", verdicts);
}
