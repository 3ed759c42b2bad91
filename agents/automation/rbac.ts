/**
 * Least privilege as data: the RBAC rules the automation identity needs for a set of enabled
 * actions, merged from each action's declared rules (docs/design.md, layers). The cdk8s app
 * turns these into the automation ClusterRole (rbac) and a Role in the AgentConfig's
 * namespace (namespacedRbac: the AWS credentials Secret).
 */
import type { V1PolicyRule } from "@kubernetes/client-node";
import type { ActionName } from "../../crds/actions.ts";
import type { Action } from "./action.ts";
import { catalog } from "./catalog.ts";

/** Verbs per [apiGroup, resource, resourceNames] key. */
function verbsByResource(rules: readonly V1PolicyRule[]): Map<string, Set<string>> {
  const verbs = new Map<string, Set<string>>();
  for (const r of rules) {
    for (const group of r.apiGroups ?? [""]) {
      for (const resource of r.resources ?? []) {
        const key = JSON.stringify([group, resource, r.resourceNames ?? []]);
        const set = verbs.get(key) ?? new Set<string>();
        for (const v of r.verbs) set.add(v);
        verbs.set(key, set);
      }
    }
  }
  return verbs;
}

/**
 * Merges rules into the fewest equivalent ones: verbs unioned per resource, then resources
 * with the same group, verbs and names grouped into one rule. Deterministic order.
 */
export function mergeRules(rules: readonly V1PolicyRule[]): V1PolicyRule[] {
  const grouped = new Map<string, string[]>();
  for (const [key, set] of verbsByResource(rules)) {
    const [group, resource, names] = JSON.parse(key) as [string, string, string[]];
    const ruleKey = JSON.stringify([group, [...set].sort(), names]);
    grouped.set(ruleKey, [...(grouped.get(ruleKey) ?? []), resource]);
  }
  return [...grouped.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ruleKey, resources]) => {
      const [group, verbs, names] = JSON.parse(ruleKey) as [string, string[], string[]];
      const rule: V1PolicyRule = { apiGroups: [group], resources: resources.sort(), verbs };
      if (names.length > 0) rule.resourceNames = names;
      return rule;
    });
}

const pick = (names: readonly ActionName[]): Action[] => catalog.all().filter((a) => names.includes(a.name));

/** Cluster-wide rules the automation identity needs for these actions. */
export function automationRules(actions: readonly ActionName[]): V1PolicyRule[] {
  return mergeRules(pick(actions).flatMap((a) => a.rbac));
}

/** Rules the automation identity needs only in the AgentConfig's namespace. */
export function automationNamespacedRules(actions: readonly ActionName[]): V1PolicyRule[] {
  return mergeRules(pick(actions).flatMap((a) => a.namespacedRbac));
}
