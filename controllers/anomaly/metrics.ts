import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Metrics of the anomaly loop, served on the operator's /metrics. */
export interface AnomalyMetrics {
  /** One cycle of one AgentConfig: its wall time, queries issued, and signals that could not be read. */
  cycle(seconds: number, queries: number, gaps: number): void;
  task(change: "opened" | "resolved"): void;
  /** Open anomaly tasks of one AgentConfig (namespace/name). */
  open(config: string, count: number): void;
  forget(config: string): void;
}

/** Registers the anomaly metrics on a registry (the manager's). */
export function createAnomalyMetrics(registry: Registry): AnomalyMetrics {
  const duration = new Histogram({
    name: "aisre_anomaly_cycle_duration_seconds",
    help: "Wall time of one anomaly-detection cycle of an AgentConfig, queries and task changes included.",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const queries = new Counter({
    name: "aisre_anomaly_queries_total",
    help: "Range queries issued by anomaly cycles.",
    registers: [registry],
  });
  const gaps = new Counter({
    name: "aisre_anomaly_gaps_total",
    help: "Signals an anomaly cycle could not read (the TSDB failed to answer).",
    registers: [registry],
  });
  const tasks = new Counter({
    name: "aisre_anomaly_tasks_total",
    help: "Anomaly SreTasks opened (or reopened) and resolved.",
    labelNames: ["change"],
    registers: [registry],
  });
  const open = new Gauge({
    name: "aisre_anomaly_open_tasks",
    help: "Anomaly SreTasks open per AgentConfig.",
    labelNames: ["agentconfig"],
    registers: [registry],
  });
  return {
    cycle(seconds, issued, failed) {
      duration.observe(seconds);
      queries.inc(issued);
      if (failed) gaps.inc(failed);
    },
    task: (change) => tasks.inc({ change }),
    open: (config, count) => open.set({ agentconfig: config }, count),
    forget: (config) => open.remove({ agentconfig: config }),
  };
}
