import { describe, expect, it, vi } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import type { DiagnosisInput, ProjectionState } from "../../store/index.ts";
import { ProjectionMemory, projectionMark, storeHolds } from "./memory.ts";
import type { ProjectionInput } from "./memory.ts";

const task = (rv: string, extra: Partial<SreTask["spec"]> = {}, group?: boolean): SreTask =>
  ({
    apiVersion: "aisre.io/v1alpha1",
    kind: "SreTask",
    metadata: { name: "t", namespace: "shop", uid: "task-1", resourceVersion: rv },
    spec: { type: "Diagnose", ...extra },
    status: group ? { group: { key: "dep:db", primary: "t", role: "Primary" } } : {},
  }) as unknown as SreTask;

const run = (uid: string, rv: string): DiagnosisInput => ({
  diagnosisUid: uid,
  taskUid: "task-1",
  name: uid,
  namespace: "shop",
  phase: "Completed",
  resourceVersion: rv,
  startedAt: "2026-12-07T00:00:00Z",
  findings: [],
});

const stored = (
  tasks: Record<string, ProjectionState["tasks"] extends Map<string, infer V> ? V : never>,
  diagnoses: Record<string, string> = {},
): ProjectionState => ({
  tasks: new Map(Object.entries(tasks)),
  diagnoses: new Map(Object.entries(diagnoses)),
});

const alert = { alert: { labels: { alertname: "X" }, fingerprint: "fp" } } as Partial<SreTask["spec"]>;

describe("storeHolds", () => {
  const d = run("run-1", "12");
  const input: ProjectionInput = { task: task("15"), diagnoses: [d], current: d };
  const state = stored({ "task-1": { incidentRv: "15", diagnosisRv: "12" } }, { "run-1": "12" });

  it("holds when every guarded write is stored at least as new", () => {
    expect(storeHolds(state, input)).toBe(true);
    // Numerically, not as text: "100" is newer than "99".
    const big = stored({ "task-1": { incidentRv: "100", diagnosisRv: "100" } }, { "run-1": "100" });
    expect(storeHolds(big, { task: task("99"), diagnoses: [run("run-1", "99")] })).toBe(true);
  });

  it("does not hold for newer task state, an unrecorded or newer run, or a newer current diagnosis", () => {
    expect(storeHolds(state, { ...input, task: task("16") })).toBe(false);
    expect(storeHolds(state, { ...input, diagnoses: [d, run("run-2", "14")] })).toBe(false);
    expect(storeHolds(state, { ...input, diagnoses: [run("run-1", "13")] })).toBe(false);
    const older = stored({ "task-1": { incidentRv: "15", diagnosisRv: "3" } }, { "run-1": "12" });
    expect(storeHolds(older, input)).toBe(false);
    expect(storeHolds(older, { ...input, current: undefined })).toBe(true);
    expect(storeHolds(stored({}), input)).toBe(false);
    expect(storeHolds(stored({ "task-1": { incidentRv: "x", diagnosisRv: "0" } }), input)).toBe(false);
  });

  it("an alert's storm membership: held only when stored at least as new, or absent on both sides", () => {
    const noGroup = { task: task("15", alert), diagnoses: [] };
    const inGroup = { task: task("15", alert, true), diagnoses: [] };
    expect(storeHolds(stored({ "task-1": { incidentRv: "15", diagnosisRv: "0" } }), noGroup)).toBe(true);
    expect(storeHolds(stored({ "task-1": { incidentRv: "15", diagnosisRv: "0" } }), inGroup)).toBe(false);
    const member = (groupRv: string) => stored({ "task-1": { incidentRv: "15", diagnosisRv: "0", groupRv } });
    expect(storeHolds(member("15"), inGroup)).toBe(true);
    expect(storeHolds(member("14"), inGroup)).toBe(false);
    // A stored membership this newer state leaves: the projection must remove it.
    expect(storeHolds(member("14"), noGroup)).toBe(false);
    expect(storeHolds(member("15"), noGroup)).toBe(true);
  });
});

describe("projectionMark", () => {
  it("changes with the task's state and with each finished run, not with the runs' order", () => {
    const a = run("a", "5");
    const b = run("b", "6");
    const mark = projectionMark({ task: task("7"), diagnoses: [a, b] });
    expect(projectionMark({ task: task("7"), diagnoses: [b, a] })).toBe(mark);
    expect(projectionMark({ task: task("8"), diagnoses: [a, b] })).not.toBe(mark);
    expect(projectionMark({ task: task("7"), diagnoses: [a, run("b", "9")] })).not.toBe(mark);
    expect(projectionMark({ task: task("7"), diagnoses: [a, b], current: b })).not.toBe(mark);
  });
});

describe("ProjectionMemory", () => {
  const input: ProjectionInput = { task: task("15"), diagnoses: [] };
  const held = stored({ "task-1": { incidentRv: "15", diagnosisRv: "0" } });

  it("reads the store once for the start's whole replay, however many projections ask at once", async () => {
    const load = vi.fn(async () => held);
    const memory = new ProjectionMemory(load);
    const answers = await Promise.all([1, 2, 3].map(() => memory.holds("shop/t", input)));
    expect(answers).toEqual([true, true, true]);
    expect(await memory.holds("shop/t", { ...input, task: task("16") })).toBe(false);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("skips what it wrote itself until the task changes or is deleted", async () => {
    const memory = new ProjectionMemory(async () => stored({}));
    expect(await memory.holds("shop/t", input)).toBe(false);
    memory.remember("shop/t", input);
    expect(await memory.holds("shop/t", input)).toBe(true);
    expect(await memory.holds("shop/t", { ...input, task: task("16") })).toBe(false);
    memory.forget("shop/t");
    expect(await memory.holds("shop/t", input)).toBe(false);
  });

  it("retries a failed read, and stops consulting the store's state after a while", async () => {
    let calls = 0;
    const memory = new ProjectionMemory(async () => {
      calls++;
      if (calls === 1) throw new Error("connection refused");
      return held;
    }, 20);
    await expect(memory.holds("shop/t", input)).rejects.toThrow("connection refused");
    expect(await memory.holds("shop/t", input)).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(await memory.holds("shop/other", { ...input, task: task("15") })).toBe(false);
    expect(calls).toBe(2);
  });
});
