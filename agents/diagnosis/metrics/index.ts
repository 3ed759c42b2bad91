/**
 * The metric analyzers (docs/diagnosis.md §3, metric categories): pure functions over the
 * MetricEvidence collect.ts fetched from Prometheus before the engine runs.
 */
import type { Fault } from "../fault.ts";
import { refKey } from "../refs.ts";
import type { Category } from "../types.ts";
import type { ClusterView } from "../view.ts";
import { analyzeErrorRates, analyzeLatency } from "./requests.ts";
import { analyzeMemoryLeaks, analyzeThrottling } from "./resources.ts";
import type { Thresholds } from "./thresholds.ts";
import { THRESHOLDS } from "./thresholds.ts";
import type { MetricEvidence } from "./types.ts";
import { analyzeVolumes } from "./volumes.ts";

export { collectMetrics } from "./collect.ts";
export type { MetricScope, MetricSource } from "./collect.ts";
export { THRESHOLDS } from "./thresholds.ts";
export type { Thresholds } from "./thresholds.ts";
export { noMetrics } from "./types.ts";
export type { MetricEvidence } from "./types.ts";

/** Every metric fault the evidence shows. */
export function analyzeMetrics(
  view: ClusterView,
  evidence: MetricEvidence,
  thresholds: Partial<Thresholds> = {},
): Fault[] {
  const t: Thresholds = { ...THRESHOLDS, ...thresholds };
  return [
    ...analyzeErrorRates(view, evidence, t),
    ...analyzeLatency(view, evidence, t),
    ...analyzeThrottling(view, evidence, t),
    ...analyzeMemoryLeaks(view, evidence, t),
    ...analyzeVolumes(view, evidence, t),
  ];
}

/** Symptoms a person sees from outside: errors and latency of the service a workload serves. */
const SYMPTOMS: readonly Category[] = ["HighErrorRate", "HighLatency"];
const METRIC: readonly Category[] = [...SYMPTOMS, "CPUThrottling", "MemoryLeak", "DiskFillForecast"];

/**
 * Marks request symptoms as explained when the same workload has a deeper fault: any
 * structural fault (its pods crash, are OOMKilled...), or CPU throttling for latency.
 * The symptom stays a finding; the explanation becomes the root cause.
 */
export function absorbSymptoms(faults: Fault[]): void {
  const structural = new Map<string, Fault>();
  const throttled = new Map<string, Fault>();
  for (const f of faults) {
    if (f.absorbedBy) continue;
    const k = refKey(f.subject);
    if (!METRIC.includes(f.category) && !structural.has(k)) structural.set(k, f);
    if (f.category === "CPUThrottling") throttled.set(k, f);
  }
  for (const f of faults) {
    if (!SYMPTOMS.includes(f.category) || f.absorbedBy) continue;
    const k = refKey(f.subject);
    const cause = structural.get(k) ?? (f.category === "HighLatency" ? throttled.get(k) : undefined);
    if (!cause) continue;
    f.absorbedBy = cause.category;
    f.evidence.push(`explained by ${cause.category}: ${cause.message}`);
  }
}
