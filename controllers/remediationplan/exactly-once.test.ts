import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, OBSERVERS, resolveInterrupted } from "./exactly-once.ts";

describe("resolveInterrupted", () => {
  it("verifies a step whose result was recorded", () => {
    expect(
      resolveInterrupted("DrainNode", { name: "s", phase: "Running", executedAt: "2026-01-01T00:00:00Z" }),
    ).toEqual({
      kind: "verify",
    });
  });

  it("observes RolloutUndo and ScaleWorkload from what was recorded before the fence", () => {
    const step = {
      name: "s",
      phase: "Running" as const,
      attempt: 1,
      undoState: { observedBefore: { replicas: 1 } },
    };
    expect(resolveInterrupted("ScaleWorkload", step)).toMatchObject({
      kind: "observe",
      observer: OBSERVERS.ScaleWorkload,
    });
    expect(resolveInterrupted("RolloutUndo", step)).toMatchObject({
      kind: "observe",
      observer: OBSERVERS.RolloutUndo,
    });
  });

  it("re-runs only naturally idempotent actions, a bounded number of times", () => {
    expect(resolveInterrupted("CordonNode", { name: "s", phase: "Running", attempt: 1 })).toEqual({
      kind: "rerun",
    });
    expect(
      resolveInterrupted("SuspendCronJob", { name: "s", phase: "Running", attempt: MAX_ATTEMPTS }).kind,
    ).toBe("fail");
  });

  it("fails anything else: interrupted, state unknown", () => {
    for (const action of [
      "DeletePod",
      "DrainNode",
      "RolloutRestart",
      "RerunJob",
      "Ec2RebootInstance",
      "ScaleWorkload",
    ]) {
      const r = resolveInterrupted(action, { name: "s", phase: "Running", attempt: 1 });
      expect(r).toMatchObject({
        kind: "fail",
        message: expect.stringMatching(/^interrupted; state unknown/),
      });
    }
  });
});
