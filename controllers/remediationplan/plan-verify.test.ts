import { describe, expect, it } from "vitest";
import { failedVerify, pending, verified } from "../../agents/automation/action.ts";
import type { PromQuery } from "../../agents/automation/promql.ts";
import type { RemediationPlan, RemediationPlanStatus } from "../../crds/index.ts";
import type { StepStatus } from "./steps.ts";
import { nextMove } from "./steps.ts";
import { decidePlanCheck, verificationSince, verifyPlan } from "./plan-verify.ts";
import type { PlanVerifyDeps } from "./plan-verify.ts";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(T0 + ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const target = { kind: "Deployment", namespace: "shop", name: "api" };
const EXPR = 'up{job="api"} == 1';

const plan = (
  steps: Partial<StepStatus>[],
  extra: { timeoutSeconds?: number; promql?: string | null; status?: Partial<RemediationPlanStatus> } = {},
): RemediationPlan => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "RemediationPlan",
  metadata: { name: "p", namespace: "shop", generation: 1, resourceVersion: "1" },
  spec: {
    steps: [
      { name: "a", action: "ScaleWorkload", target, params: { replicas: 2 } },
      { name: "b", action: "RolloutRestart", target },
    ],
    verification: {
      ...(extra.promql === null ? {} : { promql: extra.promql ?? EXPR }),
      ...(extra.timeoutSeconds ? { timeoutSeconds: extra.timeoutSeconds } : {}),
    },
  },
  status: {
    phase: "Running",
    steps: steps.map((s, i) => ({ name: i === 0 ? "a" : "b", phase: "Pending", ...s }) as StepStatus),
    ...extra.status,
  },
});
const ran = { executedAt: at(0), undoState: { replicas: 1 } };
const done = (finishedMs: number) => ({ phase: "Succeeded" as const, ...ran, finishedAt: at(finishedMs) });
const bothDone = (extra: Parameters<typeof plan>[1] = {}) => plan([done(1000), done(4000)], extra);

describe("decidePlanCheck", () => {
  it("starts the clock when the last step finished", () => {
    expect(verificationSince(bothDone(), T0 + 99_000)).toBe(T0 + 4000);
    expect(verificationSince(plan([]), T0 + 99_000)).toBe(T0 + 99_000);
  });

  it("passes on a result, fails for good without Prometheus, names the check either way", () => {
    expect(decidePlanCheck(bothDone(), verified("PromQL check returned 2 series"), T0)).toEqual({
      kind: "pass",
      message: `PromQL check \`${EXPR}\` passed: returned 2 series`,
    });
    const none = failedVerify("no Prometheus is configured (tools.prometheus.url)");
    expect(decidePlanCheck(bothDone(), none, T0 + 5000)).toEqual({
      kind: "fail",
      message: `PromQL check \`${EXPR}\` failed: no Prometheus is configured (tools.prometheus.url)`,
    });
  });

  it("waits for an empty or unreachable answer until timeoutSeconds after the last step, then fails", () => {
    const p = bothDone({ timeoutSeconds: 10 });
    const empty = pending("PromQL check returned no result yet");
    expect(decidePlanCheck(p, empty, T0 + 5000)).toEqual({
      kind: "wait",
      message: `waiting for the PromQL check \`${EXPR}\` (timeout 10s): returned no result yet`,
      requeueAfterMs: 5000,
    });
    // Close to the deadline the next poll lands on it, not later.
    expect(decidePlanCheck(p, empty, T0 + 12_000)).toMatchObject({ kind: "wait", requeueAfterMs: 2000 });
    const down = pending("PromQL check could not run: connect ECONNREFUSED");
    expect(decidePlanCheck(p, down, T0 + 14_000)).toEqual({
      kind: "fail",
      message: `PromQL check \`${EXPR}\` timed out after 10s: could not run: connect ECONNREFUSED`,
    });
    // The default timeout is 300 s.
    expect(decidePlanCheck(bothDone(), empty, T0 + 299_000)).toMatchObject({ kind: "wait" });
    expect(decidePlanCheck(bothDone(), empty, T0 + 304_000)).toMatchObject({ kind: "fail" });
  });
});

describe("nextMove with a plan-level PromQL check", () => {
  const undoable = () => true;
  const failedCheck = {
    conditions: [
      {
        type: "Verified",
        status: "False" as const,
        reason: "VerificationFailed",
        message: `PromQL check \`${EXPR}\` timed out after 10s: returned no result yet`,
        lastTransitionTime: at(0),
      },
    ],
  };

  it("verifies the plan once every step succeeded, and only when the spec has a check", () => {
    expect(nextMove(plan([done(0)]), undoable)).toEqual({ kind: "prepare", index: 1 });
    expect(nextMove(bothDone(), undoable)).toEqual({ kind: "verifyPlan" });
    expect(nextMove(bothDone({ promql: null }), undoable)).toMatchObject({
      kind: "finish",
      phase: "Succeeded",
    });
  });

  it("unwinds a failed check like a failed step verification: undo newest first, then RolledBack", () => {
    expect(nextMove(bothDone({ status: failedCheck }), undoable)).toEqual({ kind: "undo", index: 1 });
    const undone = plan(
      [
        { ...done(0), phase: "Undone" },
        { ...done(0), phase: "Undone" },
      ],
      {
        status: failedCheck,
      },
    );
    expect(nextMove(undone, undoable)).toEqual({
      kind: "finish",
      phase: "RolledBack",
      reason: "RolledBack",
      message: `${failedCheck.conditions[0]!.message}; executed steps undone`,
    });
    expect(nextMove(bothDone({ status: failedCheck }), () => false)).toEqual({
      kind: "finish",
      phase: "Failed",
      reason: "VerificationFailed",
      message: failedCheck.conditions[0]!.message,
    });
  });
});

/** Deps whose write applies the mutation to an in-memory copy, as the status writer would. */
function fakeDeps(prometheus: PromQuery | undefined, now: number) {
  const events: Array<{ phase: string; message: string; warning: boolean }> = [];
  const deps = {
    prometheus,
    now: () => now,
    events,
    write: async (p: RemediationPlan, mutate: (s: RemediationPlanStatus, c: RemediationPlan) => void) => {
      const draft = structuredClone(p.status ?? {}) as RemediationPlanStatus;
      mutate(draft, p);
      const written = JSON.stringify(draft) !== JSON.stringify(p.status ?? {});
      deps.last = written ? { ...p, status: draft } : p;
      return { obj: deps.last, written };
    },
    report: async (_p: RemediationPlan, _i: number, phase: string, message: string, warning = false) => {
      events.push({ phase, message, warning });
    },
    last: undefined as RemediationPlan | undefined,
  };
  return deps as typeof deps & PlanVerifyDeps;
}

describe("verifyPlan", () => {
  const series: PromQuery = async () => [{ labels: {}, value: 1 }];
  const nothing: PromQuery = async () => [];

  it("ends the plan Succeeded with Verified=True naming the PromQL check", async () => {
    const d = fakeDeps(series, T0 + 6000);
    expect(await verifyPlan(d, bothDone())).toBeUndefined();
    const s = d.last!.status!;
    expect(s.phase).toBe("Succeeded");
    expect(s.verification).toEqual({
      passed: true,
      message: `PromQL check \`${EXPR}\` passed: returned 1 series`,
      checkedAt: at(6000),
    });
    expect(s.conditions?.find((c) => c.type === "Verified")).toMatchObject({
      status: "True",
      reason: "Verified",
      message: expect.stringContaining("PromQL check"),
    });
    expect(s.conditions?.find((c) => c.type === "Ready")).toMatchObject({
      status: "True",
      reason: "Succeeded",
    });
    expect(d.events).toEqual([
      {
        phase: "Succeeded",
        message: expect.stringMatching(/^all 2 steps executed and verified; PromQL/),
        warning: false,
      },
    ]);
  });

  it("keeps polling with one Event, and resumes quietly from status after a restart", async () => {
    const d = fakeDeps(nothing, T0 + 6000);
    expect(await verifyPlan(d, bothDone())).toEqual({ requeueAfter: 5000 });
    const polling = d.last!;
    expect(polling.status?.phase).toBe("Running");
    expect(polling.status?.conditions?.find((c) => c.type === "Verified")).toMatchObject({
      status: "Unknown",
      reason: "VerifyingPromQL",
    });
    expect(d.events).toEqual([
      {
        phase: "VerifyingPromQL",
        message: expect.stringMatching(/^every step verified; started waiting/),
        warning: false,
      },
    ]);
    // A new operator process reads the same status: no second Event, no status churn.
    const again = fakeDeps(nothing, T0 + 9000);
    expect(await verifyPlan(again, polling)).toEqual({ requeueAfter: 5000 });
    expect(again.events).toEqual([]);
    expect(again.last).toBe(polling);
  });

  it("fails verification when the time runs out or no Prometheus is configured", async () => {
    const late = fakeDeps(nothing, T0 + 305_000);
    await verifyPlan(late, bothDone());
    const failed = late.last!;
    expect(failed.status?.phase).toBe("Running");
    expect(failed.status?.verification?.passed).toBe(false);
    expect(failed.status?.conditions?.find((c) => c.type === "Verified")).toMatchObject({
      status: "False",
      reason: "VerificationFailed",
      message: `PromQL check \`${EXPR}\` timed out after 300s: returned no result yet`,
    });
    expect(late.events).toMatchObject([{ phase: "VerificationFailed", warning: true }]);
    expect(nextMove(failed, () => true)).toEqual({ kind: "undo", index: 1 });

    const none = fakeDeps(undefined, T0 + 6000);
    await verifyPlan(none, bothDone());
    expect(none.last!.status?.conditions?.find((c) => c.type === "Verified")?.message).toMatch(
      /PromQL check .* failed: .*no Prometheus is configured/,
    );
  });

  it("writes nothing when status moved on meanwhile (a stale reader)", async () => {
    const d = fakeDeps(series, T0 + 6000);
    const finished = bothDone({ status: { phase: "Succeeded" } });
    await verifyPlan(d, finished);
    expect(d.last).toBe(finished);
    expect(d.events).toEqual([]);
  });
});
