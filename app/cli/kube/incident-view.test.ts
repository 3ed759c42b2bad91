import { describe, expect, it } from "vitest";
import type { DiagnosisRun, RemediationPlan, SreTask } from "../../../crds/index.ts";
import type { IncidentDetail } from "../../../store/types.ts";
import { incidentView, renderIncident } from "./incident-view.ts";
import { en } from "./strings-en.ts";
import { zh } from "./strings-zh.ts";

const checkout = { kind: "Deployment", namespace: "shop", name: "checkout" };
const rootCause = {
  category: "BadRollout" as const,
  resource: checkout,
  summary: "revision 5 crashes on start",
  confidence: 0.9,
};
const task: SreTask = {
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { name: "why-checkout", namespace: "shop", uid: "u1" },
  spec: { type: "Auto", target: checkout },
  status: {
    phase: "AwaitingApproval",
    classification: { type: "Remediate", target: checkout, confidence: 0.9, method: "Rules" },
    rootCause,
    diagnosisRunRef: { name: "why-checkout" },
    remediationPlanRef: { name: "why-checkout" },
  },
};
const run: DiagnosisRun = {
  apiVersion: "aisre.io/v1alpha1",
  kind: "DiagnosisRun",
  metadata: { name: "why-checkout", namespace: "shop" },
  spec: {},
  status: {
    phase: "Completed",
    rootCause,
    findings: [
      {
        category: "CrashLoop",
        severity: "critical",
        resource: { kind: "Pod", namespace: "shop", name: "checkout-5-x" },
        message: "container app restarts",
        evidence: ["restartCount=7"],
      },
    ],
    recommendations: [
      { action: "RolloutUndo", target: checkout, risk: "medium", rationale: "revision 4 was healthy" },
    ],
  },
};
const plan: RemediationPlan = {
  apiVersion: "aisre.io/v1alpha1",
  kind: "RemediationPlan",
  metadata: { name: "why-checkout", namespace: "shop" },
  spec: { steps: [{ name: "undo", action: "RolloutUndo", target: checkout }] },
  status: {
    phase: "AwaitingApproval",
    risk: "medium",
    progress: "0/1",
    steps: [{ name: "undo", phase: "Pending" }],
  },
};

describe("incidentView", () => {
  it("joins the task, its run and its plan, leaving out what is unknown", () => {
    const view = incidentView(task, run, plan, undefined);
    expect(view).toEqual({
      task: {
        namespace: "shop",
        name: "why-checkout",
        phase: "AwaitingApproval",
        type: "Remediate",
        target: checkout,
      },
      rootCause,
      diagnosis: {
        name: "why-checkout",
        phase: "Completed",
        findings: run.status!.findings,
        recommendations: run.status!.recommendations,
      },
      plan: {
        name: "why-checkout",
        phase: "AwaitingApproval",
        risk: "medium",
        progress: "0/1",
        steps: [{ name: "undo", action: "RolloutUndo", target: checkout, phase: "Pending" }],
      },
    });
  });

  it("shows a fresh task with neither run nor plan", () => {
    const fresh = { ...task, status: undefined };
    expect(incidentView(fresh, undefined, undefined, undefined)).toEqual({
      task: { namespace: "shop", name: "why-checkout", type: "Auto", target: checkout },
    });
  });
});

describe("renderIncident", () => {
  it("reports root cause, evidence, recommendations, plan and how to decide", () => {
    const text = renderIncident(incidentView(task, run, plan, undefined), en);
    expect(text.split("\n")).toEqual([
      "Task:             shop/why-checkout (Remediate, AwaitingApproval)",
      "Target:           Deployment shop/checkout",
      "Root cause:       BadRollout: revision 5 crashes on start (Deployment shop/checkout, confidence 0.90)",
      "Diagnosis:        why-checkout (Completed)",
      "Evidence:",
      "  - [critical] Pod shop/checkout-5-x: container app restarts",
      "      restartCount=7",
      "Recommendations:",
      "  - RolloutUndo Deployment shop/checkout (medium): revision 4 was healthy",
      "Plan:             why-checkout (AwaitingApproval, risk medium, steps 0/1)",
      "  1. undo  RolloutUndo Deployment shop/checkout  Pending",
      "Decide:           kubectl aisre approve why-checkout -n shop  |  kubectl aisre reject why-checkout -n shop --reason TEXT",
    ]);
  });

  it("adds the store's incident and timeline, and speaks Chinese with the zh catalog", () => {
    const at = new Date("2026-12-06T10:00:00Z");
    const detail = {
      incident: {
        id: "i-1",
        status: "diagnosed",
        alertname: "KubePodCrashLooping",
        severity: "critical",
        openedAt: at,
      },
      timeline: [
        { kind: "opened", at },
        {
          kind: "diagnosis",
          at,
          diagnosis: { name: "why-checkout", phase: "Completed", category: "BadRollout" },
        },
      ],
    } as unknown as IncidentDetail;
    const text = renderIncident(incidentView(task, undefined, undefined, detail), zh);
    expect(text).toContain("根因:");
    expect(text).toContain("修复计划:         无");
    expect(text).toContain(
      "事件:             i-1 diagnosed, opened 2026-12-06T10:00:00.000Z, KubePodCrashLooping (critical)",
    );
    expect(text).toContain("  2026-12-06T10:00:00.000Z  diagnosis why-checkout Completed BadRollout");
  });
});
