/**
 * Test fixtures shared by the PGlite unit tests and the real-PostgreSQL integration test:
 * the CR-state events of one incident's life, how to apply them, and table snapshots.
 */
import type { Database } from "../database.ts";
import { recordDiagnosis, recordRemediationAction } from "../history.ts";
import { markDiagnosed } from "../incident-status.ts";
import { upsertIncident } from "../incidents.ts";
import { upsertChatSession } from "../chat.ts";
import type {
  ChatSessionInput,
  DiagnosedInput,
  DiagnosisInput,
  IncidentInput,
  IncidentStatus,
  RemediationActionInput,
  WriteOutcome,
} from "../types.ts";

export type StoreEvent =
  | { kind: "incident"; input: IncidentInput }
  | { kind: "diagnosed"; input: DiagnosedInput }
  | { kind: "diagnosis"; input: DiagnosisInput }
  | { kind: "action"; input: RemediationActionInput }
  | { kind: "chat"; input: ChatSessionInput };

/** Applies one event with the store function the projection controller would call. */
export async function applyEvent(db: Database, event: StoreEvent): Promise<WriteOutcome> {
  switch (event.kind) {
    case "incident":
      return (await upsertIncident(db, event.input)).outcome;
    case "diagnosed":
      return markDiagnosed(db, event.input);
    case "diagnosis":
      return recordDiagnosis(db, event.input);
    case "action":
      return recordRemediationAction(db, event.input);
    case "chat":
      return upsertChatSession(db, event.input);
  }
}

/** A minimal open incident of task taskUid at resourceVersion rv (fingerprint "fp-shared"). */
export function openInput(taskUid: string, rv: number, extra: Partial<IncidentInput> = {}): IncidentInput {
  return {
    taskUid,
    taskName: taskUid,
    taskNamespace: "aisre-system",
    resourceVersion: String(rv),
    status: "open",
    openedAt: "2026-03-01T08:00:00Z",
    fingerprint: "fp-shared",
    namespace: "shop",
    ...extra,
  };
}

const BASE = Date.parse("2026-03-01T08:00:00.000Z");
const at = (n: number, seconds: number) => new Date(BASE + n * 3_600_000 + seconds * 1000).toISOString();

/**
 * Every state an incident goes through, in the order the CRs changed: SreTask states are
 * cumulative (each carries what the previous had), as CR status is.
 */
export function incidentLife(n: number, ns = "shop"): StoreEvent[] {
  const taskUid = `task-${n}`;
  const task = (rv: number, status: IncidentStatus, extra: Partial<IncidentInput> = {}): StoreEvent => ({
    kind: "incident",
    input: {
      taskUid,
      taskName: `alert-${n}`,
      taskNamespace: "aisre-system",
      resourceVersion: String(rv),
      status,
      openedAt: at(n, 0),
      fingerprint: `fp-${n}`,
      alertname: n % 2 ? "KubePodCrashLooping" : "KubeDeploymentReplicasMismatch",
      severity: n % 3 ? "warning" : "critical",
      namespace: ns,
      target: { kind: "Deployment", namespace: ns, name: `web-${n}` },
      summary: `web-${n} is crash looping`,
      ...extra,
    },
  });
  const diagnosis = {
    rootCause: "OOMKilled: memory limit 128Mi too low",
    category: "resources",
    confidence: 0.9,
  };
  const recommended = [{ action: "SetResources", params: { memory: "256Mi" } }];
  const diagnosed = {
    ...diagnosis,
    recommendedActions: recommended,
    diagnosisRef: `alert-${n}-diag`,
    diagnosedAt: at(n, 30),
  };
  const run = (rv: number, phase: string, extra: Partial<DiagnosisInput> = {}): StoreEvent => ({
    kind: "diagnosis",
    input: {
      diagnosisUid: `diag-${n}`,
      taskUid,
      name: `alert-${n}-diag`,
      namespace: "aisre-system",
      phase,
      resourceVersion: String(rv),
      startedAt: at(n, 5),
      ...extra,
    },
  });
  const step = (
    rv: number,
    index: number,
    phase: string,
    s: number,
    extra: Partial<RemediationActionInput> = {},
  ): StoreEvent => ({
    kind: "action",
    input: {
      planUid: `plan-${n}`,
      planName: `alert-${n}-plan`,
      planNamespace: "aisre-system",
      taskUid,
      stepIndex: index,
      phase,
      action: index === 0 ? "SetResources" : "RolloutRestart",
      resourceVersion: String(rv),
      occurredAt: at(n, s),
      target: { kind: "Deployment", namespace: ns, name: `web-${n}` },
      risk: index === 0 ? "medium" : "low",
      ...extra,
    },
  });
  const lastTask = { uid: taskUid, name: `alert-${n}`, namespace: "aisre-system" };
  return [
    task(10, "open"),
    task(11, "diagnosing"),
    run(12, "Running"),
    run(14, "Completed", {
      ...diagnosis,
      findings: [{ analyzer: "pod", reason: "OOMKilled" }],
      recommendedActions: recommended,
      completedAt: at(n, 30),
    }),
    { kind: "diagnosed", input: { taskUid, diagnosisUid: `diag-${n}`, resourceVersion: "14", ...diagnosed } },
    task(16, "diagnosed", { ...diagnosed, planRef: `alert-${n}-plan` }),
    step(20, 0, "Approved", 40, { approvedBy: "alice" }),
    step(21, 0, "DryRunPassed", 41, {
      approvedBy: "alice",
      dryRunResult: { ok: true, diff: "memory: 128Mi -> 256Mi" },
    }),
    step(22, 0, "Succeeded", 42, { approvedBy: "alice", outcome: "succeeded" }),
    step(23, 0, "Succeeded", 42, {
      approvedBy: "alice",
      outcome: "succeeded",
      message: "verified",
      finishedAt: at(n, 50),
    }),
    task(24, "remediating", { ...diagnosed, planRef: `alert-${n}-plan` }),
    task(30, "resolved", { ...diagnosed, planRef: `alert-${n}-plan`, resolvedAt: at(n, 60) }),
    {
      kind: "chat",
      input: { userId: `user-${n}`, lastTask, context: { lang: "zh", turn: 1 }, at: at(n, 10) },
    },
    {
      kind: "chat",
      input: { userId: `user-${n}`, lastTask, context: { lang: "zh", turn: 2 }, at: at(n, 70) },
    },
  ];
}

/** Deterministic shuffle (mulberry32), so a failing order can be reproduced from its seed. */
export function shuffled<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Applies events in the given order like the projection controller: "missing" (the
 * incident is not projected yet) is requeued behind the rest.
 */
export async function project(db: Database, events: StoreEvent[]): Promise<WriteOutcome[]> {
  const queue = [...events];
  const outcomes: WriteOutcome[] = [];
  for (let guard = 0; queue.length > 0 && guard < events.length * 4; guard++) {
    const event = queue.shift() as StoreEvent;
    const outcome = await applyEvent(db, event);
    if (outcome === "missing") queue.push(event);
    else outcomes.push(outcome);
  }
  if (queue.length > 0) throw new Error(`${queue.length} events stayed "missing"`);
  return outcomes;
}

const TABLES = ["incidents", "incident_tasks", "diagnoses", "remediation_actions", "chat_sessions"] as const;

/** Empties every store table (between tests). */
export async function resetStore(db: Database): Promise<void> {
  await db.exec(`TRUNCATE ${TABLES.join(", ")}`);
}

// Row identity that does not depend on generated ids or write times.
const SNAPSHOT_SQL: Record<(typeof TABLES)[number], string> = {
  incidents: "SELECT * FROM incidents ORDER BY task_uid",
  incident_tasks:
    "SELECT t.*, i.task_uid AS incident_task_uid FROM incident_tasks t JOIN incidents i ON i.id = t.incident_id ORDER BY t.task_uid",
  diagnoses: "SELECT * FROM diagnoses ORDER BY diagnosis_uid",
  remediation_actions: "SELECT * FROM remediation_actions ORDER BY plan_uid, step_index, phase",
  chat_sessions: "SELECT * FROM chat_sessions ORDER BY channel, user_id",
};

const VOLATILE = new Set(["id", "incident_id", "created_at", "updated_at", "recorded_at", "linked_at"]);

/** Every row of every store table; volatile: false drops generated ids and write times. */
export async function snapshot(
  db: Database,
  options: { volatile?: boolean } = {},
): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const rows = await db.query<Record<string, unknown>>(SNAPSHOT_SQL[table]);
    out[table] = rows.map((row) =>
      Object.fromEntries(
        Object.entries(row)
          .filter(([k]) => options.volatile !== false || !VOLATILE.has(k))
          .map(([k, v]) => [k, typeof v === "bigint" || typeof v === "number" ? String(v) : v]),
      ),
    );
  }
  return out;
}

/** Row counts per table. */
export async function counts(db: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = row?.n ?? 0;
  }
  return out;
}
