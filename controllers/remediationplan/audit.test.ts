import { describe, expect, it } from "vitest";
import type { RemediationPlan } from "../../crds/index.ts";
import { auditRow } from "./audit.ts";

const plan = {
  apiVersion: "aisre.io/v1alpha1",
  kind: "RemediationPlan",
  metadata: { name: "p", namespace: "shop", uid: "u1", resourceVersion: "7" },
  spec: {
    steps: [{ name: "restart", action: "RolloutRestart", target: { kind: "Deployment", name: "web" } }],
  },
} as unknown as RemediationPlan;

describe("auditRow", () => {
  it("keys a step row by its index and phase, with its action and target", () => {
    const row = auditRow({
      plan,
      stepIndex: 0,
      phase: "Succeeded",
      message: "ok",
      at: "2026-11-22T00:00:00Z",
    });
    expect(row).toMatchObject({ stepIndex: 0, phase: "Succeeded", action: "RolloutRestart" });
    expect(row.target).toEqual({ kind: "Deployment", name: "web" });
    expect(row.finishedAt).toBe("2026-11-22T00:00:00Z");
  });

  it("gives a plan-level decision its own key, so it never overwrites the first step's row", () => {
    const row = auditRow({
      plan,
      stepIndex: -1,
      phase: "Succeeded",
      message: "done",
      at: "2026-11-22T00:00:00Z",
    });
    expect(row).toMatchObject({
      stepIndex: 0,
      phase: "Plan/Succeeded",
      action: "Plan",
      outcome: "Succeeded",
    });
    expect(row.target).toBeUndefined();
  });
});
