import { describe, expect, it } from "vitest";
import { createRuntimeMetrics } from "./runtime-metrics.ts";

describe("createRuntimeMetrics", () => {
  it("exposes controller-runtime and client-go metric names with zeroed series", async () => {
    const m = createRuntimeMetrics({ defaultMetrics: false });
    const c = m.controller("sretask");
    const q = m.workqueue("sretask");
    c.reconciled("success", 0.2);
    c.reconciled("error", 1);
    c.failed(true);
    c.workers(2, 4);
    q.add();
    q.depth(3);
    q.queueLatency(0.001);
    q.workDuration(0.5);
    q.retry();
    m.leaderStatus("aisre-operator", true);
    const text = await m.registry.metrics();
    expect(text).toContain('controller_runtime_reconcile_total{controller="sretask",result="success"} 1');
    expect(text).toContain(
      'controller_runtime_reconcile_total{controller="sretask",result="requeue_after"} 0',
    );
    expect(text).toContain('controller_runtime_reconcile_errors_total{controller="sretask"} 1');
    expect(text).toContain('controller_runtime_terminal_reconcile_errors_total{controller="sretask"} 1');
    expect(text).toContain('controller_runtime_reconcile_time_seconds_count{controller="sretask"} 2');
    expect(text).toContain('controller_runtime_active_workers{controller="sretask"} 2');
    expect(text).toContain('controller_runtime_max_concurrent_reconciles{controller="sretask"} 4');
    expect(text).toContain('workqueue_depth{name="sretask"} 3');
    expect(text).toContain('workqueue_adds_total{name="sretask"} 1');
    expect(text).toContain('workqueue_retries_total{name="sretask"} 1');
    expect(text).toContain('workqueue_queue_duration_seconds_count{name="sretask"} 1');
    expect(text).toContain('workqueue_work_duration_seconds_sum{name="sretask"} 0.5');
    expect(text).toContain('leader_election_master_status{name="aisre-operator"} 1');
  });

  it("adds default process metrics when asked", async () => {
    const text = await createRuntimeMetrics().registry.metrics();
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });
});
