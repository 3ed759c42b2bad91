import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CapacityItem } from "../capacity/collect.ts";
import { capacityTask, targetOf } from "../capacity/task.ts";
import type { WorkloadRightSize } from "../capacity/workloads.ts";
import { diagnose } from "./diagnose.ts";
import { parseSnapshot, snapshotView } from "./snapshot.ts";
import type { AlertInfo } from "./types.ts";

const view = (file: string) =>
  snapshotView(parseSnapshot(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8")));
const GiB = 2 ** 30;

function item(scope: CapacityItem["scope"], key: string, resource: string, days: number): CapacityItem {
  return {
    scope,
    key,
    resource,
    measure: scope === "namespace" ? "requests" : "usage",
    forecast: {
      capacity: 10 * GiB,
      lastPeak: 8 * GiB,
      utilization: 0.8,
      slopePerDay: 0.4 * GiB,
      daysToExhaustion: days,
      band: { earliest: days - 1, latest: days + 2 },
      seasonality: "none",
      days: 14,
    },
  };
}

const api: WorkloadRightSize = {
  namespace: "app",
  kind: "Deployment",
  name: "web",
  container: "web",
  current: { cpuCores: 1, memoryBytes: 2 * GiB },
  recommended: {
    cpuRequestCores: 0.12,
    cpuLimitCores: null,
    memoryRequestBytes: 300 * 2 ** 20,
    memoryLimitBytes: 300 * 2 ** 20,
    basis: { cpuSamples: 300, memorySamples: 300 },
  },
  excess: { cpuCores: 0.88, memoryBytes: 2 * GiB - 300 * 2 ** 20 },
};

/** The alert the capacity loop puts on its task (built by the loop's own code). */
function alertOf(i: CapacityItem, quota?: string, rightSizing?: WorkloadRightSize[]): AlertInfo {
  const task = capacityTask("app", "default", i, {
    severity: "warning",
    target: targetOf(i, quota),
    ...(rightSizing ? { rightSizing } : {}),
    now: Date.parse("2026-12-01T10:00:00Z"),
  });
  return task.spec.alert as AlertInfo;
}

describe("a Capacity task's diagnosis", () => {
  it("names the filling volume as the root cause, the forecast first, and says to expand it", () => {
    const r = diagnose(view("healthy-noise.yaml"), {
      alert: alertOf(item("volume", "app/scratch", "storage", 6)),
    });
    expect(r.rootCause).toMatchObject({
      category: "DiskFillForecast",
      resource: { kind: "PersistentVolumeClaim", namespace: "app", name: "scratch" },
    });
    expect(r.findings[0]!.message).toMatch(/^Capacity forecast: volume app\/scratch storage usage is at 80%/);
    expect(r.findings[0]!.evidence).toContain("exhausted in 6 days (80% band 5–8 days)");
    expect(r.recommendations).toEqual([
      expect.objectContaining({
        action: "RunbookOnly",
        target: { kind: "PersistentVolumeClaim", namespace: "app", name: "scratch" },
        rationale: expect.stringMatching(/expand the PersistentVolumeClaim.*6 days/),
      }),
    ]);
    // The analyzers' own findings follow the forecast.
    expect(r.findings.length).toBeGreaterThan(1);
  });

  it("right-sizes the over-requesting workloads when a quota fills", () => {
    const quota = item("namespace", "app/requests.memory", "requests.memory", 4);
    const r = diagnose(view("healthy-noise.yaml"), { alert: alertOf(quota, "compute", [api]) });
    expect(r.rootCause).toMatchObject({
      category: "QuotaExceeded",
      resource: { kind: "ResourceQuota", namespace: "app", name: "compute" },
    });
    const set = r.recommendations.find((x) => x.action === "SetResources")!;
    expect(set.target).toEqual({ kind: "Deployment", namespace: "app", name: "web" });
    expect(set.params).toEqual({
      container: "web",
      requests: { cpu: "120m", memory: "300Mi" },
      limits: { memory: "300Mi" },
    });
    expect(set.rationale).toContain("memory 2048Mi");
    // The HPA of the fixture is already at maxReplicas: nothing to cap.
    expect(r.recommendations.some((x) => x.action === "PatchHPA")).toBe(false);
    expect(r.recommendations.at(-1)!.action).toBe("RunbookOnly");
  });

  it("leaves every other alert to the analyzers", () => {
    const r = diagnose(view("healthy-noise.yaml"), {
      alert: { labels: { alertname: "KubePodCrashLooping", namespace: "app" } },
    });
    expect(r.findings.every((f) => !f.message.startsWith("Capacity forecast"))).toBe(true);
  });
});
