/**
 * What the operator annotates in Grafana, and how: an incident opened, diagnosed, resolved or
 * failed (from the task notifications of notify/events.ts) and each executed remediation step
 * (from the plan's audit entries), tagged namespace, workload and category so a dashboard's
 * annotation query can filter them. Texts go through the chat redactor (notify/views.ts).
 */
import type { GrafanaEvent } from "../../crds/agentconfig-grafana.ts";
import type { ObjectReference, RemediationPlan, SreTask } from "../../crds/index.ts";
import type { Notification } from "../channel.ts";
import { safeText } from "../views.ts";

/** One annotation to post: which event it is, a key that posts it once, and its content. */
export interface AnnotationItem {
  event: GrafanaEvent;
  /** Posting the same key twice in one process posts once. */
  key: string;
  time: number;
  timeEnd?: number;
  tags: string[];
  text: string;
}

/** One audit entry of a plan (the shape of controllers/remediationplan/audit.ts AuditEntry). */
export interface StepEntry {
  plan: RemediationPlan;
  stepIndex: number;
  phase: string;
  message: string;
  at: string;
}

const KIND_EVENTS: Partial<Record<Notification["kind"], GrafanaEvent>> = {
  IncidentOpened: "IncidentOpened",
  Diagnosed: "Diagnosed",
  Remediated: "Resolved",
  Failed: "Failed",
};

/** Phases of a step that end it after it executed. */
const STEP_ENDS: readonly string[] = ["Succeeded", "Failed", "Undone"];

const ms = (t: string | undefined): number | undefined => (t ? Date.parse(t) || undefined : undefined);
const workload = (t: ObjectReference) => `${t.kind}/${t.name}`;

/** namespace:, workload:, category: and event: tags (Grafana tags are free strings). */
function tagsOf(
  event: GrafanaEvent,
  namespace: string,
  target?: ObjectReference,
  category?: string,
): string[] {
  const tags = ["aisre", `event:${event}`, `namespace:${namespace}`];
  if (target) tags.push(`workload:${workload(target)}`);
  if (category) tags.push(`category:${category}`);
  return tags;
}

const targetOf = (task: SreTask) =>
  task.spec.target ?? task.status?.classification?.target ?? task.status?.rootCause?.resource;

/** When the incident started and ended (now while it has not), in epoch milliseconds. */
function spanOf(task: SreTask, now: number): { started: number; ended: number } {
  const status = task.status ?? {};
  const started = ms(status.startTime) ?? ms(task.metadata.creationTimestamp as string | undefined) ?? now;
  const ended = ms(status.resolvedAt) ?? ms(status.completionTime) ?? now;
  return { started, ended: Math.max(ended, started) };
}

/** The redacted detail of an event: the root cause once diagnosed, else the request. */
function detailOf(task: SreTask, event: GrafanaEvent): string | undefined {
  if (event === "Diagnosed") return safeText(task.status?.rootCause?.summary);
  return safeText(task.spec.description ?? task.status?.message);
}

/** The annotation of a task notification, or undefined for kinds not annotated (AwaitingApproval). */
export function incidentAnnotation(n: Notification, now: number): AnnotationItem | undefined {
  const event = KIND_EVENTS[n.kind];
  if (!event) return undefined;
  const { task } = n;
  const namespace = task.metadata.namespace ?? "default";
  const { started, ended } = spanOf(task, now);
  const detail = detailOf(task, event);
  const base = {
    event,
    key: `${task.metadata.uid ?? namespace}/${task.status?.episode ?? 1}/${event}`,
    tags: tagsOf(event, namespace, targetOf(task), task.status?.rootCause?.category),
    text: `${event} ${namespace}/${task.metadata.name ?? "?"}${detail ? `: ${detail}` : ""}`,
  };
  // Resolved and Failed span the incident, from its start to its end: a region on the dashboards.
  if (event === "Resolved" || event === "Failed") return { ...base, time: started, timeEnd: ended };
  return { ...base, time: event === "IncidentOpened" ? started : now };
}

/** The annotation of a step that ended after executing (a region from its start), else undefined. */
export function stepAnnotation(e: StepEntry): AnnotationItem | undefined {
  if (e.stepIndex < 0 || !STEP_ENDS.includes(e.phase)) return undefined;
  const step = e.plan.spec.steps[e.stepIndex];
  const status = e.plan.status?.steps?.find((s) => s.name === step?.name);
  if (!step || !status?.executedAt) return undefined;
  const namespace = e.plan.metadata.namespace ?? "default";
  const end = ms(e.at) ?? Date.now();
  const start = Math.min(ms(status.startedAt) ?? ms(status.executedAt) ?? end, end);
  const message = safeText(e.message);
  return {
    event: "RemediationStep",
    key: `${e.plan.metadata.uid ?? namespace}/${e.stepIndex}/${e.phase}`,
    time: start,
    timeEnd: end,
    tags: [
      ...tagsOf("RemediationStep", namespace, step.target),
      `action:${step.action}`,
      `outcome:${e.phase}`,
    ],
    text: `${step.action} ${workload(step.target)} ${e.phase} (plan ${namespace}/${e.plan.metadata.name ?? "?"})${message ? `: ${message}` : ""}`,
  };
}
