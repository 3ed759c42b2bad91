import { describe, expect, it } from "vitest";
import { LIVE_KINDS } from "../../agents/diagnosis/live/kinds.ts";
import { snapshotView } from "../../agents/diagnosis/snapshot.ts";
import type { DiagnosisRun, DiagnosisRunStatus } from "../../crds/index.ts";
import { MAX_DIAGNOSIS_ATTEMPTS, exhaustedAttempts, markFailed, missingTarget } from "./failure.ts";

const view = snapshotView({
  capturedAt: Date.parse("2026-12-06T10:00:00Z"),
  logs: {},
  objects: [
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api", namespace: "shop" } },
    { apiVersion: "v1", kind: "Node", metadata: { name: "node-1" } },
  ],
});

describe("missingTarget", () => {
  it("names a namespaced or cluster-scoped target that is absent", () => {
    const gone = missingTarget(
      view,
      { target: { kind: "Deployment", namespace: "shop", name: "web" } },
      LIVE_KINDS,
    );
    expect(gone).toEqual({ reason: "TargetNotFound", message: "Deployment shop/web does not exist" });
    const node = missingTarget(
      view,
      { target: { kind: "Node", namespace: "shop", name: "node-9" } },
      LIVE_KINDS,
    );
    expect(node?.message).toBe("Node node-9 does not exist");
  });

  it("passes a present target, no target, and kinds the live view does not read", () => {
    expect(
      missingTarget(view, { target: { kind: "Deployment", namespace: "shop", name: "api" } }, LIVE_KINDS),
    ).toBeUndefined();
    expect(
      missingTarget(view, { target: { kind: "Node", namespace: "shop", name: "node-1" } }, LIVE_KINDS),
    ).toBeUndefined();
    expect(missingTarget(view, {}, LIVE_KINDS)).toBeUndefined();
    expect(
      missingTarget(view, { target: { kind: "Rollout", namespace: "shop", name: "x" } }, LIVE_KINDS),
    ).toBeUndefined();
  });
});

describe("exhaustedAttempts and markFailed", () => {
  it("retries until the last attempt, then fails with the last error", () => {
    expect(exhaustedAttempts(MAX_DIAGNOSIS_ATTEMPTS - 1, new Error("x"))).toBeUndefined();
    expect(exhaustedAttempts(MAX_DIAGNOSIS_ATTEMPTS, new Error("boom"))?.message).toBe(
      `The diagnosis failed ${MAX_DIAGNOSIS_ATTEMPTS} times; last error: boom`,
    );
  });

  it("writes phase Failed with Diagnosed and Ready False", () => {
    const run = { metadata: { name: "r", namespace: "shop", generation: 2 } } as DiagnosisRun;
    const s: DiagnosisRunStatus = { phase: "Running" };
    markFailed(s, run, { reason: "TargetNotFound", message: "gone" }, Date.parse("2026-12-06T10:00:00Z"));
    expect(s.phase).toBe("Failed");
    expect(s.completionTime).toBe("2026-12-06T10:00:00Z");
    expect(s.conditions?.map((c) => [c.type, c.status, c.reason, c.observedGeneration])).toEqual([
      ["Diagnosed", "False", "TargetNotFound", 2],
      ["Ready", "False", "TargetNotFound", 2],
    ]);
  });
});
