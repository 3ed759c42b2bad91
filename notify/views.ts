/**
 * Safe views of tasks and plans for chat text: every string that came from a resource is
 * redacted, flattened to one line, bounded, and dropped when it looks like a raw log line.
 * The string tables (wecom/strings-*.ts) only ever see these views, never the resources.
 */
import type { ObjectReference, RemediationPlan, SreTask } from "../crds/index.ts";
import { redactText } from "../redact/index.ts";

/** What chat text may say about an SreTask. */
export interface TaskView {
  /** namespace/name */
  ref: string;
  phase: string;
  /** namespace/Kind/name of the target, when known. */
  target?: string;
  /** The request, sanitized. */
  description?: string;
  rootCause?: string;
  /** The change that explains the onset (rootCause.change), when the diagnosis names one. */
  change?: ChangeView;
  /** 0–100. */
  confidence?: number;
  /** The latest status message, sanitized. */
  message?: string;
  /** namespace/name of the plan, when one exists. */
  planRef?: string;
}

/** What chat text may say about rootCause.change: "ConfigMap shop/api-config", "07:41 UTC". */
export interface ChangeView {
  object: string;
  /** HH:MM UTC, as the issue's example reads; the full time is in the task status. */
  time: string;
  what?: string;
}

/** The safe view of a root cause's change, or undefined when it is missing or unreadable. */
export function changeView(
  change: { kind: string; namespace?: string; name: string; at: string; what?: string } | undefined,
): ChangeView | undefined {
  const at = change ? Date.parse(change.at) : NaN;
  if (!change || Number.isNaN(at)) return undefined;
  const object = safeText(
    `${change.kind} ${change.namespace ? `${change.namespace}/` : ""}${change.name}`,
    120,
  );
  if (!object) return undefined;
  const view: ChangeView = { object, time: `${new Date(at).toISOString().slice(11, 16)} UTC` };
  const what = safeText(change.what, 120);
  if (what) view.what = what;
  return view;
}

function changePart(status: NonNullable<SreTask["status"]>): Pick<TaskView, "change"> {
  const change = changeView(status.rootCause?.change);
  return change ? { change } : {};
}

/** What chat text may say about a RemediationPlan. */
export interface PlanView {
  ref: string;
  phase: string;
  risk?: string;
  /** One line per step: "RolloutRestart Deployment shop/checkout". */
  steps: string[];
  description?: string;
}

// A line that starts like a log record: a timestamp, a level word, logfmt or JSON log fields.
const LOG_LINE =
  /^\s*(?:\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|[IWEF]\d{4} \d{2}:\d{2}|\[?(?:TRACE|DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL|PANIC)\b|(?:level|lvl|ts|time)=|\{\s*"(?:level|msg|time|ts|@timestamp)")/i;

/** True when a text looks like a raw log line rather than a sentence about one. */
export function looksLikeLogLine(text: string): boolean {
  return LOG_LINE.test(text);
}

/**
 * Makes resource text safe for chat: redacted, on one line, without markdown that could
 * disguise a link or a tag, raw log lines dropped, at most max characters; undefined when empty.
 */
export function safeText(text: string | undefined, max = 200): string | undefined {
  if (!text) return undefined;
  const lines = text.split(/\r?\n/).filter((line) => !looksLikeLogLine(line));
  const flat = redactText(lines.join(" "))
    .replace(/\s+/g, " ")
    .replace(/[<>[\]`]/g, (c) => ({ "<": "＜", ">": "＞", "[": "［", "]": "］", "`": "'" })[c] ?? c)
    .trim();
  if (flat === "") return undefined;
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "namespace/Kind/name" (or "Kind/name" for cluster-scoped targets). */
export function targetText(ref: ObjectReference): string {
  return ref.namespace ? `${ref.namespace}/${ref.kind}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** namespace/name of an object. */
export function refOf(meta: { namespace?: string; name?: string }): string {
  return `${meta.namespace ?? "default"}/${meta.name ?? "?"}`;
}

/** The safe view of an SreTask. */
export function taskView(task: SreTask): TaskView {
  const status = task.status ?? {};
  const target = task.spec.target ?? status.classification?.target ?? status.rootCause?.resource;
  const namespace = task.metadata.namespace ?? "default";
  const view: TaskView = { ref: refOf(task.metadata), phase: status.phase ?? "Pending" };
  if (target) view.target = targetText(target);
  const description = safeText(task.spec.description, 120);
  if (description) view.description = description;
  const rootCause = safeText(status.rootCause?.summary);
  if (rootCause) view.rootCause = rootCause;
  if (status.rootCause) view.confidence = Math.round(status.rootCause.confidence * 100);
  Object.assign(view, changePart(status));
  const message = safeText(status.message);
  if (message) view.message = message;
  if (status.remediationPlanRef) view.planRef = `${namespace}/${status.remediationPlanRef.name}`;
  return view;
}

/** The safe view of a RemediationPlan. */
export function planView(plan: RemediationPlan): PlanView {
  const view: PlanView = {
    ref: refOf(plan.metadata),
    phase: plan.status?.phase ?? "Pending",
    steps: plan.spec.steps.slice(0, 10).map((s) => `${s.action} ${targetText(s.target)}`),
  };
  if (plan.status?.risk) view.risk = plan.status.risk;
  const description = safeText(plan.spec.description);
  if (description) view.description = description;
  return view;
}
