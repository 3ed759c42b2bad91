import { Counter, Histogram, type Registry } from "prom-client";

/** Metrics of the diagnosis pipeline: how long runs take and which root causes they find. */
export interface DiagnosisMetrics {
  observe(seconds: number, category: string | undefined, outcome: "completed" | "failed"): void;
}

/** Registers the diagnosis metrics on a registry (the manager's, served on /metrics). */
export function createDiagnosisMetrics(registry: Registry): DiagnosisMetrics {
  const duration = new Histogram({
    name: "aisre_diagnosis_duration_seconds",
    help: "Wall time of a DiagnosisRun, from start to completed or failed.",
    labelNames: ["outcome"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const rootCauses = new Counter({
    name: "aisre_diagnosis_root_causes_total",
    help: "Root causes found, by category (none when nothing was wrong).",
    labelNames: ["category"],
    registers: [registry],
  });
  return {
    observe(seconds, category, outcome) {
      duration.observe({ outcome }, seconds);
      if (outcome === "completed") rootCauses.inc({ category: category ?? "none" });
    },
  };
}
