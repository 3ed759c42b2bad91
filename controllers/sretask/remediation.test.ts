import { describe, expect, it } from "vitest";
import type { DiagnosisRun, RemediationPlan, SreTask, SreTaskStatus } from "../../crds/index.ts";
import { desiredPlan, mirrorPlan, stepsOf, wantsPlan } from "./remediation.ts";

const target = { kind: "Deployment", namespace: "shop", name: "api" };
const task = (type: "Remediate" | "Diagnose", mode: "Never" | "Approval" | "Auto" = "Approval"): SreTask => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { name: "t", namespace: "shop", uid: "u1", generation: 1 },
  spec: { type, target, remediation: { mode } },
  status: { phase: "Diagnosed" },
});
const run: DiagnosisRun = {
  apiVersion: "aisre.io/v1alpha1",
  kind: "DiagnosisRun",
  metadata: { name: "t", namespace: "shop" },
  spec: { taskRef: { name: "t" } },
  status: {
    phase: "Completed",
    recommendations: [
      { action: "RolloutUndo", target, params: { toRevision: 1 }, risk: "medium", rationale: "v1 ran" },
      {
        action: "Ec2RebootInstance",
        target: { kind: "Node", name: "n1" },
        params: { instanceId: "i-0abc" },
        risk: "high",
        rationale: "r",
      },
      { action: "RunbookOnly", target, risk: "low", rationale: "fix v2" },
    ],
  },
} as DiagnosisRun;

describe("plans from diagnoses", () => {
  it("maps recommendations to steps: RunbookOnly dropped, EC2 aimed at the instance", () => {
    expect(stepsOf(run).map((s) => [s.name, s.action, s.target.kind, s.target.name])).toEqual([
      ["1-rollout-undo", "RolloutUndo", "Deployment", "api"],
      ["2-ec2-reboot-instance", "Ec2RebootInstance", "Ec2Instance", "i-0abc"],
    ]);
    const plan = desiredPlan(task("Remediate"), run);
    expect(plan.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "SreTask",
      uid: "u1",
      controller: true,
    });
    expect(plan.spec).toMatchObject({
      taskRef: { name: "t" },
      diagnosisRunRef: { name: "t" },
      undoOnFailure: true,
    });
  });

  it("creates a plan only when asked for (or auto) and not Never", () => {
    expect(wantsPlan(task("Remediate"), run, true)).toBe(true);
    expect(wantsPlan(task("Diagnose"), run, false)).toBe(false);
    expect(wantsPlan(task("Remediate", "Never"), run, true)).toBe(false);
    expect(wantsPlan(task("Remediate"), undefined, true)).toBe(false);
  });

  it("mirrors the plan: AwaitingApproval, Remediating, Failed with the plan's reason", () => {
    const plan = (phase: string, reason?: string) =>
      ({
        metadata: { name: "t" },
        status: {
          phase,
          message: "m",
          conditions: reason
            ? [
                {
                  type: "Ready",
                  status: "False",
                  reason,
                  message: "m",
                  lastTransitionTime: "2026-01-01T00:00:00Z",
                },
              ]
            : [],
        },
      }) as unknown as RemediationPlan;
    const s: SreTaskStatus = { phase: "Diagnosed" };
    mirrorPlan(s, task("Remediate"), plan("AwaitingApproval"), 0);
    expect(s.phase).toBe("AwaitingApproval");
    mirrorPlan(s, task("Remediate"), plan("Running"), 0);
    expect(s.phase).toBe("Remediating");
    mirrorPlan(s, task("Remediate"), plan("Rejected", "PolicyDenied"), 0);
    expect(s.phase).toBe("Failed");
    expect(s.conditions?.find((c) => c.type === "Remediated")).toMatchObject({
      status: "False",
      reason: "PolicyDenied",
    });
    expect(s.completionTime).toBeTruthy();
  });
});
