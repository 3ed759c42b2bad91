/**
 * Services that route nowhere: a selector that matches no pod (and no workload
 * template), a targetPort no container exposes, or matching pods none of which
 * is ready (ServiceNoEndpoints, the fallback when no deeper cause shows).
 */
import type { Fault } from "../fault.ts";
import type { Endpoints, EndpointSlice, Pod, Service } from "../k8s.ts";
import { refKey, refOf } from "../refs.ts";
import { jobsSelectedBy, nearestLabels, workloadsSelectedBy } from "../selection.ts";
import { showSelector, asSelector } from "../selectors.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { isPodReady, isTerminal } from "./util.ts";

interface Spec {
  category: Fault["category"];
  message: string;
  evidence: string[];
  pods?: Pod[];
  strength: number;
}

function fault(svc: Service, s: Spec): Fault {
  return {
    category: s.category,
    severity: "critical",
    resource: refOf(svc),
    subject: refOf(svc),
    message: s.message,
    evidence: s.evidence,
    pods: (s.pods ?? []).map((p) => refKey(refOf(p))),
    facts: { detail: s.message },
    strength: s.strength,
  };
}

function endpointEvidence(view: ClusterView, svc: Service): string[] {
  const ns = svc.metadata?.namespace ?? "";
  const name = svc.metadata?.name ?? "";
  const ep = view.get<Endpoints>("Endpoints", ns, name);
  const out: string[] = [];
  if (ep) {
    const ready = (ep.subsets ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
    const notReady = (ep.subsets ?? []).reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
    out.push(`Endpoints ${name}: ${ready} ready address(es), ${notReady} notReadyAddresses`);
  }
  const slices = view
    .list<EndpointSlice>("EndpointSlice", ns)
    .filter((s) => s.metadata?.labels?.["kubernetes.io/service-name"] === name);
  if (slices.length > 0) {
    const all = slices.flatMap((s) => s.endpoints ?? []);
    out.push(
      `EndpointSlices: ${all.filter((e) => e.conditions?.ready !== false).length}/${all.length} endpoints ready`,
    );
  }
  return out;
}

function portMismatch(svc: Service, pods: Pod[]): string | undefined {
  for (const port of svc.spec?.ports ?? []) {
    const target = port.targetPort ?? port.port;
    const declared = pods.map((p) => (p.spec?.containers ?? []).flatMap((c) => c.ports ?? []));
    if (typeof target === "string" && !/^\d+$/.test(target)) {
      if (!declared.some((ports) => ports.some((cp) => cp.name === target)))
        return `targetPort "${target}" names no container port of the selected pods`;
      continue;
    }
    const num = Number(target);
    if (declared.every((ports) => ports.length > 0 && !ports.some((cp) => cp.containerPort === num))) {
      const have = [...new Set(declared.flat().map((cp) => cp.containerPort))].join(",");
      return `targetPort ${num} matches no containerPort of the selected pods (they expose ${have})`;
    }
  }
  return undefined;
}

function noPodFault(view: ClusterView, svc: Service, sel: string): Fault {
  const ns = svc.metadata?.namespace ?? "";
  const name = svc.metadata?.name ?? "";
  const selector = svc.spec?.selector ?? {};
  const workloads = workloadsSelectedBy(view, ns, selector);
  const w = workloads[0];
  if (w) {
    const has = `${w.kind} ${w.metadata?.name} matches the selector but has ${w.status?.replicas ?? 0} pod(s)`;
    const f = fault(svc, {
      category: "ServiceNoEndpoints",
      message: `Service ${name} has no endpoints: ${w.kind} ${w.metadata?.name} runs no pod`,
      evidence: [sel, has],
      strength: 0.6,
    });
    // Deliberately scaled to zero: not an incident on its own.
    if (workloads.every((x) => x.spec?.replicas === 0)) f.severity = "info";
    return f;
  }
  return batchFault(view, svc, sel) ?? mismatchFault(view, svc, sel);
}

function batchFault(view: ClusterView, svc: Service, sel: string): Fault | undefined {
  const name = svc.metadata?.name ?? "";
  const jobs = jobsSelectedBy(view, svc.metadata?.namespace ?? "", svc.spec?.selector ?? {});
  if (jobs.length > 0) {
    const evidence = [
      sel,
      `selects the pods of ${jobs[0]!.kind} ${jobs[0]!.metadata?.name}, none running now`,
    ];
    return {
      ...fault(svc, {
        category: "ServiceNoEndpoints",
        message: `Service ${name} has no running pod (batch workload)`,
        evidence,
        strength: 0.4,
      }),
      severity: "info",
    };
  }
  return undefined;
}

function mismatchFault(view: ClusterView, svc: Service, sel: string): Fault {
  const ns = svc.metadata?.namespace ?? "";
  const name = svc.metadata?.name ?? "";
  const selector = svc.spec?.selector ?? {};
  const near = nearestLabels(view, ns, selector);
  const evidence = [
    sel,
    `no pod in namespace ${ns} matches the selector`,
    ...(near ? [`nearest: ${near}`] : []),
    ...endpointEvidence(view, svc),
  ];
  return fault(svc, {
    category: "ServiceSelectorMismatch",
    message: `Service ${name} selects no pod (${showSelector(asSelector(selector))})`,
    evidence,
    strength: 0.9,
  });
}

function analyzeService(view: ClusterView, svc: Service): Fault | undefined {
  const ns = svc.metadata?.namespace ?? "";
  const name = svc.metadata?.name ?? "";
  const pods = view.podsSelected(ns, svc.spec?.selector).filter((p) => !isTerminal(p));
  const sel = `spec.selector=${showSelector(asSelector(svc.spec?.selector))}`;
  if (pods.length === 0) return noPodFault(view, svc, sel);
  const mismatch = portMismatch(svc, pods);
  if (mismatch)
    return fault(svc, {
      category: "ServiceSelectorMismatch",
      message: `Service ${name}: ${mismatch}`,
      evidence: [sel, mismatch],
      pods,
      strength: 0.85,
    });
  if (pods.some(isPodReady)) return undefined;
  const evidence = [sel, `${pods.length} pod(s) match, 0 ready`, ...endpointEvidence(view, svc)];
  return fault(svc, {
    category: "ServiceNoEndpoints",
    message: `Service ${name} has ${pods.length} matching pod(s) but none is ready`,
    evidence,
    pods,
    strength: 0.6,
  });
}

/** One fault per Service that routes nowhere. */
export function analyzeServices(view: ClusterView): Fault[] {
  const out: Fault[] = [];
  for (const svc of view.list<Service>("Service")) {
    if (svc.spec?.type === "ExternalName" || Object.keys(svc.spec?.selector ?? {}).length === 0) continue;
    const f = analyzeService(view, svc);
    if (f) out.push(f);
  }
  return out;
}

/** Services that route nowhere: a selector or port that matches no pod, or no ready endpoint. */
export const servicesAnalyzer: Analyzer = {
  name: "services",
  categories: ["ServiceSelectorMismatch", "ServiceNoEndpoints"],
  owns: [
    {
      category: "ServiceSelectorMismatch",
      depth: DEPTH.service,
      runbook: "make the Service selector and targetPort match the pods' labels and container ports",
    },
    {
      category: "ServiceNoEndpoints",
      depth: DEPTH.endpoints,
      runbook: "find why the selected pods are not ready",
      // Nearly always a symptom: the cause below it was not seen.
      confidence: -0.1,
    },
  ],
  analyze: ({ view }) => analyzeServices(view),
};
