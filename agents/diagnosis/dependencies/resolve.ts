/**
 * From an endpoint to what it designates in the cluster: a Service (`svc`, `svc.ns`,
 * `svc.ns.svc`, `svc.ns.svc.cluster.local`, a headless `pod-0.svc.ns...`) and the pods it
 * selects, a Service ClusterIP, a pod IP, a cluster name with no Service behind it, the pod
 * itself (loopback), or an external host.
 */
import type { Endpoints, Pod, Service } from "../k8s.ts";
import type { ClusterView } from "../view.ts";
import type { Endpoint } from "./endpoint.ts";
import { isIp, isLoopback, KNOWN_PORTS } from "./endpoint.ts";

/** What an endpoint designates. */
export type Target =
  | { kind: "self" }
  | { kind: "service"; service: Service; pods: Pod[]; pod?: Pod; port?: number; portKnown: boolean }
  | { kind: "pod"; pod: Pod; port?: number }
  | { kind: "missing"; namespace: string; name: string; port?: number }
  | { kind: "external"; host: string; port?: number };

interface IpIndex {
  services: Map<string, Service>;
  pods: Map<string, Pod>;
}

// Built once per view and only when an IP must be resolved: the view has no IP index.
const ipIndexes = new WeakMap<ClusterView, IpIndex>();

function ipIndex(view: ClusterView): IpIndex {
  let idx = ipIndexes.get(view);
  if (idx) return idx;
  idx = { services: new Map(), pods: new Map() };
  for (const s of view.list<Service>("Service")) {
    const ip = (s.spec as { clusterIP?: string } | undefined)?.clusterIP;
    if (ip && ip !== "None") idx.services.set(ip, s);
  }
  for (const p of view.list<Pod>("Pod")) {
    const ip = (p.status as { podIP?: string } | undefined)?.podIP;
    if (ip && !(p.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork) idx.pods.set(ip, p);
  }
  ipIndexes.set(view, idx);
  return idx;
}

/** The pods a Service sends traffic to: its selector's pods, or its manual Endpoints' pods. */
export function servicePods(view: ClusterView, svc: Service): Pod[] {
  const ns = svc.metadata?.namespace ?? "";
  if (Object.keys(svc.spec?.selector ?? {}).length > 0) return [...view.podsSelected(ns, svc.spec?.selector)];
  return [];
}

/** Ready addresses of a selector-less Service's own Endpoints object (an external database, say). */
export function manualEndpoints(view: ClusterView, svc: Service): number {
  const ep = view.get<Endpoints>("Endpoints", svc.metadata?.namespace ?? "", svc.metadata?.name ?? "");
  return (ep?.subsets ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
}

function serviceTarget(view: ClusterView, svc: Service, port: number | undefined, podName?: string): Target {
  const ns = svc.metadata?.namespace ?? "";
  const ports = svc.spec?.ports ?? [];
  const portKnown =
    port === undefined || ports.some((p) => p.port === port || p.targetPort === port) || ports.length === 0;
  const pod = podName ? view.get<Pod>("Pod", ns, podName) : undefined;
  return {
    kind: "service",
    service: svc,
    pods: pod ? [pod] : servicePods(view, svc),
    ...(pod ? { pod } : {}),
    ...(port ? { port } : {}),
    portKnown,
  };
}

function namespaceExists(view: ClusterView, ns: string): boolean {
  return !!view.get("Namespace", "", ns) || view.list("Service", ns).length > 0;
}

const PRIVATE = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/;

const withPort = (port: number | undefined) => (port ? { port } : {});

function missing(namespace: string, name: string, port: number | undefined): Target {
  return { kind: "missing", namespace, name, ...withPort(port) };
}

/** svc.ns.svc[.domain] and pod.svc.ns.svc[.domain]: always a cluster name. */
function qualified(view: ClusterView, labels: string[], at: number, port?: number): Target {
  const [a, b, c] = labels;
  const [pod, name, ns] = at === 3 ? [a, b!, c!] : [undefined, a!, b!];
  const s = view.get<Service>("Service", ns, name);
  return s ? serviceTarget(view, s, port, pod) : missing(ns, name, port);
}

/** svc, svc.ns, pod.svc (headless, same namespace) and pod.svc.ns; undefined when none fits. */
function shortName(view: ClusterView, labels: string[], fromNs: string, port?: number): Target | undefined {
  const svc = (ns: string, name: string) => view.get<Service>("Service", ns, name);
  const [a, b, c] = labels as [string, string?, string?];
  if (labels.length === 1) {
    const s = svc(fromNs, a);
    return s ? serviceTarget(view, s, port) : missing(fromNs, a, port);
  }
  if (labels.length === 2) {
    const s = svc(b!, a) ?? undefined;
    if (s) return serviceTarget(view, s, port);
    const headless = svc(fromNs, b!);
    if (headless && view.get("Pod", fromNs, a)) return serviceTarget(view, headless, port, a);
    return namespaceExists(view, b!) ? missing(b!, a, port) : undefined;
  }
  const s = labels.length === 3 ? svc(c!, b!) : undefined;
  return s && view.get("Pod", c!, a) ? serviceTarget(view, s, port, a) : undefined;
}

function ipTarget(view: ClusterView, e: Endpoint): Target | undefined {
  const idx = ipIndex(view);
  const svc = idx.services.get(e.host);
  if (svc) return serviceTarget(view, svc, e.port);
  const pod = idx.pods.get(e.host);
  if (pod) return { kind: "pod", pod, ...withPort(e.port) };
  if (e.loose && !KNOWN_PORTS.has(e.port ?? 0)) return undefined;
  // A private address the view does not know may be a pod or Service outside a scoped view
  // (the operator enumerates one namespace): undecided, never an "external host".
  if (PRIVATE.test(e.host)) return undefined;
  return { kind: "external", host: e.host, ...withPort(e.port) };
}

/** What an endpoint designates from a pod in fromNs; undefined for a loose token that names nothing known. */
export function resolveEndpoint(view: ClusterView, e: Endpoint, fromNs: string): Target | undefined {
  if (isLoopback(e.host)) return { kind: "self" };
  if (isIp(e.host)) return ipTarget(view, e);
  const labels = e.host.split(".");
  const at = labels.indexOf("svc");
  const known = at >= 2 ? qualified(view, labels, at, e.port) : shortName(view, labels, fromNs, e.port);
  // A bare word before a colon is only a host when the port is a server's.
  const word = e.loose && labels.length === 1 && !KNOWN_PORTS.has(e.port ?? 0);
  if (known) return known.kind === "missing" && word ? undefined : known;
  if (labels.length === 1 || e.loose) return undefined;
  return { kind: "external", host: e.host, ...withPort(e.port) };
}

/** "Service data/orders-db", "pod data/orders-db-0", "external host api.example.com:443". */
export function showTarget(t: Target): string {
  switch (t.kind) {
    case "service":
      return t.pod
        ? `pod ${t.pod.metadata?.namespace}/${t.pod.metadata?.name} (Service ${t.service.metadata?.name})`
        : `Service ${t.service.metadata?.namespace}/${t.service.metadata?.name}`;
    case "pod":
      return `pod ${t.pod.metadata?.namespace}/${t.pod.metadata?.name}`;
    case "missing":
      return `Service ${t.namespace}/${t.name}`;
    case "external":
      return `external host ${t.port ? `${t.host}:${t.port}` : t.host}`;
    default:
      return "the pod itself";
  }
}
