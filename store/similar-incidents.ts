/**
 * Incidents like a given one, by exact keys only: the same alert fingerprint, or the same
 * root-cause category on the same workload (namespace, kind and name of the target). Full-text
 * similarity is a separate feature; these are the matches an SRE would call "this again".
 */
import { incidentColumns } from "./columns.ts";
import type { Queryable } from "./database.ts";
import { StoreInputError } from "./sql.ts";
import type { Incident } from "./types.ts";

/** One similar incident and why it matched. */
export interface SimilarIncident {
  incident: Incident;
  /** "fingerprint": the same alert; "workload": the same category on the same target. */
  match: "fingerprint" | "workload";
}

/** What to compare with: the incident's own keys. */
export interface SimilarKeys {
  /** Excluded from the answer (the incident itself). */
  id?: string;
  fingerprint?: string | null;
  category?: string | null;
  namespace?: string | null;
  target?: Record<string, unknown> | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);

/** [category, namespace, kind, name] when all but the namespace are known, else null. */
function workloadKeys(keys: SimilarKeys): (string | null)[] | null {
  const kind = str(keys.target?.kind);
  const name = str(keys.target?.name);
  return keys.category && kind && name ? [keys.category, keys.namespace ?? null, kind, name] : null;
}

/** Up to limit (1..100) incidents sharing the fingerprint or category+workload, newest first. */
export async function similarIncidents(
  db: Queryable,
  keys: SimilarKeys,
  limit = 10,
): Promise<SimilarIncident[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new StoreInputError("limit must be an integer from 1 to 100");
  const workload = workloadKeys(keys);
  if (!keys.fingerprint && !workload) return [];
  const self = keys.id && UUID.test(keys.id) ? keys.id : "00000000-0000-0000-0000-000000000000";
  const rows = await db.query<Incident & { byFingerprint: boolean }>(
    `SELECT ${incidentColumns("i")}, (i.fingerprint IS NOT NULL AND i.fingerprint = $2) AS "byFingerprint"
     FROM incidents i
     WHERE i.id <> $1::uuid AND (
       (i.fingerprint IS NOT NULL AND i.fingerprint = $2)
       OR ($3::text IS NOT NULL AND i.category = $3 AND i.namespace IS NOT DISTINCT FROM $4::text
           AND i.target->>'kind' = $5 AND i.target->>'name' = $6))
     ORDER BY i.opened_at DESC, i.id DESC
     LIMIT $7`,
    [self, keys.fingerprint ?? null, ...(workload ?? [null, null, null, null]), limit],
  );
  return rows.map(({ byFingerprint, ...incident }) => ({
    incident,
    match: byFingerprint ? "fingerprint" : "workload",
  }));
}
