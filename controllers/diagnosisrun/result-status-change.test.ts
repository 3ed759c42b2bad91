// rootCause.change on its way to the user: the DiagnosisRun status keeps it (clipped, redacted)
// and the SreTask mirrors it with the root cause.
import { describe, expect, it } from "vitest";
import type { DiagnosisResult } from "../../agents/diagnosis/types.ts";
import type { DiagnosisRun, SreTask, SreTaskStatus } from "../../crds/index.ts";
import { DiagnosisRunPhase, LIMITS } from "../../crds/index.ts";
import { mirrorRun } from "../sretask/diagnosis.ts";
import { boundedResult } from "./result-status.ts";

const change = {
  kind: "ConfigMap",
  namespace: "shop",
  name: "api-config",
  at: "2026-11-20T07:41:00Z",
  what: "data changed 2 min before the first crash",
};

const result = (what = change.what): DiagnosisResult => ({
  rootCause: {
    category: "CrashLoop",
    resource: { kind: "Deployment", namespace: "shop", name: "api" },
    summary: "api exits with code 1",
    confidence: 0.9,
    change: { ...change, what },
  },
  findings: [],
  recommendations: [],
});

describe("rootCause.change in status", () => {
  it("lands in the DiagnosisRun status whole", () => {
    expect(boundedResult(result()).rootCause?.change).toEqual(change);
  });

  it("is clipped to the CRD limit and redacted", () => {
    const long = boundedResult(result(`image a → b, ${"x".repeat(LIMITS.message)}`)).rootCause?.change;
    expect(long?.what.length).toBe(LIMITS.message);
    const secret = boundedResult(result("env changed: password=hunter2-Secret-Value")).rootCause?.change;
    expect(secret?.what).not.toContain("hunter2-Secret-Value");
  });

  it("is mirrored into the SreTask status with the root cause", () => {
    const task = { metadata: { name: "t", namespace: "shop", generation: 1 }, spec: {} } as SreTask;
    const run = {
      metadata: { name: "t", namespace: "shop" },
      spec: { taskRef: { name: "t" } },
      status: { phase: DiagnosisRunPhase.Completed, ...boundedResult(result()) },
    } as DiagnosisRun;
    const status: SreTaskStatus = {};
    mirrorRun(status, task, run, Date.parse("2026-11-20T08:00:00Z"));
    expect(status.rootCause?.change).toEqual(change);
  });
});
