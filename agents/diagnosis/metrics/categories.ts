/**
 * The facts of the metric categories. Their analyzers read Prometheus evidence instead of
 * the view and run only in live mode (diagnose's allFaults), so they are not in the
 * analyzer registry; their facts join the registry's in the category table.
 */
import type { CategoryFacts } from "../analyzers/analyzer.ts";
import { DEPTH } from "../analyzers/analyzer.ts";
import { rec } from "../catalog.ts";
import type { Fault } from "../fault.ts";
import type { Recommendation } from "../types.ts";

function raiseCpu(f: Fault): Recommendation[] {
  if (f.subject.kind === "Pod" || !f.facts.proposedCpu) return [];
  return [
    rec(
      "SetResources",
      f.subject,
      `throttled at the ${f.facts.cpuLimit ?? "current"} CPU limit; propose ${f.facts.proposedCpu}`,
      { container: f.facts.container ?? "", cpu: f.facts.proposedCpu },
    ),
  ];
}

function restart(f: Fault): Recommendation[] {
  if (!["Deployment", "StatefulSet", "DaemonSet"].includes(f.subject.kind)) return [];
  return [
    rec("RolloutRestart", f.subject, `buys time before the OOM kill (${f.facts.detail ?? "memory grows"})`),
  ];
}

/** The facts of the five metric categories. */
export const METRIC_CATEGORY_FACTS: readonly CategoryFacts[] = [
  {
    category: "HighErrorRate",
    depth: DEPTH.edge,
    runbook: "read the failing pods' logs for the 5xx cause and check the dependencies they call",
    rollback: true,
  },
  {
    category: "HighLatency",
    depth: DEPTH.edge,
    runbook: "check saturation (CPU throttling, an HPA at max), slow dependencies and recent changes",
    rollback: true,
  },
  {
    category: "CPUThrottling",
    depth: DEPTH.workload,
    runbook: "set a CPU limit that covers the peak, or remove the limit and keep the request",
    actions: raiseCpu,
  },
  {
    category: "MemoryLeak",
    depth: DEPTH.workload,
    runbook: "capture a heap profile and fix the leak; a restart only resets the clock",
    actions: restart,
  },
  {
    category: "DiskFillForecast",
    depth: DEPTH.infrastructure,
    runbook:
      "expand the PVC (its StorageClass must allow volume expansion) or delete old data before it fills",
  },
];
