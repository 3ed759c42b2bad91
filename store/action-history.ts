/**
 * Per catalog action and target: how its remediation steps ended (verified, undone, failed) and
 * how long verification took, from the remediation audit (remediation_actions) over a window.
 */
import type { Queryable } from "./database.ts";
import { StoreInputError } from "./sql.ts";

/** How one finished step ended: Succeeded (its verification passed), Undone or Failed. */
export type StepOutcome = "verified" | "undone" | "failed";

/** The history of one action on one target. */
export interface ActionHistory {
  action: string;
  target: { kind: string; namespace?: string; name: string };
  /** Finished steps in the window. */
  total: number;
  verified: number;
  undone: number;
  failed: number;
  /** Seconds from Verifying to Succeeded, over verified steps that went through Verifying. */
  medianVerifySeconds: number | null;
  maxVerifySeconds: number | null;
  lastOutcome: StepOutcome;
  lastAt: Date;
}

/** Which history to read. */
export interface ActionHistoryQuery {
  /** Window in days, 1..365 (default 30). */
  days?: number;
  now?: Date;
  /** Only targets in this namespace. */
  namespace?: string;
  /** Only these actions. */
  actions?: string[];
}

// One row per (plan, step): its phases folded; a step undone after it succeeded counts as undone,
// a failed step undone as undone too (the target went back either way).
const HISTORY_SQL = `
WITH steps AS (
  SELECT min(a.action) AS action, min(a.target->>'kind') AS kind, min(a.target->>'namespace') AS namespace,
    min(a.target->>'name') AS name,
    CASE WHEN bool_or(a.phase = 'Undone') THEN 'undone' WHEN bool_or(a.phase = 'Failed') THEN 'failed'
      WHEN bool_or(a.phase = 'Succeeded') THEN 'verified' END AS outcome,
    max(a.occurred_at) FILTER (WHERE a.phase IN ('Succeeded', 'Failed', 'Undone')) AS ended_at,
    extract(epoch FROM max(COALESCE(a.finished_at, a.occurred_at)) FILTER (WHERE a.phase = 'Succeeded')
      - min(a.occurred_at) FILTER (WHERE a.phase = 'Verifying'))::double precision AS verify_s
  FROM remediation_actions a
  WHERE a.action <> 'Plan' AND a.occurred_at >= $1::timestamptz
    AND ($2::text IS NULL OR a.target->>'namespace' = $2::text)
    AND ($3::text[] IS NULL OR a.action = ANY($3::text[]))
  GROUP BY a.plan_uid, a.step_index
)
SELECT action, kind, namespace, name,
  count(*)::int AS total,
  count(*) FILTER (WHERE outcome = 'verified')::int AS verified,
  count(*) FILTER (WHERE outcome = 'undone')::int AS undone,
  count(*) FILTER (WHERE outcome = 'failed')::int AS failed,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY verify_s) FILTER (WHERE outcome = 'verified') AS median_s,
  max(verify_s) FILTER (WHERE outcome = 'verified') AS max_s,
  (array_agg(outcome ORDER BY ended_at DESC))[1] AS last_outcome,
  max(ended_at) AS last_at
FROM steps
WHERE outcome IS NOT NULL AND kind IS NOT NULL AND name IS NOT NULL
GROUP BY action, kind, namespace, name
ORDER BY max(ended_at) DESC, action, kind, namespace, name`;

interface Row {
  action: string;
  kind: string;
  namespace: string | null;
  name: string;
  total: number;
  verified: number;
  undone: number;
  failed: number;
  median_s: number | null;
  max_s: number | null;
  last_outcome: StepOutcome;
  last_at: Date | string;
}

const seconds = (v: number | null): number | null => (v === null ? null : Math.round(Number(v) * 10) / 10);

/** Checks a window in days (1..365) and returns its start. */
export function windowStart(days: number, now: Date): Date {
  if (!Number.isInteger(days) || days < 1 || days > 365)
    throw new StoreInputError("days must be an integer from 1 to 365");
  return new Date(now.getTime() - days * 86_400_000);
}

/** Every (action, target) with a finished step in the window, most recent first: one query. */
export async function actionHistory(db: Queryable, q: ActionHistoryQuery = {}): Promise<ActionHistory[]> {
  const since = windowStart(q.days ?? 30, q.now ?? new Date());
  const rows = await db.query<Row>(HISTORY_SQL, [
    since.toISOString(),
    q.namespace ?? null,
    q.actions?.length ? q.actions : null,
  ]);
  return rows.map((r) => ({
    action: r.action,
    target: { kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}), name: r.name },
    total: r.total,
    verified: r.verified,
    undone: r.undone,
    failed: r.failed,
    medianVerifySeconds: seconds(r.median_s),
    maxVerifySeconds: seconds(r.max_s),
    lastOutcome: r.last_outcome,
    lastAt: new Date(r.last_at),
  }));
}

/** The history of one action on one target out of a list from actionHistory. */
export function historyOf(
  list: readonly ActionHistory[],
  action: string,
  target: { kind: string; namespace?: string; name: string },
): ActionHistory | undefined {
  return list.find(
    (h) =>
      h.action === action &&
      h.target.kind === target.kind &&
      h.target.name === target.name &&
      (h.target.namespace ?? "") === (target.namespace ?? ""),
  );
}
