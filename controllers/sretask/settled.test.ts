import { describe, expect, it } from "vitest";
import type { SreTask, SreTaskStatus } from "../../crds/index.ts";
import { taskSettled } from "./settled.ts";

const task = (status: Partial<SreTaskStatus> | undefined, spec: Partial<SreTask["spec"]> = {}): SreTask => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { name: "t", namespace: "shop", uid: "u1", generation: 1 },
  spec: { type: "Diagnose", source: "Manual", target: { kind: "Deployment", name: "web" }, ...spec },
  ...(status ? { status: { observedGeneration: 1, ...status } as SreTaskStatus } : {}),
});

describe("taskSettled", () => {
  it("settles finished diagnoses and final phases", () => {
    expect(taskSettled(task({ phase: "Diagnosed" }))).toBe(true);
    expect(taskSettled(task({ phase: "Succeeded" }))).toBe(true);
    expect(taskSettled(task({ phase: "Failed" }))).toBe(true);
    expect(taskSettled(task({ phase: "Resolved" }))).toBe(true);
  });

  it("keeps new and in-flight tasks", () => {
    expect(taskSettled(task(undefined))).toBe(false);
    for (const phase of ["Pending", "Accepted", "Diagnosing", "AwaitingApproval", "Remediating"] as const)
      expect(taskSettled(task({ phase })), phase).toBe(false);
  });

  it("keeps a task whose spec changed since its status was written", () => {
    expect(taskSettled(task({ phase: "Diagnosed", observedGeneration: 0 }))).toBe(false);
  });

  it("keeps a Diagnosed task that still has to get its remediation plan", () => {
    expect(taskSettled(task({ phase: "Diagnosed" }, { type: "Remediate" }))).toBe(false);
    const classified = task({
      phase: "Diagnosed",
      classification: { type: "Remediate", confidence: 0.9, method: "Rules" },
    });
    expect(taskSettled(classified)).toBe(false);
    expect(taskSettled(task({ phase: "Diagnosed", remediationPlanRef: { name: "t" } }))).toBe(false);
    const never = task({ phase: "Diagnosed" }, { type: "Remediate", remediation: { mode: "Never" } });
    expect(taskSettled(never)).toBe(true);
  });

  it("keeps alert tasks that resolved or fired again while the operator was away", () => {
    const alert = (status: "firing" | "resolved", startsAt: string) => ({
      status,
      labels: { alertname: "KubePodCrashLooping" },
      startsAt,
    });
    const S1 = "2026-03-01T08:00:00Z";
    const S2 = "2026-03-01T09:00:00Z";
    const diagnosed = { phase: "Diagnosed" as const, episode: 1, episodeStartsAt: S1 };
    expect(taskSettled(task(diagnosed, { source: "Alertmanager", alert: alert("firing", S1) }))).toBe(true);
    expect(taskSettled(task(diagnosed, { source: "Alertmanager", alert: alert("resolved", S1) }))).toBe(
      false,
    );
    expect(taskSettled(task(diagnosed, { source: "Alertmanager", alert: alert("firing", S2) }))).toBe(false);
  });
});
