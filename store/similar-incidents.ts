/**
 * Incidents like a given one: by exact keys (the same alert fingerprint, or the same root-cause
 * category on the same workload) and by a similar log/evidence signature (pg_trgm similarity of
 * the normalized signature, migration 006). Exact keys are what an SRE would call "this again";
 * the signature finds the same failure on another workload or under another alert.
 */
import { incidentBriefColumns, incidentColumns } from "./columns.ts";
import type { Queryable } from "./database.ts";
import { statement, StoreInputError, ts, type Statement } from "./sql.ts";
import type { Incident, Timestamp } from "./types.ts";

/** The fields of a similar incident a diagnosis's history shows (similarBriefs). */
export type IncidentBrief = Pick<
  Incident,
  "id" | "taskName" | "taskNamespace" | "status" | "openedAt" | "resolvedAt"
>;

/** One similar incident and why it matched. */
export interface SimilarIncident<T = Incident> {
  incident: T;
  /**
   * "fingerprint": the same alert; "workload": the same category on the same target;
   * "signature": a similar normalized log/evidence signature.
   */
  match: "fingerprint" | "workload" | "signature";
  /** pg_trgm similarity of the signatures (0..1); null when either has none. */
  similarity: number | null;
}

/** What to compare with: the incident's own keys. */
export interface SimilarKeys {
  /** Excluded from the answer (the incident itself); its stored signature is used when no text is given. */
  id?: string;
  /** Excluded too: the incident this SreTask feeds (it may not be projected yet). */
  taskUid?: string | null;
  fingerprint?: string | null;
  category?: string | null;
  namespace?: string | null;
  target?: Record<string, unknown> | null;
  /** Root cause and evidence text, normalized by the database (aisre_signature) before comparing. */
  text?: string | null;
}

/** How far to look. */
export interface SimilarOptions {
  /** 1..100, default 10. */
  limit?: number;
  /** Least signature similarity, 0.3..1 (default 0.5); 0.3 is pg_trgm's index threshold. */
  minSimilarity?: number;
  /** Only incidents opened at or after. */
  since?: Timestamp;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_UUID = "00000000-0000-0000-0000-000000000000";
const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);

/** [category, namespace, kind, name] when all but the namespace are known, else null. */
function workloadKeys(keys: SimilarKeys): (string | null)[] | null {
  const kind = str(keys.target?.kind);
  const name = str(keys.target?.name);
  return keys.category && kind && name ? [keys.category, keys.namespace ?? null, kind, name] : null;
}

function checkedOptions(opts: number | SimilarOptions): Required<Omit<SimilarOptions, "since">> & {
  since: string | null;
} {
  const o = typeof opts === "number" ? { limit: opts } : opts;
  const limit = o.limit ?? 10;
  const minSimilarity = o.minSimilarity ?? 0.5;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new StoreInputError("limit must be an integer from 1 to 100");
  if (!(minSimilarity >= 0.3 && minSimilarity <= 1))
    throw new StoreInputError("minSimilarity must be a number from 0.3 to 1");
  return { limit, minSimilarity, since: ts(o.since, "since") };
}

// MATERIALIZED: the signature of the text is computed once, not inlined into every row's test.
// Candidates come from index scans (fingerprint, opened_at, the exact signature through
// md5(signature), migration 012, and the trigram index through `%`, pg_trgm's indexed similarity
// test at its 0.3 default); one OR over the table would be a sequential scan computing
// similarity() for every row. The outer query applies the threshold. The keyed branches keep
// only their newest $7 (the answer's own limit, with the same exclusions, so the answer is the
// same). In an alert storm thousands of incidents share one signature and the trigram branch
// handed every one of them to a similarity recheck: 0.25-0.35 s a lookup on 5,000 incidents,
// inside every diagnosis. So it runs only when fewer than $7 incidents have exactly the same
// signature; with $7 or more, the answer is the newest of those and the keyed matches. An equal
// signature is similarity 1 without computing it: trigrams of a long signature for each of the
// $7 exact matches were most of a lookup (3.6 of 10 ms at 3,400 incidents).
const similarSql = (columns: string): string => `
WITH me AS MATERIALIZED (
  SELECT COALESCE(aisre_signature($8::text), (SELECT signature FROM incidents WHERE id = $1::uuid)) AS sig
), mine AS MATERIALIZED (
  SELECT t.incident_id FROM incident_tasks t WHERE t.task_uid = $9::text
), exact AS MATERIALIZED (
  SELECT i.id FROM incidents i, me
  WHERE me.sig IS NOT NULL AND i.signature IS NOT NULL AND md5(i.signature) = md5(me.sig)
    AND i.signature = me.sig AND i.id <> $1::uuid AND i.id NOT IN (SELECT incident_id FROM mine)
    AND ($11::timestamptz IS NULL OR i.opened_at >= $11::timestamptz)
  ORDER BY i.opened_at DESC, i.id DESC LIMIT $7
), cand AS (
  (SELECT i.id FROM incidents i WHERE $2::text IS NOT NULL AND i.fingerprint = $2
    AND i.id <> $1::uuid AND i.id NOT IN (SELECT incident_id FROM mine)
    AND ($11::timestamptz IS NULL OR i.opened_at >= $11::timestamptz)
    ORDER BY i.opened_at DESC, i.id DESC LIMIT $7)
  UNION
  (SELECT i.id FROM incidents i WHERE $3::text IS NOT NULL AND i.category = $3
    AND i.namespace IS NOT DISTINCT FROM $4::text AND i.target->>'kind' = $5 AND i.target->>'name' = $6
    AND i.id <> $1::uuid AND i.id NOT IN (SELECT incident_id FROM mine)
    AND ($11::timestamptz IS NULL OR i.opened_at >= $11::timestamptz)
    ORDER BY i.opened_at DESC, i.id DESC LIMIT $7)
  UNION
  SELECT id FROM exact
  UNION
  SELECT i.id FROM incidents i, me WHERE me.sig IS NOT NULL AND i.signature % me.sig
    AND (SELECT count(*) FROM exact) < $7
)
SELECT ${columns},
  (i.fingerprint IS NOT NULL AND i.fingerprint = $2) AS "byFingerprint",
  ($3::text IS NOT NULL AND i.category = $3 AND i.namespace IS NOT DISTINCT FROM $4::text
    AND i.target->>'kind' = $5 AND i.target->>'name' = $6) AS "byWorkload",
  (CASE WHEN i.signature = me.sig THEN 1 ELSE similarity(i.signature, me.sig) END)::float8 AS "similarity"
FROM cand JOIN incidents i ON i.id = cand.id, me
WHERE i.id <> $1::uuid
  AND NOT EXISTS (SELECT 1 FROM incident_tasks t WHERE t.incident_id = i.id AND t.task_uid = $9::text)
  AND ($11::timestamptz IS NULL OR i.opened_at >= $11::timestamptz)
  AND (
    (i.fingerprint IS NOT NULL AND i.fingerprint = $2)
    OR ($3::text IS NOT NULL AND i.category = $3 AND i.namespace IS NOT DISTINCT FROM $4::text
        AND i.target->>'kind' = $5 AND i.target->>'name' = $6)
    OR (me.sig IS NOT NULL AND (i.signature = me.sig OR similarity(i.signature, me.sig) >= $10::float8)))
ORDER BY i.opened_at DESC, i.id DESC
LIMIT $7`;

const FULL = statement("aisre_similar_incidents", similarSql(incidentColumns("i")));
// A diagnosis's history counts up to 100 matches and shows the newest: whole rows (five jsonb
// columns) were most of what the lookup sent and the operator parsed.
const BRIEF = statement("aisre_similar_briefs", similarSql(incidentBriefColumns("i")));

type Row<T> = T & { byFingerprint: boolean; byWorkload: boolean; similarity: number | null };

/**
 * Up to limit incidents sharing the fingerprint, the category on the same workload, or a
 * signature at least minSimilarity alike, newest first; never the incident itself.
 */
export function similarIncidents(
  db: Queryable,
  keys: SimilarKeys,
  opts: number | SimilarOptions = {},
): Promise<SimilarIncident[]> {
  return lookup<Incident>(db, FULL, keys, opts);
}

/** The same matches as similarIncidents, with only the fields of an IncidentBrief. */
export function similarBriefs(
  db: Queryable,
  keys: SimilarKeys,
  opts: number | SimilarOptions = {},
): Promise<SimilarIncident<IncidentBrief>[]> {
  return lookup<IncidentBrief>(db, BRIEF, keys, opts);
}

async function lookup<T>(
  db: Queryable,
  sql: Statement,
  keys: SimilarKeys,
  opts: number | SimilarOptions,
): Promise<SimilarIncident<T>[]> {
  const { limit, minSimilarity, since } = checkedOptions(opts);
  const workload = workloadKeys(keys);
  const self = keys.id && UUID.test(keys.id) ? keys.id : NIL_UUID;
  const text = keys.text?.trim() || null;
  if (!keys.fingerprint && !workload && !text && self === NIL_UUID) return [];
  const rows = await db.query<Row<T>>(sql, [
    self,
    keys.fingerprint ?? null,
    ...(workload ?? [null, null, null, null]),
    limit,
    text,
    keys.taskUid ?? null,
    minSimilarity,
    since,
  ]);
  return rows.map(({ byFingerprint, byWorkload, similarity, ...incident }) => ({
    incident: incident as T,
    match: byFingerprint ? "fingerprint" : byWorkload ? "workload" : "signature",
    similarity: similarity === null ? null : Math.round(similarity * 1000) / 1000,
  }));
}

/** The normalized signature the database computes for text (what similarity compares). */
export async function signatureOf(db: Queryable, text: string): Promise<string | null> {
  const [row] = await db.query<{ sig: string | null }>("SELECT aisre_signature($1::text) AS sig", [text]);
  return row?.sig ?? null;
}
