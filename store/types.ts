/** Store API types: inputs are CR state, outputs are rows in camelCase. */

/** A timestamp as a Date or an RFC 3339 string (Kubernetes' format). */
export type Timestamp = Date | string;

/** What a write did: inserted a row, updated one, ignored older-or-equal state, or found nothing to update. */
export type WriteOutcome = "inserted" | "updated" | "stale" | "missing";

export const INCIDENT_STATUSES = [
  "open",
  "diagnosing",
  "diagnosed",
  "remediating",
  "failed",
  "resolved",
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** SreTask state to project into an incident. Optional fields left out keep what the row has. */
export interface IncidentInput {
  taskUid: string;
  taskName: string;
  taskNamespace: string;
  /** The SreTask's metadata.resourceVersion: older state never overwrites newer. */
  resourceVersion: string;
  status: IncidentStatus;
  openedAt: Timestamp;
  fingerprint?: string;
  alertname?: string;
  severity?: string;
  /** Namespace of the affected resource (filterable), not of the task. */
  namespace?: string;
  target?: Record<string, unknown>;
  summary?: string;
  rootCause?: string;
  /** rootCause.change of the diagnosis; replaced (or cleared) whenever rootCause is given. */
  rootCauseChange?: Record<string, unknown>;
  category?: string;
  aiAnalysis?: unknown;
  recommendedActions?: unknown[];
  diagnosisRef?: string;
  planRef?: string;
  diagnosedAt?: Timestamp;
  resolvedAt?: Timestamp;
}

export interface Incident {
  id: string;
  taskUid: string;
  taskName: string;
  taskNamespace: string;
  fingerprint: string | null;
  alertname: string | null;
  severity: string | null;
  status: IncidentStatus;
  namespace: string | null;
  target: Record<string, unknown> | null;
  summary: string | null;
  rootCause: string | null;
  rootCauseChange: Record<string, unknown> | null;
  category: string | null;
  aiAnalysis: unknown;
  recommendedActions: unknown[];
  diagnosisRef: string | null;
  planRef: string | null;
  openedAt: Date;
  diagnosedAt: Date | null;
  resolvedAt: Date | null;
  resourceVersion: string;
  createdAt: Date;
  updatedAt: Date;
}

/** DiagnosisRun state to add to an incident (markDiagnosed). */
export interface DiagnosedInput {
  taskUid: string;
  diagnosisUid: string;
  /** The DiagnosisRun's metadata.resourceVersion. */
  resourceVersion: string;
  diagnosedAt: Timestamp;
  rootCause?: string;
  category?: string;
  aiAnalysis?: unknown;
  recommendedActions?: unknown[];
  diagnosisRef?: string;
}

/** Which incident: by its id, by an SreTask that fed it, or the current one of an alert fingerprint. */
export type IncidentRef = { id: string } | { taskUid: string } | { fingerprint: string };

/** DiagnosisRun state for the diagnosis history. */
export interface DiagnosisInput {
  diagnosisUid: string;
  taskUid: string;
  name: string;
  namespace: string;
  phase: string;
  resourceVersion: string;
  startedAt: Timestamp;
  completedAt?: Timestamp;
  rootCause?: string;
  category?: string;
  confidence?: number;
  findings?: unknown[];
  aiAnalysis?: unknown;
  recommendedActions?: unknown[];
}

export interface Diagnosis {
  diagnosisUid: string;
  taskUid: string;
  name: string;
  namespace: string;
  phase: string;
  rootCause: string | null;
  category: string | null;
  confidence: number | null;
  findings: unknown[];
  aiAnalysis: unknown;
  recommendedActions: unknown[];
  startedAt: Date;
  completedAt: Date | null;
  resourceVersion: string;
}

/** One RemediationPlan step reaching one phase (Approved, DryRunPassed, Succeeded, ...). */
export interface RemediationActionInput {
  planUid: string;
  planName: string;
  planNamespace: string;
  taskUid: string;
  stepIndex: number;
  phase: string;
  action: string;
  /** The RemediationPlan's metadata.resourceVersion. */
  resourceVersion: string;
  occurredAt: Timestamp;
  target?: Record<string, unknown>;
  risk?: "low" | "medium" | "high";
  approvedBy?: string;
  dryRunResult?: unknown;
  outcome?: string;
  message?: string;
  finishedAt?: Timestamp;
}

export interface RemediationAction {
  id: string;
  planUid: string;
  planName: string;
  planNamespace: string;
  taskUid: string;
  stepIndex: number;
  phase: string;
  action: string;
  target: Record<string, unknown> | null;
  risk: "low" | "medium" | "high" | null;
  approvedBy: string | null;
  dryRunResult: unknown;
  outcome: string | null;
  message: string | null;
  occurredAt: Date;
  finishedAt: Date | null;
  resourceVersion: string;
}

/** An incident's history in time order. */
export type TimelineEntry =
  | { kind: "opened"; at: Date }
  | { kind: "diagnosis"; at: Date; diagnosis: Diagnosis }
  | { kind: "action"; at: Date; action: RemediationAction }
  | { kind: "resolved"; at: Date };

export interface IncidentDetail {
  incident: Incident;
  timeline: TimelineEntry[];
}

export interface IncidentFilter {
  namespace?: string;
  status?: IncidentStatus | IncidentStatus[];
  severity?: string;
  category?: string;
  fingerprint?: string;
  alertname?: string;
  /** Opened at or after. */
  since?: Timestamp;
  /** Opened before. */
  until?: Timestamp;
  /** Page size, 1..500 (default 50). */
  limit?: number;
  /** nextCursor of the previous page. */
  cursor?: string;
}

export interface IncidentPage {
  items: Incident[];
  /** Pass as cursor for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface ChatTaskRef {
  uid: string;
  name: string;
  namespace: string;
}

export interface ChatSessionInput {
  userId: string;
  /** Default "wecom". */
  channel?: string;
  lastTask?: ChatTaskRef;
  /** Replaces the stored context when given. */
  context?: Record<string, unknown>;
  /** When this state was observed (default now): an older write never overwrites a newer one. */
  at?: Timestamp;
}

export interface ChatSession {
  channel: string;
  userId: string;
  lastTask: ChatTaskRef | null;
  context: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}
