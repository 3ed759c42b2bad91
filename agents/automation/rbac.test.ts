import { describe, expect, it } from "vitest";
import { ACTION_NAMES } from "../../crds/actions.ts";
import { automationNamespacedRules, automationRules, mergeRules } from "./rbac.ts";

describe("automation RBAC", () => {
  it("merges rules into the fewest equivalent ones, deterministically", () => {
    const merged = mergeRules([
      { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"] },
      { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: ["patch", "get"] },
      { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
    ]);
    expect(merged).toEqual([
      { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
      { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: ["get", "patch"] },
    ]);
  });

  it("grants exactly what the enabled actions need", () => {
    expect(automationRules(["CordonNode"])).toEqual([
      { apiGroups: [""], resources: ["nodes"], verbs: ["get", "patch"] },
    ]);
    expect(automationRules(["RunbookOnly", "Ec2RebootInstance"])).toEqual([]);
    expect(automationNamespacedRules(["Ec2StopInstance"])).toEqual([
      { apiGroups: [""], resources: ["secrets"], verbs: ["get"] },
    ]);
    expect(automationNamespacedRules(["DrainNode"])).toEqual([]);
  });

  it("never grants Secrets cluster-wide, never deletes workloads, and evicts rather than deleting on drain", () => {
    const all = automationRules(ACTION_NAMES);
    const verbsOf = (group: string, resource: string) =>
      all
        .filter((r) => r.apiGroups?.includes(group) && r.resources?.includes(resource))
        .flatMap((r) => r.verbs);
    expect(verbsOf("", "secrets")).toEqual([]);
    expect(verbsOf("apps", "deployments")).toEqual(["get", "patch"]);
    expect(verbsOf("", "pods/eviction")).toEqual(["create"]);
    expect(verbsOf("", "pods").sort()).toEqual(["delete", "get", "list"]);
    expect(verbsOf("batch", "jobs").sort()).toEqual(["create", "delete", "get"]);
    for (const r of all) expect(r.verbs).not.toContain("*");
    expect(all).toMatchSnapshot();
  });
});
