import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Metrics of the monitoring agent's check cycles, served on the operator's /metrics. */
export interface MonitoringMetrics {
  /** One cycle of one AgentConfig: its wall time, queries issued and failed, and task changes. */
  cycle(seconds: number, queries: number, gaps: number): void;
  task(change: "opened" | "resolved"): void;
  /** Series firing and pending for one AgentConfig (namespace/name). */
  series(config: string, firing: number, pending: number): void;
  forget(config: string): void;
}

/** Registers the monitoring metrics on a registry (the manager's). */
export function createMonitoringMetrics(registry: Registry): MonitoringMetrics {
  const duration = new Histogram({
    name: "aisre_monitor_cycle_duration_seconds",
    help: "Wall time of one evaluation of an AgentConfig's checks, queries and task changes included.",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const queries = new Counter({
    name: "aisre_monitor_queries_total",
    help: "Check queries issued, by result (ok, or gap when the TSDB could not answer).",
    labelNames: ["result"],
    registers: [registry],
  });
  const tasks = new Counter({
    name: "aisre_monitor_tasks_total",
    help: "Monitor SreTasks opened (or reopened) and resolved.",
    labelNames: ["change"],
    registers: [registry],
  });
  const series = new Gauge({
    name: "aisre_monitor_series",
    help: "Check series per AgentConfig, by state (firing includes clearing).",
    labelNames: ["agentconfig", "state"],
    registers: [registry],
  });
  return {
    cycle(seconds, issued, gaps) {
      duration.observe(seconds);
      queries.inc({ result: "ok" }, issued - gaps);
      if (gaps) queries.inc({ result: "gap" }, gaps);
    },
    task: (change) => tasks.inc({ change }),
    series(config, firing, pending) {
      series.set({ agentconfig: config, state: "firing" }, firing);
      series.set({ agentconfig: config, state: "pending" }, pending);
    },
    forget(config) {
      series.remove({ agentconfig: config, state: "firing" });
      series.remove({ agentconfig: config, state: "pending" });
    },
  };
}
