import { describe, expect, it } from "vitest";
import { classifyTask } from "../../agents/classifier/index.ts";
import type { SreTask } from "../../crds/index.ts";
import { judgeTask } from "./accept.ts";
import { desiredRun } from "./diagnosis.ts";
import { recordStart, startedView, startsInOneWrite } from "./start.ts";

const task = (spec: SreTask["spec"], status?: SreTask["status"]): SreTask => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { name: "t1", namespace: "shop", uid: "u1", generation: 1 },
  spec,
  ...(status ? { status } : {}),
});

const targeted = task({ type: "Diagnose", target: { kind: "Deployment", name: "checkout" } });
const vague = task({ description: "something feels off" });
const accepted = (t: SreTask) => {
  const v = judgeTask(t);
  if (!v.accepted) throw new Error(v.message);
  return v;
};
const conditions = (s: SreTask["status"]) =>
  Object.fromEntries((s?.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]));

describe("a new task starts in one status write", () => {
  it("when the rules are sure, or unsure with no LLM to ask", () => {
    expect(classifyTask(targeted).unsure).toBeFalsy();
    expect(startsInOneWrite(targeted, classifyTask(targeted), true)).toBe(true);
    expect(classifyTask(vague).unsure).toBe(true);
    expect(startsInOneWrite(vague, classifyTask(vague), false)).toBe(true);
  });

  it("not when an enabled LLM must be asked: the task shows Accepted while it answers", () => {
    expect(startsInOneWrite(vague, classifyTask(vague), true)).toBe(false);
  });

  it("not for a task already under way (a spec edit re-accepts only)", () => {
    const underWay = task(targeted.spec, { phase: "Diagnosing", diagnosisRunRef: { name: "t1" } });
    expect(startsInOneWrite(underWay, classifyTask(underWay), false)).toBe(false);
    const classified = task(targeted.spec, {
      phase: "Pending",
      classification: { type: "Diagnose", confidence: 1, method: "Rules" },
    });
    expect(startsInOneWrite(classified, classifyTask(classified), false)).toBe(false);
  });

  it("records Accepted, Classified and Diagnosing with the run's name", () => {
    const status: NonNullable<SreTask["status"]> = {};
    const decision = { classification: classifyTask(targeted) };
    recordStart(status, targeted, accepted(targeted), decision, Date.parse("2026-12-07T04:00:00Z"));
    expect(status.phase).toBe("Diagnosing");
    expect(status.episode).toBe(1);
    expect(status.diagnosisRunRef).toEqual({ name: "t1" });
    expect(status.classification?.type).toBe("Diagnose");
    expect(conditions(status)).toMatchObject({
      Accepted: "True/Accepted",
      Classified: "True/Classified",
      Diagnosed: "Unknown/Diagnosing",
    });
  });

  it("names a reopened episode's run after the episode, in the view and in the status", () => {
    const reopened = task(targeted.spec, { phase: "Pending", episode: 2 });
    const decision = { classification: classifyTask(reopened) };
    const view = startedView(reopened, accepted(reopened), decision, 0);
    expect(view.status?.classification?.type).toBe("Diagnose");
    expect(desiredRun(view).metadata.name).toBe("t1-e2");
    const status = structuredClone(reopened.status!);
    recordStart(status, reopened, accepted(reopened), decision, 0);
    expect(status.diagnosisRunRef).toEqual({ name: "t1-e2" });
    expect(reopened.status).toEqual({ phase: "Pending", episode: 2 });
  });

  it("gives a vague task's run the classified target only when it is the task's own", () => {
    const guessed = task({ description: "pod web-1 in namespace shop keeps crashing" });
    const decision = { classification: classifyTask(guessed) };
    const run = desiredRun(startedView(guessed, accepted(guessed), decision, 0));
    expect(run.spec.target?.namespace ?? "shop").toBe("shop");
  });
});
