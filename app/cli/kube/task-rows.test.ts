import { describe, expect, it } from "vitest";
import type { SreTask } from "../../../crds/index.ts";
import { taskHeaders, taskList, taskRow, taskTarget } from "./task-rows.ts";

const now = Date.parse("2026-12-06T10:10:00Z");
const task = (status?: SreTask["status"], spec: Partial<SreTask["spec"]> = {}): SreTask => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "SreTask",
  metadata: { name: "why-checkout", namespace: "shop", creationTimestamp: "2026-12-06T10:00:00Z" as never },
  spec: {
    type: "Auto",
    source: "Alertmanager",
    target: { kind: "Deployment", namespace: "shop", name: "spec-target" },
    ...spec,
  },
  ...(status ? { status } : {}),
});

describe("task rows", () => {
  const classified = task({
    phase: "AwaitingApproval",
    classification: {
      type: "Remediate",
      target: { kind: "Deployment", namespace: "shop", name: "checkout" },
      confidence: 0.9,
      method: "Rules",
    },
    rootCause: {
      category: "BadRollout",
      resource: { kind: "Deployment", namespace: "shop", name: "checkout" },
      summary: "revision 5 crashes",
      confidence: 0.9,
    },
    remediationPlanRef: { name: "why-checkout" },
    episode: 2,
  });

  it("prints name, phase, category, the classifier's target and age", () => {
    expect(taskRow(classified, now, { allNamespaces: false, wide: false })).toEqual([
      "why-checkout",
      "AwaitingApproval",
      "BadRollout",
      "Deployment/checkout",
      "10m",
    ]);
    expect(taskHeaders({ allNamespaces: false, wide: false })).toEqual([
      "NAME",
      "PHASE",
      "CATEGORY",
      "TARGET",
      "AGE",
    ]);
  });

  it("adds NAMESPACE first with -A and TYPE, SOURCE, PLAN, EPISODE with -o wide", () => {
    const opts = { allNamespaces: true, wide: true };
    expect(taskHeaders(opts)).toEqual([
      "NAMESPACE",
      "NAME",
      "PHASE",
      "CATEGORY",
      "TARGET",
      "AGE",
      "TYPE",
      "SOURCE",
      "PLAN",
      "EPISODE",
    ]);
    expect(taskRow(classified, now, opts)).toEqual([
      "shop",
      "why-checkout",
      "AwaitingApproval",
      "BadRollout",
      "Deployment/checkout",
      "10m",
      "Remediate",
      "Alertmanager",
      "why-checkout",
      "2",
    ]);
  });

  it("falls back to the spec before the operator wrote a status", () => {
    const fresh = task();
    expect(taskTarget(fresh)).toBe("Deployment/spec-target");
    expect(taskRow(fresh, now, { allNamespaces: false, wide: true })).toEqual([
      "why-checkout",
      "",
      "",
      "Deployment/spec-target",
      "10m",
      "Auto",
      "Alertmanager",
      "",
      "",
    ]);
    expect(taskTarget(task(undefined, { target: undefined, description: "x" }))).toBe("");
  });

  it("lists as kubectl's v1 List, each item with apiVersion and kind", () => {
    const { apiVersion: _a, kind: _k, ...bare } = classified;
    expect(taskList([bare as SreTask], "aisre.io/v1alpha1")).toEqual({
      apiVersion: "v1",
      kind: "List",
      items: [{ ...bare, apiVersion: "aisre.io/v1alpha1", kind: "SreTask" }],
      metadata: { resourceVersion: "" },
    });
  });
});
