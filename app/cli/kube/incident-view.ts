/**
 * What `aisre incident TASK` shows: the task's root cause, evidence and recommendations (its
 * DiagnosisRun), its RemediationPlan and decision, from CR status; and the incident's row and
 * timeline from the incident store when one is configured. Pure, so it is unit-tested.
 */
import type { DiagnosisRun, RemediationPlan, SreTask } from "../../../crds/index.ts";
import type { IncidentDetail } from "../../../store/types.ts";
import { padDisplay } from "./output.ts";
import type { Strings } from "./strings-en.ts";

type Ref = { kind: string; namespace?: string; name: string };

/** The incident as `-o json|yaml` prints it. */
export interface IncidentView {
  task: {
    namespace: string;
    name: string;
    phase?: string;
    type?: string;
    target?: Ref;
    episode?: number;
    message?: string;
  };
  rootCause?: NonNullable<SreTask["status"]>["rootCause"];
  diagnosis?: {
    name: string;
    phase?: string;
    findings: NonNullable<NonNullable<DiagnosisRun["status"]>["findings"]>;
    recommendations: NonNullable<NonNullable<DiagnosisRun["status"]>["recommendations"]>;
    evidenceGaps?: string[];
  };
  plan?: {
    name: string;
    phase?: string;
    risk?: string;
    progress?: string;
    steps: { name: string; action: string; target: Ref; phase?: string }[];
    approval?: NonNullable<RemediationPlan["status"]>["approval"];
  };
  incident?: IncidentDetail;
}

/** The object without its undefined fields, so `-o json` shows only what is known. */
function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== "")) as T;
}

function taskPart(task: SreTask): IncidentView["task"] {
  const s = task.status;
  return compact({
    namespace: task.metadata.namespace ?? "",
    name: task.metadata.name ?? "",
    phase: s?.phase,
    type: s?.classification?.type ?? task.spec.type,
    target: s?.classification?.target ?? task.spec.target,
    episode: s?.episode,
    message: s?.message,
  });
}

function diagnosisPart(run: DiagnosisRun): NonNullable<IncidentView["diagnosis"]> {
  const s = run.status;
  return compact({
    name: run.metadata.name ?? "",
    phase: s?.phase,
    findings: s?.findings ?? [],
    recommendations: s?.recommendations ?? [],
    evidenceGaps: s?.evidenceGaps?.length ? (s.evidenceGaps as string[]) : undefined,
  });
}

function planPart(plan: RemediationPlan): NonNullable<IncidentView["plan"]> {
  const s = plan.status;
  const phases = new Map((s?.steps ?? []).map((st) => [st.name, st.phase]));
  return compact({
    name: plan.metadata.name ?? "",
    phase: s?.phase,
    risk: s?.risk,
    progress: s?.progress,
    steps: plan.spec.steps.map((st) =>
      compact({ name: st.name, action: st.action, target: st.target, phase: phases.get(st.name) }),
    ),
    approval: s?.approval,
  });
}

/** Builds the view from the task, its run and plan (either may be missing), and the store's record. */
export function incidentView(
  task: SreTask,
  run: DiagnosisRun | undefined,
  plan: RemediationPlan | undefined,
  incident: IncidentDetail | undefined,
): IncidentView {
  return compact({
    task: taskPart(task),
    rootCause: task.status?.rootCause ?? run?.status?.rootCause,
    diagnosis: run && diagnosisPart(run),
    plan: plan && planPart(plan),
    incident,
  });
}

const ref = (r: Ref | undefined): string =>
  r ? `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name}` : "";
const at = (d: Date | string | null | undefined): string => (d instanceof Date ? d.toISOString() : (d ?? ""));
const label = (name: string, value: string): string => `${padDisplay(`${name}:`, 18)}${value}`;

function renderTask(view: IncidentView, t: Strings): string[] {
  const { task, rootCause: rc } = view;
  const state = [task.type, task.phase].filter(Boolean).join(", ");
  const out = [label(t.task, `${task.namespace}/${task.name}${state ? ` (${state})` : ""}`)];
  if (task.target) out.push(label(t.target, ref(task.target)));
  const cause = rc
    ? `${rc.category}: ${rc.summary} (${ref(rc.resource)}, ${t.confidence} ${rc.confidence.toFixed(2)})`
    : t.noRootCause;
  out.push(label(t.rootCause, cause));
  if (!rc && task.message) out.push(`${"".padEnd(18)}${task.message}`);
  return out;
}

function renderDiagnosis(d: NonNullable<IncidentView["diagnosis"]>, t: Strings): string[] {
  const out = [label(t.diagnosis, `${d.name}${d.phase ? ` (${d.phase})` : ""}`)];
  if (d.findings.length > 0) out.push(`${t.evidence}:`);
  for (const f of d.findings) {
    out.push(`  - [${f.severity}] ${ref(f.resource)}: ${f.message}`);
    for (const e of f.evidence ?? []) out.push(`      ${e}`);
  }
  for (const gap of d.evidenceGaps ?? []) out.push(`  ! ${gap}`);
  if (d.recommendations.length > 0) out.push(`${t.recommendations}:`);
  for (const r of d.recommendations) out.push(`  - ${r.action} ${ref(r.target)} (${r.risk}): ${r.rationale}`);
  return out;
}

function renderPlan(p: IncidentView["plan"], namespace: string, t: Strings): string[] {
  if (!p) return [label(t.plan, t.noPlan)];
  const extra = [p.phase, p.risk && `risk ${p.risk}`, p.progress && `${t.steps} ${p.progress}`].filter(
    Boolean,
  );
  const out = [label(t.plan, `${p.name}${extra.length ? ` (${extra.join(", ")})` : ""}`)];
  p.steps.forEach((st, i) =>
    out.push(`  ${i + 1}. ${st.name}  ${st.action} ${ref(st.target)}${st.phase ? `  ${st.phase}` : ""}`),
  );
  const a = p.approval;
  if (a) out.push(label(t.decision, `${a.decision} by ${a.decidedBy} via ${a.via} at ${a.decidedAt}`));
  else if (p.phase === "AwaitingApproval")
    out.push(
      label(
        t.decide,
        `kubectl aisre approve ${p.name} -n ${namespace}  |  kubectl aisre reject ${p.name} -n ${namespace} --reason TEXT`,
      ),
    );
  return out;
}

function timelineEntry(e: IncidentDetail["timeline"][number]): string {
  if (e.kind === "diagnosis")
    return `diagnosis ${e.diagnosis.name} ${e.diagnosis.phase}${e.diagnosis.category ? ` ${e.diagnosis.category}` : ""}`;
  if (e.kind === "action")
    return `${e.action.action} ${e.action.phase}${e.action.approvedBy ? ` (approved by ${e.action.approvedBy})` : ""}`;
  return e.kind;
}

function renderStore(detail: IncidentDetail, t: Strings): string[] {
  const inc = detail.incident;
  const alert = [inc.alertname, inc.severity && `(${inc.severity})`].filter(Boolean).join(" ");
  const out = [
    label(t.incident, `${inc.id} ${inc.status}, opened ${at(inc.openedAt)}${alert ? `, ${alert}` : ""}`),
  ];
  if (detail.timeline.length > 0) out.push(`${t.timeline}:`);
  for (const e of detail.timeline) out.push(`  ${at(e.at)}  ${timelineEntry(e)}`);
  return out;
}

/** The view as text for a person, labels in the user's language. */
export function renderIncident(view: IncidentView, t: Strings): string {
  return [
    ...renderTask(view, t),
    ...(view.diagnosis ? renderDiagnosis(view.diagnosis, t) : []),
    ...renderPlan(view.plan, view.task.namespace, t),
    ...(view.incident ? renderStore(view.incident, t) : []),
  ].join("\n");
}
