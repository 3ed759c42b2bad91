import { describe, expect, it } from "vitest";
import { specErrors } from "../../crds/validate.ts";
import type { WorkloadAnomaly } from "./cycle.ts";
import type { AnomalyStates } from "./tasks.ts";
import {
  ANOMALY_ALERTNAME,
  anomalyKey,
  anomalyTask,
  anomalyTaskName,
  gappedSignals,
  ownAnomalies,
  stepAnomalies,
} from "./tasks.ts";

const START = Date.UTC(2026, 11, 8, 10, 0) / 1000; // a Tuesday

function anomaly(namespace: string, workload: string, signal: "errorRatio" | "latencyP99" = "latencyP99") {
  return {
    namespace,
    workload,
    anomaly: {
      signal,
      start: START,
      detectedAt: START + 600,
      value: 2.8,
      expected: 0.41,
      score: 7.1,
      message: "p99 2.8 s vs 0.41 s expected for Tuesday 10:00, 7.1 MAD",
    },
  } satisfies WorkloadAnomaly;
}

describe("anomaly tasks", () => {
  it("names a task deterministically per config, namespace, workload and signal, as a DNS label", () => {
    const a = anomalyTaskName("monitoring", "shop", "checkout", "latencyP99");
    expect(a).toMatch(/^anomaly-checkout-[0-9a-f]{16}$/);
    expect(anomalyTaskName("monitoring", "shop", "checkout", "latencyP99")).toBe(a);
    expect(anomalyTaskName("monitoring", "shop", "checkout", "errorRatio")).not.toBe(a);
    expect(anomalyTaskName("other", "shop", "checkout", "latencyP99")).not.toBe(a);
    const long = anomalyTaskName("m", "shop", `${"Very_Long.".repeat(10)}x`, "cpu");
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
  });

  it("keeps only the AgentConfig's own namespace: a tenant never opens work about another", () => {
    const found = [anomaly("shop", "checkout"), anomaly("payments", "ledger"), anomaly("shop", "")];
    expect(ownAnomalies(found, "shop").map((a) => a.workload)).toEqual(["checkout"]);
    expect(ownAnomalies(found, "payments").map((a) => a.workload)).toEqual(["ledger"]);
    expect(ownAnomalies(found, "kube-system")).toEqual([]);
  });

  it("builds a valid Diagnose task whose alert names the workload and carries the numbers", () => {
    const task = anomalyTask(anomaly("shop", "checkout"), {
      namespace: "shop",
      config: "monitoring",
      severity: "critical",
      kind: "Deployment",
    });
    expect(specErrors("SreTask", task.spec)).toEqual([]);
    expect(task.metadata).toMatchObject({
      namespace: "shop",
      labels: { "aisre.io/anomaly-config": "monitoring", "aisre.io/workload": "checkout" },
    });
    expect(task.spec).toMatchObject({
      type: "Diagnose",
      source: "Monitor",
      agentConfigRef: { name: "monitoring" },
    });
    expect(task.spec.target).toBeUndefined();
    expect(task.spec.alert).toMatchObject({
      status: "firing",
      startsAt: "2026-12-08T10:00:00Z",
      labels: {
        alertname: ANOMALY_ALERTNAME,
        severity: "critical",
        signal: "latencyP99",
        namespace: "shop",
        workload: "checkout",
        deployment: "checkout",
      },
      annotations: { value: "2.8 s", expected: "0.41 s", score: "7.1 MAD" },
    });
    expect(task.spec.alert!.annotations!.summary).toBe(
      "checkout: p99 2.8 s vs 0.41 s expected for Tuesday 10:00, 7.1 MAD",
    );
    expect(task.spec.alert!.annotations!.description).toContain("Deployment shop/checkout");
  });

  it("leaves the kind label out when the workload is neither a Deployment nor a StatefulSet", () => {
    const task = anomalyTask(anomaly("shop", "batch"), { namespace: "shop", config: "m" });
    expect(Object.keys(task.spec.alert!.labels).sort()).toEqual(
      ["alertname", "namespace", "severity", "signal", "workload"].sort(),
    );
    expect(task.spec.alert!.labels.severity).toBe("warning");
  });

  it("redacts secrets a label or message may carry", () => {
    const a = anomaly("shop", "checkout");
    a.anomaly.message = "p99 high, password=hunter2hunter2";
    const text = JSON.stringify(anomalyTask(a, { namespace: "shop", config: "m" }));
    expect(text).not.toContain("hunter2hunter2");
  });

  it("opens once, and resolves only after three cycles in a row without the anomaly", () => {
    const states: AnomalyStates = new Map();
    const a = anomaly("shop", "checkout");
    const first = stepAnomalies(states, [a, a], new Set());
    expect(first.open).toHaveLength(1);
    states.set(anomalyKey(a), { task: "t", signal: "latencyP99", misses: 0 });
    expect(stepAnomalies(states, [a], new Set()).open).toEqual([]);
    expect(stepAnomalies(states, [], new Set()).resolve).toEqual([]);
    expect(stepAnomalies(states, [], new Set()).resolve).toEqual([]);
    // Flagged again: the count starts over.
    stepAnomalies(states, [a], new Set());
    for (let i = 0; i < 2; i++) expect(stepAnomalies(states, [], new Set()).resolve).toEqual([]);
    // A cycle that could not read the signal is no evidence that it cleared.
    expect(stepAnomalies(states, [], new Set(["latencyP99"])).resolve).toEqual([]);
    const last = stepAnomalies(states, [], new Set());
    expect(last.resolve.map((r) => r.key)).toEqual(["shop/checkout/latencyP99"]);
  });

  it("reads which signals a cycle's gaps name", () => {
    expect([...gappedSignals(["5xx ratio: connection refused", "p99: timeout"])].sort()).toEqual([
      "errorRatio",
      "latencyP99",
    ]);
    expect(gappedSignals([])).toEqual(new Set());
  });
});
