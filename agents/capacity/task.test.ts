import { describe, expect, it } from "vitest";
import type { CapacityItem, CapacityReport } from "./collect.ts";
import {
  CAPACITY_ALERTNAME,
  capacityTask,
  capacityTaskName,
  taskIdentity,
  targetOf,
  withinHorizon,
} from "./task.ts";
import type { WorkloadRightSize } from "./workloads.ts";
import { parseRightSizing, rightSizingAnnotation, workloadOf } from "./workloads.ts";

function item(
  scope: CapacityItem["scope"],
  key: string,
  resource: string,
  days: number | null,
  measure = "usage",
): CapacityItem {
  return {
    scope,
    key,
    resource,
    measure: measure as CapacityItem["measure"],
    forecast: {
      capacity: 100,
      lastPeak: 80,
      utilization: 0.8,
      slopePerDay: 2,
      daysToExhaustion: days,
      band: { earliest: days === null ? null : days - 2, latest: days === null ? null : days + 3 },
      seasonality: "weekly",
      days: 14,
    },
  };
}

const report = (items: CapacityItem[]): CapacityReport => ({
  generatedAt: "2026-12-01T00:00:00Z",
  historyDays: 14,
  items,
  gaps: [],
});

describe("Capacity tasks", () => {
  it("opens one task per (scope, key, resource) inside the horizon, for its soonest measure", () => {
    const due = withinHorizon(
      report([
        item("node", "n1", "cpu", 20, "requests"),
        item("node", "n1", "cpu", 9, "usage"),
        item("volume", "shop/data-0", "storage", 15),
        item("volume", "shop/logs-0", "storage", null),
        { scope: "node", key: "n2", resource: "memory", measure: "usage", insufficient: "2 days" },
      ]),
      14,
    );
    expect(due.map((i) => [i.key, i.measure])).toEqual([["n1", "usage"]]);
  });

  it("names tasks deterministically per AgentConfig and identity, as valid DNS labels", () => {
    const a = capacityTaskName("default", item("volume", "shop/data-0", "storage", 3));
    expect(a).toBe(capacityTaskName("default", item("volume", "shop/data-0", "storage", 9)));
    expect(a).not.toBe(capacityTaskName("other", item("volume", "shop/data-0", "storage", 3)));
    expect(a).not.toBe(capacityTaskName("default", item("volume", "shop/data-1", "storage", 3)));
    expect(a).toMatch(/^monitor-capacity-volume-[0-9a-f]{16}$/);
    expect(capacityTaskName("default", item("nodePool", "p", "cpu", 1))).toMatch(/^[a-z0-9-]{1,63}$/);
  });

  it("carries the forecast, the target and the right-sizing on the alert", () => {
    const quota = item("namespace", "shop/requests.memory", "requests.memory", 4, "requests");
    const rs: WorkloadRightSize[] = [
      {
        namespace: "shop",
        kind: "Deployment",
        name: "api",
        container: "app",
        current: { cpuCores: 1, memoryBytes: 2 * 2 ** 30 },
        recommended: {
          cpuRequestCores: 0.12,
          cpuLimitCores: null,
          memoryRequestBytes: 300 * 2 ** 20,
          memoryLimitBytes: 300 * 2 ** 20,
          basis: { cpuSamples: 300, memorySamples: 300 },
        },
        excess: { cpuCores: 0.88, memoryBytes: 2 * 2 ** 30 - 300 * 2 ** 20 },
      },
    ];
    const task = capacityTask("shop", "default", quota, {
      severity: "warning",
      target: targetOf(quota, "compute"),
      rightSizing: rs,
      now: Date.parse("2026-12-01T10:00:00Z"),
    });
    expect(task.metadata.namespace).toBe("shop");
    expect(task.spec).toMatchObject({
      type: "Capacity",
      source: "Monitor",
      agentConfigRef: { name: "default" },
    });
    const alert = task.spec.alert!;
    expect(alert.labels).toMatchObject({
      alertname: CAPACITY_ALERTNAME,
      scope: "namespace",
      key: "shop/requests.memory",
      resource: "requests.memory",
      severity: "warning",
      namespace: "shop",
    });
    expect(alert.annotations).toMatchObject({
      daysToExhaustion: "4",
      bandEarliest: "2",
      bandLatest: "7",
      utilization: "0.8",
      trendPerDay: "2",
      method: "theil-sen+weekly",
      target: "ResourceQuota shop/compute",
    });
    expect(parseRightSizing(alert.annotations!.rightSizing)).toEqual([
      {
        kind: "Deployment",
        name: "api",
        container: "app",
        cpu: "120m",
        memory: "300Mi",
        currentCpu: "1000m",
        currentMemory: "2048Mi",
      },
    ]);
    expect(taskIdentity(task)).toBe("namespace\0shop/requests.memory\0requests.memory");
  });

  it("names the object each scope is about", () => {
    expect(targetOf(item("volume", "shop/data-0", "storage", 1))).toEqual({
      kind: "PersistentVolumeClaim",
      namespace: "shop",
      name: "data-0",
    });
    expect(targetOf(item("node", "n1", "cpu", 1))).toEqual({ kind: "Node", name: "n1" });
    expect(targetOf(item("namespace", "shop/pods", "pods", 1))).toEqual({ kind: "Namespace", name: "shop" });
    expect(targetOf(item("nodePool", "gpu", "cpu", 1))).toBeUndefined();
  });

  it("tells the workload from the pod name and keeps the annotation under its limit", () => {
    expect(workloadOf("api-7d9f8b6c5d-x2k4q")).toEqual({ kind: "Deployment", name: "api" });
    expect(workloadOf("db-0")).toEqual({ kind: "StatefulSet", name: "db" });
    expect(workloadOf("debug")).toEqual({ kind: "Pod", name: "debug" });
    const one = {
      namespace: "shop",
      kind: "Deployment" as const,
      name: "w",
      container: "c",
      current: { cpuCores: null, memoryBytes: null },
      recommended: {
        cpuRequestCores: null,
        cpuLimitCores: null,
        memoryRequestBytes: 2 ** 20,
        memoryLimitBytes: 2 ** 20,
        basis: { cpuSamples: 0, memorySamples: 1 },
      },
      excess: { cpuCores: 0, memoryBytes: 0 },
    };
    const text = rightSizingAnnotation(
      Array.from({ length: 200 }, () => one),
      500,
    );
    expect(text.length).toBeLessThanOrEqual(500);
    expect(parseRightSizing(text)[0]).toEqual({
      kind: "Deployment",
      name: "w",
      container: "c",
      memory: "1Mi",
    });
  });
});
