/**
 * classifyTask: the master agent's rules. An SreTask (explicit type, alert labels, free
 * text in Chinese or English) becomes a task type and a target with a confidence; the
 * LLM is consulted only when the rules are unsure (llm.ts). Pure.
 */
import type { SreTask } from "../../crds/index.ts";
import { alertTarget, alertType } from "./alerts.ts";
import type { Intent } from "./intent.ts";
import { intentType, scoreIntent } from "./intent.ts";
import { findTarget } from "./target.ts";
import type { Scored, Target, TaskClassification, TaskType } from "./types.ts";
import { UNSURE_BELOW, round } from "./types.ts";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A target that fits the CRD's ObjectReference, or undefined. */
export function validTarget(t: Target | undefined): Target | undefined {
  if (!t || !/^[A-Z][A-Za-z0-9]*$/.test(t.kind) || t.kind.length > 63) return undefined;
  if (!t.name || t.name.length > 253) return undefined;
  const out: Target = { kind: t.kind, name: t.name };
  if (t.namespace && t.namespace.length <= 63 && DNS_LABEL.test(t.namespace)) out.namespace = t.namespace;
  return out;
}

/** "Kind ns/name" or "Kind name". */
export function showTarget(t: Target): string {
  return t.namespace ? `${t.kind} ${t.namespace}/${t.name}` : `${t.kind} ${t.name}`;
}

type Spec = SreTask["spec"];

function alertText(spec: Spec): string {
  const a = spec.alert?.annotations ?? {};
  return [spec.description, a.summary, a.description, a.message].filter(Boolean).join("\n");
}

function decideType(spec: Spec, intent: Intent | undefined): Scored<TaskType> {
  if (spec.type && spec.type !== "Auto")
    return { value: spec.type, confidence: 1, why: `spec.type is ${spec.type}` };
  if (spec.alert) return alertType(spec.alert.labels.alertname);
  const guess = intent && intentType(intent);
  if (guess) {
    const words = intent.matched.slice(0, 3).join(", ");
    return { value: guess.type, confidence: guess.confidence, why: `the text says "${words}"` };
  }
  return { value: "Diagnose", confidence: 0.3, why: "nothing says what to do, so diagnose" };
}

function decideTarget(spec: Spec, intent: Intent | undefined): Scored<Target> | undefined {
  const given = validTarget(spec.target);
  if (given) return { value: given, confidence: 1, why: "spec.target" };
  const fromAlert = spec.alert ? alertTarget(spec.alert) : undefined;
  if (fromAlert && fromAlert.value.kind !== "Namespace") return fromAlert;
  const text = spec.alert ? alertText(spec) : (spec.description ?? "");
  const ns = spec.alert?.labels.namespace || undefined;
  const fromText = text ? findTarget(text, intent?.nodeVerb, ns) : undefined;
  return fromText ?? fromAlert;
}

/** How much the type's need for a target is met. */
function targetConfidence(type: TaskType, target: Scored<Target> | undefined, hasAlert: boolean): number {
  if (target) return target.confidence;
  if (type === "HealthCheck") return 1;
  if (type === "Remediate") return 0.4;
  return hasAlert ? 0.75 : 0.6;
}

/** Classifies an SreTask by rules: explicit type, then alert, then text; the confidence is its weakest part's. */
export function classifyTask(task: SreTask): TaskClassification {
  const spec = task.spec ?? {};
  const intent = spec.description ? scoreIntent(spec.description) : undefined;
  const type = decideType(spec, intent);
  const found = decideTarget(spec, intent);
  const valid = found && validTarget(found.value);
  const target = found && valid ? { ...found, value: valid } : undefined;
  // "Check X" asks for a health check of a namespace, node or the cluster, a diagnosis of anything else.
  if (intent?.lookOnly && type.confidence < 1 && !spec.alert) {
    const broad = !target || ["Namespace", "Node"].includes(target.value.kind);
    type.value = broad ? "HealthCheck" : "Diagnose";
  }
  const confidence = round(Math.min(type.confidence, targetConfidence(type.value, target, !!spec.alert)));
  const where = target ? `target ${showTarget(target.value)} from ${target.why}` : "no target named";
  const out: TaskClassification = {
    type: type.value,
    confidence,
    method: "Rules",
    rationale: `${type.why}; ${where}.`.slice(0, 1024),
    unsure: confidence < UNSURE_BELOW,
  };
  if (target) out.target = target.value;
  return out;
}
