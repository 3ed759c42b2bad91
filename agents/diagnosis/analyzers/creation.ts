/**
 * Pod creation rejected by the API server, read from controllers' FailedCreate
 * events and ReplicaFailure conditions: ResourceQuota ("exceeded quota: ..."),
 * LimitRange ("maximum cpu usage per Container is ..."), an admission webhook
 * ('failed calling webhook "x"'), or a missing ServiceAccount.
 */
import type { ClusterEvent } from "../events.ts";
import { showEvent } from "../events.ts";
import type { Fault } from "../fault.ts";
import type { K8sObject, Workload } from "../k8s.ts";
import { condition } from "../k8s.ts";
import { workloadOfReplicaSet } from "../owners.ts";
import { refOf } from "../refs.ts";
import type { Category, ResourceRef } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import type { WebhookHealth } from "./webhook.ts";
import { webhookHealth } from "./webhook.ts";

const CREATORS = ["ReplicaSet", "StatefulSet", "DaemonSet", "Job", "Deployment"];

/** The category of a creation failure message, or undefined when it is none of ours. */
export function creationCategory(message: string): Category | undefined {
  if (/exceeded quota|failed quota|must specify (limits|requests)/i.test(message)) return "QuotaExceeded";
  if (
    /(maximum|minimum) (cpu|memory|storage|ephemeral-storage) usage per (Container|Pod)|limit to request ratio|LimitRange/i.test(
      message,
    )
  )
    return "QuotaExceeded";
  if (
    /failed calling webhook|admission webhook "[^"]*" denied|webhook .* (no endpoints|connection refused|timeout)/i.test(
      message,
    )
  )
    return "AdmissionWebhookFailure";
  if (/serviceaccounts? "[^"]+" not found|error looking up service account/i.test(message))
    return "MissingConfig";
  return undefined;
}

function shortOfReplicas(obj: Workload): boolean {
  const s = obj.status ?? {};
  const want = obj.kind === "DaemonSet" ? (s.desiredNumberScheduled ?? 0) : (obj.spec?.replicas ?? 1);
  if (obj.kind === "Job") {
    const js = s as { active?: number; succeeded?: number };
    return (js.active ?? 0) === 0 && !(js.succeeded ?? 0);
  }
  const have = obj.kind === "DaemonSet" ? (s.numberReady ?? 0) : (s.replicas ?? 0);
  return have < want;
}

function workloadFor(view: ClusterView, obj: K8sObject): ResourceRef {
  return obj.kind === "ReplicaSet" ? workloadOfReplicaSet(view, obj) : refOf(obj);
}

function conditionMessages(obj: Workload): string[] {
  const c = condition(obj.status?.conditions, "ReplicaFailure");
  return c?.status === "True" && c.message ? [c.message] : [];
}

function webhookFor(message: string, hooks: WebhookHealth[]): WebhookHealth | undefined {
  const name = /webhook "([^"]+)"/.exec(message)?.[1];
  return name ? hooks.find((h) => h.webhook === name) : undefined;
}

interface Failure {
  obj: Workload;
  message: string;
  event?: ClusterEvent;
}

function failures(view: ClusterView): Failure[] {
  const out: Failure[] = [];
  const seen = new Set<Workload>();
  const latest = [...view.allEvents()]
    .filter((e) => e.reason === "FailedCreate" && CREATORS.includes(e.regarding.kind ?? ""))
    .sort((a, b) => (b.lastSeen ?? view.now) - (a.lastSeen ?? view.now));
  for (const e of latest) {
    const obj = view.get<Workload>(
      e.regarding.kind!,
      e.regarding.namespace ?? e.namespace,
      e.regarding.name ?? "",
    );
    if (!obj || seen.has(obj) || !creationCategory(e.message)) continue;
    // A rejection matters while the workload still lacks pods: once it has them all (the
    // quota was raised, the webhook came back) the event is history, however recent.
    if (!shortOfReplicas(obj)) continue;
    seen.add(obj);
    out.push({ obj, message: e.message, event: e });
  }
  for (const kind of CREATORS) {
    for (const obj of view.list<Workload>(kind)) {
      const m = conditionMessages(obj).find((x) => creationCategory(x));
      if (m && !seen.has(obj)) out.push({ obj, message: m });
    }
  }
  return out;
}

function webhookEvidence(hook: WebhookHealth | undefined): string[] {
  if (!hook) return [];
  const line = `${hook.config.kind} ${hook.config.metadata?.name} webhook ${hook.webhook} failurePolicy=${hook.failurePolicy}`;
  return hook.problem ? [line, hook.problem] : [line];
}

function webhookFacts(hook: WebhookHealth | undefined): Fault["facts"] {
  if (!hook) return {};
  return {
    object: hook.webhook,
    webhookService: hook.service,
    webhookReplicas: hook.backend?.spec?.replicas,
    webhookBackend: hook.backend ? refOf(hook.backend) : undefined,
  };
}

function toFault(view: ClusterView, f: Failure, hooks: WebhookHealth[]): Fault {
  const category = creationCategory(f.message)!;
  const subject = workloadFor(view, f.obj);
  const created = `${f.obj.kind} ${f.obj.metadata?.name}: ${f.obj.status?.replicas ?? 0}/${f.obj.spec?.replicas ?? "?"} pods created`;
  const hook = category === "AdmissionWebhookFailure" ? webhookFor(f.message, hooks) : undefined;
  const first = f.event ? showEvent(f.event) : `condition ReplicaFailure=True: ${f.message}`;
  const quota = /exceeded quota: ([^,]+)/.exec(f.message)?.[1];
  return {
    category,
    severity: "critical",
    resource: refOf(f.obj),
    subject,
    message: `${subject.kind} ${subject.name} cannot create pods: ${f.message.slice(0, 260)}`,
    evidence: [first, created, ...webhookEvidence(hook)],
    pods: [],
    facts: { detail: f.message, ...(quota ? { object: quota } : {}), ...webhookFacts(hook) },
    strength: 0.95,
  };
}

/** One fault per controller whose pod creation the API server rejects. */
export function analyzeCreation(view: ClusterView): Fault[] {
  const list = failures(view);
  if (list.length === 0) return [];
  const hooks = webhookHealth(view);
  const out = new Map<string, Fault>();
  for (const f of list) {
    const fault = toFault(view, f, hooks);
    const k = `${fault.category}|${fault.subject.kind}/${fault.subject.namespace}/${fault.subject.name}`;
    if (!out.has(k)) out.set(k, fault);
  }
  return [...out.values()];
}

/** Pods the API server refused to create; webhook and config causes are owned elsewhere. */
export const creationAnalyzer: Analyzer = {
  name: "creation",
  categories: ["QuotaExceeded", "AdmissionWebhookFailure", "MissingConfig"],
  owns: [
    {
      category: "QuotaExceeded",
      depth: DEPTH.pod,
      runbook: "raise the ResourceQuota/LimitRange or lower the pod's requests/limits",
    },
  ],
  analyze: ({ view }) => analyzeCreation(view),
};
