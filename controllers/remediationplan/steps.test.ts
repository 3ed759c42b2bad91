import { describe, expect, it } from "vitest";
import type { RemediationPlan } from "../../crds/index.ts";
import { nextMove } from "./steps.ts";
import type { StepStatus } from "./steps.ts";

const target = { kind: "Deployment", namespace: "shop", name: "api" };
const plan = (
  steps: Partial<StepStatus>[],
  extra: { undoOnFailure?: boolean; conditions?: unknown[] } = {},
): RemediationPlan => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "RemediationPlan",
  metadata: { name: "p", namespace: "shop" },
  spec: {
    steps: [
      { name: "a", action: "ScaleWorkload", target, params: { replicas: 2 } },
      { name: "b", action: "RolloutRestart", target },
    ],
    ...(extra.undoOnFailure === undefined ? {} : { undoOnFailure: extra.undoOnFailure }),
  },
  status: {
    phase: "Running",
    steps: steps.map((s, i) => ({ name: i === 0 ? "a" : "b", phase: "Pending", ...s }) as StepStatus),
    ...(extra.conditions ? { conditions: extra.conditions as never } : {}),
  },
});
const undoable = () => true;
const ran = { executedAt: "2026-01-01T00:00:00Z", undoState: { replicas: 1 } };

describe("nextMove", () => {
  it("walks one step at a time: prepare → execute → verify → next step → finish", () => {
    expect(nextMove(plan([]), undoable)).toEqual({ kind: "prepare", index: 0 });
    expect(nextMove(plan([{ phase: "DryRun" }]), undoable)).toEqual({ kind: "execute", index: 0 });
    expect(nextMove(plan([{ phase: "Verifying", ...ran }]), undoable)).toEqual({ kind: "verify", index: 0 });
    expect(nextMove(plan([{ phase: "Succeeded", ...ran }]), undoable)).toEqual({ kind: "prepare", index: 1 });
    expect(nextMove(plan([{ phase: "Succeeded" }, { phase: "Succeeded" }]), undoable)).toMatchObject({
      kind: "finish",
      phase: "Succeeded",
    });
  });

  it("treats Running without a recorded result as interrupted, never as executable", () => {
    expect(nextMove(plan([{ phase: "Running", attempt: 1 }]), undoable)).toEqual({
      kind: "interrupted",
      index: 0,
    });
    expect(nextMove(plan([{ phase: "Running", attempt: 1, ...ran }]), undoable)).toEqual({
      kind: "verify",
      index: 0,
    });
  });

  it("undoes executed steps newest first, then ends RolledBack", () => {
    const failed = plan(
      [
        { phase: "Succeeded", ...ran },
        { phase: "Failed", ...ran },
      ],
      {
        conditions: [
          {
            type: "Verified",
            status: "False",
            reason: "VerificationFailed",
            message: "timed out",
            lastTransitionTime: "2026-01-01T00:00:00Z",
          },
        ],
      },
    );
    expect(nextMove(failed, undoable)).toEqual({ kind: "undo", index: 1 });
    const oneUndone = plan([
      { phase: "Succeeded", ...ran },
      { phase: "Undone", ...ran },
    ]);
    expect(nextMove(oneUndone, undoable)).toEqual({ kind: "undo", index: 0 });
    const allUndone = plan([
      { phase: "Undone", ...ran },
      { phase: "Undone", ...ran },
    ]);
    expect(nextMove(allUndone, undoable)).toMatchObject({
      kind: "finish",
      phase: "RolledBack",
      reason: "RolledBack",
    });
  });

  it("ends Failed with the failure reason when undo is off or nothing ran", () => {
    const noUndo = plan([{ phase: "Failed", ...ran }], {
      undoOnFailure: false,
      conditions: [
        {
          type: "Verified",
          status: "False",
          reason: "VerificationFailed",
          message: "m",
          lastTransitionTime: "2026-01-01T00:00:00Z",
        },
      ],
    });
    expect(nextMove(noUndo, undoable)).toMatchObject({
      kind: "finish",
      phase: "Failed",
      reason: "VerificationFailed",
    });
    const dry = plan([{ phase: "Failed" }], {
      conditions: [
        {
          type: "DryRunPassed",
          status: "False",
          reason: "DryRunFailed",
          message: "m",
          lastTransitionTime: "2026-01-01T00:00:00Z",
        },
      ],
    });
    expect(nextMove(dry, undoable)).toMatchObject({
      kind: "finish",
      phase: "Failed",
      reason: "DryRunFailed",
    });
    expect(nextMove(plan([{ phase: "Failed", ...ran }]), () => false)).toMatchObject({
      phase: "Failed",
      reason: "StepFailed",
    });
  });
});
