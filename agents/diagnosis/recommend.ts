/**
 * Recommendations: only catalog actions (crds/actions.ts), each with the catalog
 * risk and a rationale. RunbookOnly marks the steps a person must take. What each
 * category calls for is declared by the analyzer that owns it (analyzers/registry.ts).
 */
import { factsOf } from "./analyzers/registry.ts";
import { rec } from "./catalog.ts";
import type { Fault } from "./fault.ts";
import type { RolloutContext } from "./rollout-context.ts";
import type { Recommendation } from "./types.ts";

// A BadRollout names the last healthy revision itself; other faults take the previous one.
function rollback(f: Fault, ctx: RolloutContext | undefined): Recommendation[] {
  if (!ctx?.history.previous || !ctx.recent || f.subject.kind !== "Deployment") return [];
  const prev = f.facts.previousRevision ? f.facts.previousRevision : String(ctx.history.previous.revision);
  const why = f.facts.previousHealthyFor ?? ctx.previousText;
  return [
    rec(
      "RolloutUndo",
      f.subject,
      `${why ?? `revision ${prev} ran before`}; the failure started with revision ${ctx.history.newest.revision}`,
      { toRevision: Number(prev) },
    ),
  ];
}

/** The recommended catalog actions for a root cause: rollback, the category's actions, the runbook step. */
export function recommend(f: Fault, ctx: RolloutContext | undefined): Recommendation[] {
  const facts = factsOf(f.category);
  const out = facts.rollback ? rollback(f, ctx) : [];
  out.push(...(facts.actions?.(f) ?? []));
  out.push(rec("RunbookOnly", f.subject, facts.runbook));
  return out;
}
