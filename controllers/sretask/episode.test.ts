import { describe, expect, it } from "vitest";
import type { Condition, DiagnosisRun, SreTask, SreTaskStatus } from "../../crds/index.ts";
import { MAX_EPISODE } from "../../crds/sretask.ts";
import { recordAcceptance } from "./accept.ts";
import { desiredRun, mirrorRun, recordDiagnosing, recordResolved } from "./diagnosis.ts";
import {
  currentPlanName,
  currentRunName,
  episodeName,
  episodeOf,
  isNewEpisode,
  recordReopened,
} from "./episode.ts";
import { desiredPlan, recordPlanCreated } from "./remediation.ts";

const S1 = "2026-03-01T08:00:00Z";
const S2 = "2026-03-01T09:00:00Z";
const NOW = Date.parse("2026-03-01T09:00:05Z");

const cond = (type: string, status: Condition["status"], reason = type): Condition => ({
  type,
  status,
  reason,
  message: reason,
  lastTransitionTime: S1,
});

/** An alert task in episode 1 that diagnosed, then resolved (at generation 2). */
function resolvedTask(over: Partial<SreTaskStatus> = {}): SreTask {
  return {
    apiVersion: "aisre.io/v1alpha1",
    kind: "SreTask",
    metadata: { name: "kubepodcrashlooping-abc", namespace: "shop", uid: "u1", generation: 2 },
    spec: {
      source: "Alertmanager",
      alert: { status: "resolved", labels: { alertname: "KubePodCrashLooping" }, startsAt: S1 },
    },
    status: {
      phase: "Resolved",
      observedGeneration: 2,
      episode: 1,
      episodeStartsAt: S1,
      classification: { type: "Diagnose", confidence: 0.9, method: "Rules" },
      diagnosisRunRef: { name: "kubepodcrashlooping-abc" },
      remediationPlanRef: { name: "kubepodcrashlooping-abc" },
      rootCause: { category: "CrashLoop", summary: "crash", confidence: 0.9 } as SreTaskStatus["rootCause"],
      startTime: S1,
      completionTime: S1,
      resolvedAt: S1,
      conditions: [
        cond("Accepted", "True"),
        cond("Classified", "True"),
        cond("Diagnosed", "True", "RootCauseFound"),
        cond("Remediated", "True", "Verified"),
        cond("AlertResolved", "True", "AlertResolved"),
        cond("Ready", "True", "RootCauseFound"),
      ],
      ...over,
    },
  };
}

/** The sidecar's reopen: spec.alert replaced by a firing alert (generation + 1). */
function refired(task: SreTask, startsAt: string | undefined = S2): SreTask {
  const alert = { status: "firing" as const, labels: { alertname: "KubePodCrashLooping" } };
  return {
    ...task,
    metadata: { ...task.metadata, generation: (task.metadata.generation ?? 1) + 1 },
    spec: { ...task.spec, alert: startsAt ? { ...alert, startsAt } : alert },
  };
}

describe("is this a new episode?", () => {
  it("a resolved task whose alert fires again with a later startsAt is", () => {
    expect(isNewEpisode(refired(resolvedTask()))).toBe(true);
  });

  it("a firing with an equal or older startsAt is the same episode", () => {
    expect(isNewEpisode(refired(resolvedTask(), S1))).toBe(false);
    expect(isNewEpisode(refired(resolvedTask(), "2026-03-01T07:00:00Z"))).toBe(false);
  });

  it("a resolved alert, or a status-only change (same generation), is not", () => {
    expect(isNewEpisode(resolvedTask())).toBe(false);
    const noStart = refired(resolvedTask({ episodeStartsAt: undefined }), undefined);
    expect(isNewEpisode({ ...noStart, metadata: { ...noStart.metadata, generation: 2 } })).toBe(false);
  });

  it("without start times, a newer generation of a Resolved task that fires again is", () => {
    expect(isNewEpisode(refired(resolvedTask({ episodeStartsAt: undefined }), undefined))).toBe(true);
    expect(isNewEpisode(refired(resolvedTask(), undefined))).toBe(true);
    const succeeded = resolvedTask({ phase: "Succeeded", episodeStartsAt: undefined });
    expect(isNewEpisode(refired(succeeded, undefined))).toBe(false);
  });

  it("settled phases reopen, work in flight never does", () => {
    for (const phase of ["Diagnosed", "Succeeded", "Failed", "Resolved"] as const)
      expect(isNewEpisode(refired(resolvedTask({ phase })))).toBe(true);
    for (const phase of ["Pending", "Accepted", "Diagnosing", "AwaitingApproval", "Remediating"] as const)
      expect(isNewEpisode(refired(resolvedTask({ phase })))).toBe(false);
  });

  it("tasks without an alert, and the last allowed episode, never reopen", () => {
    const manual = resolvedTask();
    delete manual.spec.alert;
    manual.spec.description = "checkout restarts";
    expect(isNewEpisode(manual)).toBe(false);
    expect(isNewEpisode(refired(resolvedTask({ episode: MAX_EPISODE })))).toBe(false);
  });
});

describe("the status of a new episode", () => {
  it("counts the episode, records what it observed and forgets the last episode", () => {
    const task = refired(resolvedTask());
    const next = recordReopened(structuredClone(task.status!), task, NOW);
    expect(next).toMatchObject({
      phase: "Pending",
      message: "Reopened for a new firing of KubePodCrashLooping",
      observedGeneration: 3,
      episode: 2,
      episodeStartsAt: S2,
    });
    for (const gone of [
      "classification",
      "rootCause",
      "diagnosisRunRef",
      "remediationPlanRef",
      "startTime",
      "completionTime",
      "resolvedAt",
    ])
      expect(next).not.toHaveProperty(gone);
    expect(next?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ["AlertResolved", "False", "AlertFiring"],
      ["Ready", "False", "Reopened"],
    ]);
  });

  it("writes nothing when the status already shows the new episode (a retry on a fresh read)", () => {
    const task = refired(resolvedTask());
    const next = recordReopened(structuredClone(task.status!), task, NOW)!;
    expect(recordReopened(structuredClone(next), { ...task, status: next }, NOW)).toBeUndefined();
    expect(isNewEpisode({ ...task, status: next })).toBe(false);
  });

  it("takes the new episode through acceptance again, then it resolves on its own", () => {
    const task = refired(resolvedTask());
    const status = recordReopened(structuredClone(task.status!), task, NOW)!;
    recordAcceptance(status, { ...task, status }, { accepted: true, message: "ok" }, NOW);
    expect(status).toMatchObject({
      phase: "Accepted",
      episode: 2,
      episodeStartsAt: S2,
      observedGeneration: 3,
    });
    const resolved = { ...task, metadata: { ...task.metadata, generation: 4 } };
    recordResolved(status, resolved, NOW);
    expect(status).toMatchObject({
      phase: "Resolved",
      observedGeneration: 4,
      completionTime: "2026-03-01T09:00:05Z",
    });
  });
});

describe("children named per episode", () => {
  it("episode 1 keeps the task's name, later episodes get -eN within 253 characters", () => {
    expect(episodeName("t", 1)).toBe("t");
    expect(episodeName("t", 2)).toBe("t-e2");
    expect(episodeName("a".repeat(253), 12)).toBe(`${"a".repeat(249)}-e12`);
    expect(episodeName(`${"a".repeat(248)}.bcde`, 12)).toBe(`${"a".repeat(248)}-e12`);
  });

  it("the current run and plan: what status names, else the episode's name", () => {
    const task = refired(resolvedTask());
    expect(currentRunName(task)).toBe("kubepodcrashlooping-abc");
    const status = recordReopened(structuredClone(task.status!), task, NOW)!;
    const reopened = { ...task, status };
    expect(episodeOf(reopened)).toBe(2);
    expect(currentRunName(reopened)).toBe("kubepodcrashlooping-abc-e2");
    expect(currentPlanName(reopened)).toBe("kubepodcrashlooping-abc-e2");
    expect(episodeOf({ ...task, status: {} })).toBe(1);
  });

  it("the run, its ref, the plan and its ref of episode 2 are all named -e2", () => {
    const task = refired(resolvedTask());
    const status = recordReopened(structuredClone(task.status!), task, NOW)!;
    const reopened = { ...task, status };
    const run = desiredRun(reopened);
    expect(run.metadata.name).toBe("kubepodcrashlooping-abc-e2");
    expect(run.spec.alert?.startsAt).toBe(S2);
    recordDiagnosing(status, reopened, NOW);
    expect(status.diagnosisRunRef).toEqual({ name: "kubepodcrashlooping-abc-e2" });
    const done = { ...run, status: { phase: "Completed" } } as DiagnosisRun;
    expect(desiredPlan(reopened, done).spec.diagnosisRunRef).toEqual({ name: "kubepodcrashlooping-abc-e2" });
    expect(desiredPlan(reopened, done).metadata.name).toBe("kubepodcrashlooping-abc-e2");
    recordPlanCreated(status, reopened);
    expect(status.remediationPlanRef).toEqual({ name: "kubepodcrashlooping-abc-e2" });
  });

  it("mirroring a run records its ref when the status lost it", () => {
    const task = refired(resolvedTask());
    const status: SreTaskStatus = { phase: "Diagnosing" };
    mirrorRun(
      status,
      task,
      { metadata: { name: "x" }, spec: { taskRef: { name: "t" } } } as DiagnosisRun,
      NOW,
    );
    expect(status.diagnosisRunRef).toEqual({ name: "x" });
  });
});
