import { describe, expect, it } from "vitest";
import type { DiagnosisRun, SreTask } from "../../crds/index.ts";
import { mirroredByTask } from "./project.ts";

const task = (status: SreTask["status"], alert?: "firing" | "resolved"): SreTask => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { namespace: "shop", name: "api", uid: "t1", generation: 1 },
  spec: { type: "Diagnose", ...(alert ? { alert: { status: alert } } : {}) } as SreTask["spec"],
  status,
});
const run = (name: string): DiagnosisRun => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "DiagnosisRun",
  metadata: { namespace: "shop", name },
  spec: { taskRef: { name: "api" } },
  status: { phase: "Completed" },
});

describe("mirroredByTask", () => {
  it("leaves a diagnosing task's current run to the task's own mirror write", () => {
    expect(mirroredByTask(run("api"), task({ phase: "Diagnosing" }))).toBe(true);
  });

  it("projects the run itself when no mirror write will come", () => {
    // Not the current episode's run, a task already past diagnosing, a resolved alert, no task.
    expect(mirroredByTask(run("api"), task({ phase: "Diagnosing", episode: 2 }))).toBe(false);
    expect(mirroredByTask(run("api"), task({ phase: "Resolved" }))).toBe(false);
    expect(mirroredByTask(run("api"), task({ phase: "Accepted" }))).toBe(false);
    expect(mirroredByTask(run("api"), task({ phase: "Diagnosing" }, "resolved"))).toBe(false);
    expect(mirroredByTask(run("api"), undefined)).toBe(false);
  });
});
