import { describe, expect, it } from "vitest";
import type { RemediationPlan, SreTask } from "../crds/index.ts";
import { SreTaskPhase, typeMeta } from "../crds/index.ts";
import { PHASE_NOTIFICATIONS, SETTLED_PHASES, notificationFor } from "./events.ts";

const task = (phase?: string): SreTask =>
  ({
    ...typeMeta("SreTask"),
    metadata: { namespace: "shop", name: "t" },
    spec: { source: "Alertmanager", description: "x" },
    status: phase ? { phase } : {},
  }) as SreTask;
const plan = {
  ...typeMeta("RemediationPlan"),
  metadata: { namespace: "shop", name: "p" },
  spec: { steps: [] },
} as unknown as RemediationPlan;

describe("phase → notification table", () => {
  it.each([
    [undefined, undefined],
    ["Pending", undefined],
    ["Accepted", "IncidentOpened"],
    ["Diagnosing", "IncidentOpened"],
    ["Diagnosed", "Diagnosed"],
    ["AwaitingApproval", "AwaitingApproval"],
    ["Remediating", undefined],
    ["Succeeded", "Remediated"],
    ["Resolved", "Remediated"],
    ["Failed", "Failed"],
  ])("%s → %s", (phase, kind) => {
    expect(notificationFor(task(phase))?.kind).toBe(kind);
  });

  it("covers every phase the CRD knows, and nothing else", () => {
    const phases = Object.values(SreTaskPhase) as string[];
    for (const phase of Object.keys(PHASE_NOTIFICATIONS)) expect(phases).toContain(phase);
  });

  it("carries the plan when one is given", () => {
    expect(notificationFor(task("AwaitingApproval"), plan)).toEqual({
      kind: "AwaitingApproval",
      task: task("AwaitingApproval"),
      plan,
    });
    expect(notificationFor(task("Diagnosed"))).not.toHaveProperty("plan");
  });

  it("settles on every notified phase but the opening ones (chat follow-ups wait for these)", () => {
    expect([...SETTLED_PHASES].sort()).toEqual(
      ["AwaitingApproval", "Diagnosed", "Failed", "Resolved", "Succeeded"].sort(),
    );
    expect(SETTLED_PHASES.has("Diagnosing")).toBe(false);
  });
});
