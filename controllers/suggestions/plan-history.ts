/**
 * The action history a RemediationPlan's policy decision reads: the plan's actions on targets of
 * its namespace (every namespace when a step is cluster-scoped), over 30 days, from the store.
 */
import type { ActionRecord } from "../../agents/automation/history-risk.ts";
import type { RemediationPlan } from "../../crds/index.ts";
import type { Queryable } from "../../store/index.ts";
import { actionHistory } from "../../store/index.ts";

/** Days of audit rows a plan's risk looks back on. */
export const PLAN_HISTORY_DAYS = 30;

/** A RemediationPlan controller `history` option reading the incident store. */
export function planHistory(db: Queryable): (plan: RemediationPlan) => Promise<ActionRecord[]> {
  return async (plan) => {
    const steps = plan.spec.steps;
    if (!steps.length) return [];
    const clusterScoped = steps.some((s) => !s.target.namespace);
    return actionHistory(db, {
      days: PLAN_HISTORY_DAYS,
      ...(clusterScoped ? {} : { namespace: plan.metadata.namespace }),
      actions: [...new Set(steps.map((s) => s.action))],
    });
  };
}
