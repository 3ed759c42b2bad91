/**
 * "Seen 3 times in 30 days; last resolved by RolloutUndo, verified": similar past incidents
 * joined with the remediation audit of the most recent one.
 */
import type { Queryable } from "./database.ts";
import { similarBriefs, type SimilarIncident, type SimilarKeys } from "./similar-incidents.ts";
import { statement, StoreInputError } from "./sql.ts";

/** How the last similar incident's remediation ended. */
export type ResolutionOutcome = "verified" | "succeeded" | "failed" | "undone";

/** The most recent similar incident and what resolved it. */
export interface LastSimilar {
  incidentId: string;
  taskName: string;
  taskNamespace: string;
  openedAt: Date;
  status: string;
  match: SimilarIncident["match"];
  similarity: number | null;
  resolvedAt: Date | null;
  /** The catalog action of its last finished remediation step (e.g. RolloutUndo). */
  action?: string;
  outcome?: ResolutionOutcome;
}

/** Similar incidents within a window. */
export interface IncidentHistory {
  /** How many similar incidents were opened in the window (at most 100 are counted). */
  seen: number;
  days: number;
  last?: LastSimilar;
}

interface StepRow {
  action: string;
  phase: string;
  verified: boolean;
}

// The last finished step of the incident's tasks; "verified" when the step went through
// Verifying or its plan reached Plan/Succeeded (every step verified, docs/adr/0003).
const LAST_STEP_SQL = statement(
  "aisre_last_step",
  `
SELECT a.action, a.phase,
  EXISTS (SELECT 1 FROM remediation_actions v WHERE v.plan_uid = a.plan_uid AND (
    (v.step_index = a.step_index AND v.phase = 'Verifying') OR v.phase = 'Plan/Succeeded')) AS verified
FROM remediation_actions a
WHERE a.task_uid IN (SELECT task_uid FROM incident_tasks WHERE incident_id = $1::uuid)
  AND a.action <> 'Plan' AND a.phase IN ('Succeeded', 'Failed', 'Undone')
ORDER BY a.occurred_at DESC, a.recorded_at DESC
LIMIT 1`,
);

function outcomeOf(step: StepRow): ResolutionOutcome {
  if (step.phase === "Succeeded") return step.verified ? "verified" : "succeeded";
  return step.phase === "Failed" ? "failed" : "undone";
}

/** Similar incidents opened in the last `days` days (1..365, default 30) and how the last one ended. */
export async function incidentHistory(
  db: Queryable,
  keys: SimilarKeys,
  opts: { days?: number; now?: Date; minSimilarity?: number } = {},
): Promise<IncidentHistory> {
  const days = opts.days ?? 30;
  if (!Number.isInteger(days) || days < 1 || days > 365)
    throw new StoreInputError("days must be an integer from 1 to 365");
  const since = new Date((opts.now ?? new Date()).getTime() - days * 86_400_000);
  const hits = await similarBriefs(db, keys, { limit: 100, since, minSimilarity: opts.minSimilarity });
  const [first] = hits;
  if (!first) return { seen: 0, days };
  const { incident } = first;
  const last: LastSimilar = {
    incidentId: incident.id,
    taskName: incident.taskName,
    taskNamespace: incident.taskNamespace,
    openedAt: incident.openedAt,
    status: incident.status,
    match: first.match,
    similarity: first.similarity,
    resolvedAt: incident.resolvedAt,
  };
  const [step] = await db.query<StepRow>(LAST_STEP_SQL, [incident.id]);
  if (step) Object.assign(last, { action: step.action, outcome: outcomeOf(step) });
  return { seen: hits.length, days, last };
}
