/**
 * The diagnosis contract (docs/diagnosis.md §2–3): categories, findings, root cause and
 * recommendations exactly as `aisre diagnose --output json` prints them.
 */
import type { ActionName, Risk } from "../../crds/actions.ts";

// The categories are API (Runbooks match on them, CRD schemas enumerate them): one list, in crds/.
export { CATEGORIES, METRIC_CATEGORIES, SNAPSHOT_CATEGORIES } from "../../crds/categories.ts";
export type { Category, Severity } from "../../crds/categories.ts";
import type { Category, Severity } from "../../crds/categories.ts";

/** A Kubernetes object by kind, namespace ("" when cluster-scoped) and name. */
export interface ResourceRef {
  kind: string;
  namespace: string;
  name: string;
}

/** A reference as printed: namespace omitted for cluster-scoped kinds (Node, webhook configurations). */
export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

/** The one cause the engine names (null in DiagnosisResult when nothing is wrong). */
export interface RootCause {
  category: Category;
  resource: ObjectRef;
  summary: string;
  confidence: number;
  /** The most recent change that explains the onset (docs/diagnosis.md, what changed); optional. */
  change?: RootCauseChange;
}

/** A change to an object shortly before the first failure: docs/diagnosis.md `rootCause.change`. */
export interface RootCauseChange {
  kind: string;
  namespace?: string;
  name: string;
  /** RFC 3339 time of the change. */
  at: string;
  /** What changed and how it lines up with the onset, e.g. "data changed 2 min before the first crash". */
  what: string;
}

/** Many failing workloads explained by one failing dependency (optional output). */
export interface Impact {
  /** The dependency that fails (a Service, StatefulSet, external host as kind "ExternalHost"). */
  dependency: ObjectRef;
  /** The workloads that fail because of it, the root cause's own workload included. */
  affected: ObjectRef[];
  /** One sentence, e.g. "5 workloads fail because orders-db is down". */
  summary: string;
}

/** One observed failure with evidence a person can check against the cluster. */
export interface Finding {
  category: Category;
  severity: Severity;
  resource: ObjectRef;
  message: string;
  evidence: string[];
}

/** A catalog action the engine proposes; never executed by the diagnosis. */
export interface Recommendation {
  action: ActionName;
  target: ObjectRef;
  params: Record<string, string | number | boolean>;
  risk: Risk;
  rationale: string;
}

/** A Runbook custom resource that matched the incident (optional output field). */
export interface RunbookMatch {
  namespace: string;
  name: string;
  title?: string;
  matchedOn: string[];
}

/** The whole diagnosis output (docs/diagnosis.md §2). */
export interface DiagnosisResult {
  rootCause: RootCause | null;
  findings: Finding[];
  recommendations: Recommendation[];
  runbooks?: RunbookMatch[];
  /** The symptoms one failing dependency explains, grouped (optional). */
  impact?: Impact;
  /** Evidence the engine could not read (Prometheus down, a query timed out); optional. */
  evidenceGaps?: string[];
}

/** The alert being investigated, in Alertmanager's shape. */
export interface AlertInfo {
  status?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
}

/** What the investigation starts from: an alert, an explicit target, or neither. */
export interface Focus {
  alert?: AlertInfo;
  target?: ResourceRef;
}
