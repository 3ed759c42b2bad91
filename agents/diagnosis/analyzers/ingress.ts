/**
 * Ingresses that cannot route: a backend Service or port that does not exist, an
 * unknown ingressClassName, a missing TLS secret, or controller Warning events.
 */
import { showEvent } from "../events.ts";
import type { Fault } from "../fault.ts";
import type { Ingress, IngressBackend, K8sObject, Pod, Service } from "../k8s.ts";
import { refKey, refOf } from "../refs.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { freshEvents, isTerminal } from "./util.ts";

function backendOf(b: IngressBackend): { service: string; port?: number | string } | undefined {
  const service = b.service?.name ?? b.serviceName;
  if (!service) return undefined;
  const port = b.service?.port?.number ?? b.service?.port?.name ?? b.servicePort;
  return { service, port };
}

/** The backends of an Ingress (default backend and every rule path), as service name + port. */
export function ingressBackends(ing: Ingress): { service: string; port?: number | string }[] {
  const list: IngressBackend[] = ing.spec?.defaultBackend ? [ing.spec.defaultBackend] : [];
  for (const rule of ing.spec?.rules ?? []) list.push(...(rule.http?.paths ?? []).map((p) => p.backend));
  return list.map(backendOf).filter((b): b is { service: string; port?: number | string } => !!b);
}

function backendProblems(view: ClusterView, ing: Ingress, ns: string): { problems: string[]; pods: Pod[] } {
  const problems: string[] = [];
  const pods: Pod[] = [];
  const seen = new Set<string>();
  for (const b of ingressBackends(ing)) {
    const id = `${b.service}:${b.port ?? ""}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const svc = view.get<Service>("Service", ns, b.service);
    if (!svc) {
      problems.push(`backend service "${b.service}" not found in namespace ${ns}`);
      continue;
    }
    pods.push(...view.podsSelected(ns, svc.spec?.selector).filter((p) => !isTerminal(p)));
    const ports = svc.spec?.ports ?? [];
    const ok =
      b.port === undefined ||
      ports.some((p) => p.port === b.port || p.name === b.port || String(p.port) === String(b.port));
    if (!ok)
      problems.push(
        `backend service "${b.service}" has no port ${b.port} (ports: ${ports.map((p) => (p.name ? `${p.name}/${p.port}` : p.port)).join(", ")})`,
      );
  }
  return { problems, pods };
}

function classProblem(view: ClusterView, ing: Ingress): string | undefined {
  const name = ing.spec?.ingressClassName ?? ing.metadata?.annotations?.["kubernetes.io/ingress.class"];
  const classes = view.list<K8sObject>("IngressClass");
  if (!name || classes.length === 0) return undefined;
  if (classes.some((c) => c.metadata?.name === name)) return undefined;
  return `ingressClassName "${name}" matches no IngressClass (have: ${classes.map((c) => c.metadata?.name).join(", ")})`;
}

function tlsProblems(view: ClusterView, ing: Ingress, ns: string): string[] {
  const secrets = view.list<K8sObject>("Secret", ns);
  if (secrets.length === 0) return [];
  return (ing.spec?.tls ?? [])
    .filter((t) => t.secretName && !secrets.some((s) => s.metadata?.name === t.secretName))
    .map((t) => `TLS secret "${t.secretName}" not found in namespace ${ns}`);
}

const CONTROLLER_ERROR = /not found|does not exist|no endpoints|error|invalid|unknown/i;

/** One fault per Ingress that cannot route. */
export function analyzeIngresses(view: ClusterView): Fault[] {
  const out: Fault[] = [];
  for (const ing of view.list<Ingress>("Ingress")) {
    const ns = ing.metadata?.namespace ?? "";
    const { problems, pods } = backendProblems(view, ing, ns);
    const cls = classProblem(view, ing);
    if (cls) problems.push(cls);
    problems.push(...tlsProblems(view, ing, ns));
    const warnings = freshEvents(view, ing).filter(
      (e) => e.type === "Warning" && CONTROLLER_ERROR.test(e.message),
    );
    if (problems.length === 0 && warnings.length === 0) continue;
    out.push({
      category: "IngressMisconfigured",
      severity: problems.length > 0 ? "critical" : "warning",
      resource: refOf(ing),
      subject: refOf(ing),
      message: `Ingress ${ing.metadata?.name}: ${problems[0] ?? warnings[0]!.message}`,
      evidence: [...problems, ...warnings.slice(0, 2).map(showEvent)],
      pods: pods.map((p) => refKey(refOf(p))),
      facts: { detail: problems[0] ?? warnings[0]?.message },
      strength: problems.length > 0 ? 0.95 : 0.6,
    });
  }
  return out;
}

/** Ingresses pointing at a missing Service, port, IngressClass or TLS secret. */
export const ingressesAnalyzer: Analyzer = {
  name: "ingresses",
  categories: ["IngressMisconfigured"],
  owns: [
    {
      category: "IngressMisconfigured",
      depth: DEPTH.edge,
      runbook: "point the Ingress at an existing Service/port, IngressClass and TLS secret",
    },
  ],
  analyze: ({ view }) => analyzeIngresses(view),
};
