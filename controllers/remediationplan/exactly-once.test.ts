import { describe, expect, it } from "vitest";
import type { Observer } from "../../agents/automation/action.ts";
import { catalog } from "../../agents/automation/catalog.ts";
import { MAX_ATTEMPTS, resolveInterrupted } from "./exactly-once.ts";

const observerOf = (name: string): Observer | undefined => {
  const recovery = catalog.get(name)?.recovery;
  return recovery?.mode === "observe" ? recovery.observer : undefined;
};

describe("resolveInterrupted", () => {
  it("reads each action's recovery from the catalog: rerun the idempotent, observe two, a person checks the rest", () => {
    const byMode = (mode: string) =>
      catalog
        .all()
        .filter((a) => a.recovery.mode === mode)
        .map((a) => a.name);
    expect(byMode("rerun")).toEqual([
      "CordonNode",
      "UncordonNode",
      "SuspendCronJob",
      "PatchHPA",
      "ExternalAutomation",
    ]);
    expect(byMode("observe")).toEqual(["ScaleWorkload", "RolloutUndo"]);
    expect(byMode("none")).toEqual([
      "RolloutRestart",
      "DeletePod",
      "SetResources",
      "DrainNode",
      "RerunJob",
      "Ec2RebootInstance",
      "Ec2StartInstance",
      "Ec2StopInstance",
      "RunbookOnly",
    ]);
  });

  it("verifies a step whose result was recorded", () => {
    expect(
      resolveInterrupted(catalog, "DrainNode", {
        name: "s",
        phase: "Running",
        executedAt: "2026-01-01T00:00:00Z",
      }),
    ).toEqual({ kind: "verify" });
  });

  it("observes RolloutUndo and ScaleWorkload from what was recorded before the fence", () => {
    const step = {
      name: "s",
      phase: "Running" as const,
      attempt: 1,
      undoState: { observedBefore: { replicas: 1 } },
    };
    for (const name of ["ScaleWorkload", "RolloutUndo"]) {
      expect(observerOf(name)).toBeDefined();
      expect(resolveInterrupted(catalog, name, step)).toEqual({
        kind: "observe",
        observer: observerOf(name),
        before: { replicas: 1 },
      });
    }
  });

  it("re-runs only naturally idempotent actions, a bounded number of times", () => {
    expect(resolveInterrupted(catalog, "CordonNode", { name: "s", phase: "Running", attempt: 1 })).toEqual({
      kind: "rerun",
    });
    expect(
      resolveInterrupted(catalog, "SuspendCronJob", { name: "s", phase: "Running", attempt: MAX_ATTEMPTS })
        .kind,
    ).toBe("fail");
  });

  it("fails anything else: interrupted, state unknown, saying what a person checks", () => {
    for (const action of [
      "DeletePod",
      "DrainNode",
      "RolloutRestart",
      "RerunJob",
      "Ec2RebootInstance",
      "ScaleWorkload",
      "NotAnAction",
    ]) {
      const r = resolveInterrupted(catalog, action, { name: "s", phase: "Running", attempt: 1 });
      expect(r).toMatchObject({
        kind: "fail",
        message: expect.stringMatching(/^interrupted; state unknown: .*; check by hand: ./),
      });
    }
    const drain = resolveInterrupted(catalog, "DrainNode", { name: "s", phase: "Running", attempt: 1 });
    expect(drain).toMatchObject({ message: expect.stringContaining("whether the node is cordoned") });
  });
});
