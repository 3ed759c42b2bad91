/** The sidecar's Prometheus metrics, on a Registry of its own (never the global one). */
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Every metric the sidecar exports. */
export interface SidecarMetrics {
  registry: Registry;
  /** Alerts received by the webhook, by alert status. */
  alertsReceived: Counter<"status">;
  /** Alerts answered from the in-process cache without an API call. */
  alertsDeduplicated: Counter;
  /** Webhook deliveries rejected, by reason (unauthorized, invalid, unavailable). */
  alertsRejected: Counter<"reason">;
  /** What each alert did to its SreTask: created, existing, resolved, reopened, unchanged, absent. */
  alertTasks: Counter<"outcome">;
  /** HTTP request latency by method, route and status code. */
  requestDuration: Histogram<"method" | "route" | "status_code">;
  /** Incident-store writes that failed (the CR holds the state; the projection catches up). */
  storeErrors: Counter<"operation">;
}

/** Creates the metrics on a fresh Registry, with Node's default process metrics. */
export function createMetrics(): SidecarMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "aisre_sidecar_" });
  const registers = [registry];
  return {
    registry,
    alertsReceived: new Counter({
      name: "aisre_sidecar_alerts_received_total",
      help: "Alerts received on the Alertmanager webhook.",
      labelNames: ["status"],
      registers,
    }),
    alertsDeduplicated: new Counter({
      name: "aisre_sidecar_alerts_deduplicated_total",
      help: "Alerts whose state was already applied, answered without a Kubernetes API call.",
      registers,
    }),
    alertsRejected: new Counter({
      name: "aisre_sidecar_alerts_rejected_total",
      help: "Webhook deliveries rejected, by reason.",
      labelNames: ["reason"],
      registers,
    }),
    alertTasks: new Counter({
      name: "aisre_sidecar_alert_tasks_total",
      help: "What alerts did to their SreTasks.",
      labelNames: ["outcome"],
      registers,
    }),
    requestDuration: new Histogram({
      name: "aisre_sidecar_http_request_duration_seconds",
      help: "HTTP request latency.",
      labelNames: ["method", "route", "status_code"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    storeErrors: new Counter({
      name: "aisre_sidecar_store_errors_total",
      help: "Incident-store writes that failed.",
      labelNames: ["operation"],
      registers,
    }),
  };
}
