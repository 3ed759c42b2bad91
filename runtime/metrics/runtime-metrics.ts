import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { ControllerMetrics, ReconcileOutcome } from "../controller.ts";
import type { WorkQueueMetrics } from "../workqueue.ts";
import { registerEventLoopLag } from "./event-loop-lag.ts";

// controller-runtime's reconcile buckets, extended for reconciles that wait on an LLM.
const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 15, 20, 30, 45, 60, 120,
  300,
];
// client-go's workqueue buckets: 10 ns .. 1000 s, factor 10.
const QUEUE_BUCKETS = Array.from({ length: 12 }, (_, i) => 1e-8 * 10 ** i);
const OUTCOMES: ReconcileOutcome[] = ["success", "error", "requeue", "requeue_after"];

/** The runtime's Prometheus metrics, named as controller-runtime and client-go name them so stock dashboards work. */
export interface RuntimeMetrics {
  registry: Registry;
  /** Metrics hooks for one controller (label controller=name). */
  controller(name: string): ControllerMetrics;
  /** Metrics hooks for one work queue (label name=name). */
  workqueue(name: string): WorkQueueMetrics;
  /** Sets leader_election_master_status for one lease. */
  leaderStatus(name: string, leading: boolean): void;
  /** Counts one idle-memory release (runtime/memory-release.ts): the RSS it gave back and its pause. */
  memoryReleased(bytes: number, seconds: number): void;
}

/** Options of createRuntimeMetrics. */
export interface RuntimeMetricsOptions {
  registry?: Registry;
  /** Also collect prom-client's default process and Node.js metrics. Default true. */
  defaultMetrics?: boolean;
  /** Export aisre_event_loop_lag_seconds (event-loop-lag.ts). Default true. */
  eventLoopLag?: boolean;
}

/** Creates and registers the runtime metrics on a (by default new) registry. */
export function createRuntimeMetrics(opts: RuntimeMetricsOptions = {}): RuntimeMetrics {
  const registry = opts.registry ?? new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  if (opts.eventLoopLag ?? true) registerEventLoopLag(registry);
  const registers = [registry];
  const reconcileTotal = new Counter({
    name: "controller_runtime_reconcile_total",
    help: "Total number of reconciliations per controller",
    labelNames: ["controller", "result"],
    registers,
  });
  const reconcileErrors = new Counter({
    name: "controller_runtime_reconcile_errors_total",
    help: "Total number of reconciliation errors per controller",
    labelNames: ["controller"],
    registers,
  });
  const terminalErrors = new Counter({
    name: "controller_runtime_terminal_reconcile_errors_total",
    help: "Total number of terminal reconciliation errors per controller",
    labelNames: ["controller"],
    registers,
  });
  const reconcileTime = new Histogram({
    name: "controller_runtime_reconcile_time_seconds",
    help: "Length of time per reconciliation per controller",
    labelNames: ["controller"],
    buckets: RECONCILE_BUCKETS,
    registers,
  });
  const maxWorkers = new Gauge({
    name: "controller_runtime_max_concurrent_reconciles",
    help: "Maximum number of concurrent reconciles per controller",
    labelNames: ["controller"],
    registers,
  });
  const activeWorkers = new Gauge({
    name: "controller_runtime_active_workers",
    help: "Number of currently used workers per controller",
    labelNames: ["controller"],
    registers,
  });
  const depth = new Gauge({
    name: "workqueue_depth",
    help: "Current depth of workqueue",
    labelNames: ["name"],
    registers,
  });
  const adds = new Counter({
    name: "workqueue_adds_total",
    help: "Total number of adds handled by workqueue",
    labelNames: ["name"],
    registers,
  });
  const queueLatency = new Histogram({
    name: "workqueue_queue_duration_seconds",
    help: "How long in seconds an item stays in workqueue before being requested",
    labelNames: ["name"],
    buckets: QUEUE_BUCKETS,
    registers,
  });
  const workDuration = new Histogram({
    name: "workqueue_work_duration_seconds",
    help: "How long in seconds processing an item from workqueue takes",
    labelNames: ["name"],
    buckets: QUEUE_BUCKETS,
    registers,
  });
  const retries = new Counter({
    name: "workqueue_retries_total",
    help: "Total number of retries handled by workqueue",
    labelNames: ["name"],
    registers,
  });
  const leader = new Gauge({
    name: "leader_election_master_status",
    help: "Whether this process currently holds the leader lease (1) or not (0)",
    labelNames: ["name"],
    registers,
  });

  const releases = new Counter({
    name: "aisre_memory_releases_total",
    help: "Idle-memory releases: last-resort GCs that gave V8's pooled heap pages back",
    registers,
  });
  const releasedBytes = new Counter({
    name: "aisre_memory_released_bytes_total",
    help: "RSS given back by idle-memory releases",
    registers,
  });
  const releasePause = new Counter({
    name: "aisre_memory_release_pause_seconds_total",
    help: "Event-loop time spent in idle-memory releases",
    registers,
  });

  return {
    registry,
    controller(controller) {
      // Zero-initialize every series so rate() works from the first scrape (as controller-runtime does).
      for (const result of OUTCOMES) reconcileTotal.inc({ controller, result }, 0);
      reconcileErrors.inc({ controller }, 0);
      terminalErrors.inc({ controller }, 0);
      return {
        reconciled: (result, seconds) => {
          reconcileTotal.inc({ controller, result });
          reconcileTime.observe({ controller }, seconds);
        },
        failed: (terminal) => {
          reconcileErrors.inc({ controller });
          if (terminal) terminalErrors.inc({ controller });
        },
        workers: (active, max) => {
          activeWorkers.set({ controller }, active);
          maxWorkers.set({ controller }, max);
        },
      };
    },
    workqueue(name) {
      depth.set({ name }, 0);
      adds.inc({ name }, 0);
      retries.inc({ name }, 0);
      return {
        add: () => adds.inc({ name }),
        depth: (n) => depth.set({ name }, n),
        queueLatency: (s) => queueLatency.observe({ name }, s),
        workDuration: (s) => workDuration.observe({ name }, s),
        retry: () => retries.inc({ name }),
      };
    },
    leaderStatus: (name, leading) => leader.set({ name }, leading ? 1 : 0),
    memoryReleased: (bytes, seconds) => {
      releases.inc();
      releasedBytes.inc(bytes);
      releasePause.inc(seconds);
    },
  };
}
