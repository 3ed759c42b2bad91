/** The shapes of the console API (docs/console.md). Readers ignore keys they do not know. */

export interface ApiErrorBody {
  error: string;
  message: string;
  field?: string;
  apiServer?: string;
}

export interface Session {
  user: { username: string; groups: string[] };
  csrfToken: string;
  apiServer: string;
}

export interface NamespaceAccess {
  name: string;
  canRead: boolean;
  canApprove: boolean;
  canAsk: boolean;
  canEditAgents: boolean;
}

export interface AgentHealth {
  namespace: string;
  name: string;
  ready: boolean;
  reason?: string;
  message?: string;
}

export interface Overview {
  incidentsBySeverity: Record<string, number>;
  openIncidents: number;
  tasksByPhase: Record<string, number>;
  mttdSeconds: number | null;
  mttrSeconds: number | null;
  topCategories: { category: string; count: number }[];
  agents: AgentHealth[];
  /** False when the sidecar runs without an incident store. */
  storeAvailable?: boolean;
}

export interface Ref {
  kind: string;
  namespace?: string;
  name: string;
}

export interface IncidentItem {
  id: string;
  namespace: string;
  task: string;
  alertname?: string;
  severity?: string;
  category?: string;
  status: string;
  summary?: string;
  openedAt: string;
  resolvedAt?: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Change {
  kind: string;
  namespace?: string;
  name: string;
  at?: string;
  what?: string;
}

export interface RootCause {
  category: string;
  resource?: Ref;
  summary?: string;
  confidence?: number;
  change?: Change;
}

export interface Finding {
  category: string;
  severity?: string;
  resource?: Ref;
  message?: string;
  evidence?: string[];
}

export interface Recommendation {
  action: string;
  target?: Ref;
  params?: Record<string, unknown>;
  risk?: string;
  rationale?: string;
}

export interface RunbookMatch {
  namespace: string;
  name: string;
  title?: string;
  matchedOn?: string | string[];
}

export interface PlanAction {
  action: string;
  target?: Ref | string;
  params?: Record<string, unknown>;
}

export interface AuditRow {
  phase?: string | null;
  approvedBy?: string | null;
  outcome?: string | null;
  message?: string | null;
  dryRunResult?: unknown;
  occurredAt?: string | null;
  finishedAt?: string | null;
}

export interface PlanStep {
  name?: string;
  action?: string;
  target?: Ref | string;
  params?: Record<string, unknown>;
  risk?: string | null;
  description?: string | null;
  phase?: string;
  dryRun?: unknown;
  message?: string | null;
  audit?: AuditRow[];
}

export interface Approval {
  decision?: string;
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
}

export interface Plan {
  namespace: string;
  name: string;
  phase?: string;
  message?: string | null;
  description?: string | null;
  risk?: string | null;
  /** How many objects the steps change. */
  blastRadius?: unknown;
  /** `{passed, results}` once dry runs ran. */
  dryRun?: unknown;
  expiresAt?: string | null;
  approval?: Approval | null;
  canApprove: boolean;
  actions?: PlanAction[];
  steps?: PlanStep[];
  task?: string | { namespace?: string; name: string } | null;
}

export interface IncidentDetail {
  incident: IncidentItem;
  alert?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    startsAt?: string;
    status?: string;
  } | null;
  rootCause?: RootCause | null;
  findings?: Finding[];
  impact?: unknown;
  explanation?: string | null;
  evidenceGaps?: string[];
  recommendations?: Recommendation[];
  runbooks?: RunbookMatch[];
  history?: Record<string, unknown>[];
  similar?: IncidentItem[];
  task?: { namespace: string; name: string; phase?: string } | null;
  plan?: Plan | null;
}

export interface AgentConfigItem {
  namespace: string;
  name: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  llm?: { enabled?: boolean; lastError?: string | null; model?: string; baseURL?: string };
  prometheus?: { url?: string | null; reachable?: boolean | null };
  policy?: Record<string, unknown>;
  /** The cluster policy narrowed by this AgentConfig: what plans of its namespace run under. */
  effectivePolicy?: Record<string, unknown>;
  channels?: string[];
  canEdit: boolean;
}

export interface RunbookItem {
  namespace: string;
  name: string;
  title?: string;
  categories?: string[];
  matchedIncidents?: string[];
}

export interface CapacityItem {
  [key: string]: unknown;
}

export interface Capacity {
  items: CapacityItem[];
  available: boolean;
}
