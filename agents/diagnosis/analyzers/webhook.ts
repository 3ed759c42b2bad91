/**
 * Admission webhooks that cannot be called: their Service is missing or has no
 * ready pod. Named by FailedCreate messages ('failed calling webhook "x"'), or
 * found latent when failurePolicy is Fail.
 */
import { rec } from "../catalog.ts";
import type { Fault } from "../fault.ts";
import type { Pod, Service, WebhookConfiguration, WebhookClientConfig, Workload } from "../k8s.ts";
import { ref, refKey, refOf } from "../refs.ts";
import { workloadsSelectedBy } from "../selection.ts";
import type { Recommendation, ResourceRef } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { isPodReady, isTerminal } from "./util.ts";

const KINDS = ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"];

export interface WebhookHealth {
  config: WebhookConfiguration;
  webhook: string;
  failurePolicy: string;
  service?: ResourceRef;
  problem?: string;
  pods: Pod[];
  backend?: Workload;
}

function serviceHealth(
  view: ClusterView,
  cc: WebhookClientConfig | undefined,
): { problem?: string; pods: Pod[]; backend?: Workload } {
  const s = cc?.service;
  if (!s) return { pods: [] };
  const svc = view.get<Service>("Service", s.namespace, s.name);
  // A snapshot that skipped the service's namespace says nothing about it.
  if (!svc && view.list("Service", s.namespace).length === 0 && view.list("Pod", s.namespace).length === 0)
    return { pods: [] };
  if (!svc) return { problem: `webhook service ${s.namespace}/${s.name} not found`, pods: [] };
  const pods = view.podsSelected(s.namespace, svc.spec?.selector).filter((p) => !isTerminal(p));
  const backend = workloadsSelectedBy(view, s.namespace, svc.spec?.selector)[0];
  if (pods.some(isPodReady)) return { pods, backend };
  const replicas = backend
    ? ` (${backend.kind} ${backend.metadata?.name} spec.replicas=${backend.spec?.replicas ?? 1})`
    : "";
  return {
    problem: `webhook service ${s.namespace}/${s.name} has no ready endpoints: ${pods.length} pod(s), 0 ready${replicas}`,
    pods,
    backend,
  };
}

/** Every webhook of every configuration with the health of its service. */
export function webhookHealth(view: ClusterView): WebhookHealth[] {
  const out: WebhookHealth[] = [];
  for (const kind of KINDS) {
    for (const config of view.list<WebhookConfiguration>(kind)) {
      for (const w of config.webhooks ?? []) {
        const s = w.clientConfig?.service;
        out.push({
          config,
          webhook: w.name,
          failurePolicy: w.failurePolicy ?? "Fail",
          service: s ? ref("Service", s.namespace, s.name) : undefined,
          ...serviceHealth(view, w.clientConfig),
        });
      }
    }
  }
  return out;
}

/** Latent webhook outages: failurePolicy Fail and a service that cannot answer. */
export function analyzeWebhooks(view: ClusterView): Fault[] {
  return webhookHealth(view)
    .filter((h) => h.problem && h.failurePolicy === "Fail")
    .map((h) => ({
      category: "AdmissionWebhookFailure" as const,
      severity: "warning" as const,
      resource: refOf(h.config),
      subject: refOf(h.config),
      message: `${h.config.kind} ${h.config.metadata?.name}: webhook "${h.webhook}" cannot be called (${h.problem})`,
      evidence: [`webhook ${h.webhook} failurePolicy=${h.failurePolicy}`, h.problem!],
      pods: h.pods.map((p) => refKey(refOf(p))),
      facts: {
        detail: h.problem,
        object: h.webhook,
        webhookService: h.service,
        webhookReplicas: h.backend?.spec?.replicas,
        webhookBackend: h.backend ? refOf(h.backend) : undefined,
      },
      strength: 0.7,
    }));
}

function scaleBackUp(f: Fault): Recommendation[] {
  const backend = f.facts.webhookBackend;
  if (!backend || f.facts.webhookReplicas !== 0) return [];
  return [rec("ScaleWorkload", backend, "the webhook backend is scaled to zero", { replicas: 1 })];
}

/** Admission webhooks whose backend cannot answer. */
export const webhooksAnalyzer: Analyzer = {
  name: "webhooks",
  categories: ["AdmissionWebhookFailure"],
  owns: [
    {
      category: "AdmissionWebhookFailure",
      depth: DEPTH.pod,
      runbook: "restore the webhook's backend, or set failurePolicy: Ignore while it is down",
      actions: scaleBackUp,
    },
  ],
  analyze: ({ view }) => analyzeWebhooks(view),
};
