import { describe, expect, it } from "vitest";
import type { DiagnosisResult } from "../../agents/diagnosis/types.ts";
import type { DiagnosisRun, DiagnosisRunStatus } from "../../crds/index.ts";
import { completionMessage, isFinished, markCompleted, markRunning } from "./run-status.ts";

const run: DiagnosisRun = {
  apiVersion: "aisre.io/v1alpha1",
  kind: "DiagnosisRun",
  metadata: { namespace: "shop", name: "api", generation: 2 },
  spec: { taskRef: { name: "api" } },
};
const crash: DiagnosisResult = {
  rootCause: {
    category: "CrashLoop",
    resource: { kind: "Deployment", namespace: "shop", name: "api" },
    summary: "the container exits with code 1",
    confidence: 0.9,
  } as DiagnosisResult["rootCause"],
  findings: [],
  recommendations: [],
};
const llm = { used: false, promptTokens: 0, completionTokens: 0, latencyMs: 0, fallbackReason: "disabled" };
const t0 = Date.parse("2026-12-07T10:00:00Z");

describe("DiagnosisRun status marks", () => {
  it("counts the attempt a Running write starts together with any not yet written", () => {
    const s: DiagnosisRunStatus = { attempts: 1 };
    markRunning(s, run, t0, 1);
    expect(s).toMatchObject({ phase: "Running", attempts: 3, observedGeneration: 2 });
    expect(s.startTime).toBe("2026-12-07T10:00:00Z");
    expect(s.conditions?.[0]).toMatchObject({ type: "Diagnosed", status: "Unknown", reason: "Diagnosing" });
    expect(isFinished(s)).toBe(false);
  });

  it("completes a run whose Running write was skipped: the attempt, start and conditions in one write", () => {
    const s: DiagnosisRunStatus = {};
    const consulted = { result: crash, llm: llm as never };
    markCompleted(s, run, { consulted, similar: undefined, started: t0, finished: t0 + 120, unwritten: 1 });
    expect(s).toMatchObject({ phase: "Completed", attempts: 1, durationMs: 120, observedGeneration: 2 });
    expect(s.startTime).toBe("2026-12-07T10:00:00Z");
    expect(s.message).toBe("CrashLoop on Deployment shop/api: the container exits with code 1");
    const ready = s.conditions?.find((c) => c.type === "Ready");
    expect(ready).toMatchObject({ status: "True", reason: "RootCauseFound", observedGeneration: 2 });
    expect(isFinished(s)).toBe(true);
  });

  it("keeps the count and start a Running write made, and says when nothing is wrong", () => {
    const s: DiagnosisRunStatus = { phase: "Running", attempts: 2, startTime: "2026-12-07T09:59:00Z" };
    const consulted = { result: { ...crash, rootCause: null }, llm: llm as never };
    markCompleted(s, run, { consulted, similar: undefined, started: t0, finished: t0 + 5, unwritten: 0 });
    expect(s).toMatchObject({ attempts: 2, startTime: "2026-12-07T09:59:00Z", phase: "Completed" });
    expect(completionMessage(consulted.result).reason).toBe("NothingWrong");
    expect(s.conditions?.find((c) => c.type === "Diagnosed")?.reason).toBe("NothingWrong");
  });
});
