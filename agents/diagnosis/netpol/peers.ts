/**
 * From a client's log line to the connection it failed to make: the host:port it timed out
 * on, the Service or pod that host designates, the server pods behind it and the destination
 * port after Service translation. Pure: reads the view only.
 */
import { LOOKUP_FAILURE, serviceOfHost } from "../dns.ts";
import type { Labels, Pod, Service } from "../k8s.ts";
import type { ClusterView } from "../view.ts";
import type { Endpoint, NamedPort } from "./types.ts";

/** A connection attempt that timed out (a dropped packet), or that a rejecting CNI refused. */
export const TIMEOUT =
  /(i\/o timeout|timed out|ETIMEDOUT|deadline exceeded|timeout|no route to host|EHOSTUNREACH|connection refused|ECONNREFUSED|no response)/i;

const HOST_PORT =
  /(?:->|\/|@|\s|^|["'(=])((?:\d{1,3}\.){3}\d{1,3}|[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*):(\d{2,5})\b/gi;
const PY = /host='([^']+)', port=(\d+)/;

/** The host and port a timeout line names, or undefined. A failed lookup targets cluster DNS. */
export function timedOutPeer(line: string): { host: string; port: number; dns?: boolean } | undefined {
  if (!TIMEOUT.test(line)) return undefined;
  if (LOOKUP_FAILURE.test(line)) return { host: "kube-dns.kube-system", port: 53, dns: true };
  const py = PY.exec(line);
  if (py) return { host: py[1]!, port: Number(py[2]) };
  let last: { host: string; port: number } | undefined;
  for (const m of line.matchAll(HOST_PORT)) last = { host: m[1]!, port: Number(m[2]) };
  return last;
}

/** The evaluator's view of a pod. */
export function endpointOf(pod: Pod): Endpoint {
  const ports: NamedPort[] = (pod.spec?.containers ?? []).flatMap((c) =>
    (c.ports ?? []).map((p) => ({ ...p, protocol: (p as NamedPort).protocol ?? "TCP" })),
  );
  const ip = (pod.status as { podIP?: string } | undefined)?.podIP;
  return {
    namespace: pod.metadata?.namespace ?? "",
    name: pod.metadata?.name ?? "",
    labels: pod.metadata?.labels ?? {},
    ports,
    ...(ip ? { ip } : {}),
  };
}

/** The server side of a connection: the pods that serve it and the port they listen on. */
export interface Server {
  service?: Service;
  pods: Pod[];
  /** The destination pod port for a pod (Service targetPort resolved, named ports included). */
  portOf(pod: Pod): number | undefined;
  protocol: string;
  show: string;
}

interface SvcPort {
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

function targetOf(pod: Pod, p: SvcPort): number | undefined {
  const t = p.targetPort ?? p.port;
  if (typeof t === "number") return t;
  if (/^\d+$/.test(t)) return Number(t);
  for (const c of pod.spec?.containers ?? [])
    for (const cp of c.ports ?? []) if (cp.name === t) return cp.containerPort;
  return undefined;
}

function byClusterIp(view: ClusterView, ip: string): Service | undefined {
  return view
    .list<Service>("Service")
    .find((s) => (s.spec as { clusterIP?: string } | undefined)?.clusterIP === ip);
}

function byPodIp(view: ClusterView, ip: string): Pod | undefined {
  return view.list<Pod>("Pod").find((p) => (p.status as { podIP?: string } | undefined)?.podIP === ip);
}

function serviceServer(view: ClusterView, svc: Service, port: number): Server | undefined {
  const ports = (svc.spec as { ports?: SvcPort[] } | undefined)?.ports ?? [];
  // Some clients log the target port with the Service name: accept it when no Service port matches.
  const sp = ports.find((p) => p.port === port) ?? ports.find((p) => p.targetPort === port);
  if (!sp) return undefined;
  const ns = svc.metadata?.namespace ?? "";
  return {
    service: svc,
    pods: [...view.podsSelected(ns, svc.spec?.selector as Labels | undefined)],
    portOf: (pod) => targetOf(pod, sp),
    protocol: (sp.protocol ?? "TCP").toUpperCase(),
    show: `Service ${ns}/${svc.metadata?.name} port ${port}`,
  };
}

/** The server a host:port designates from a client in fromNs, or undefined when it is not in the view. */
export function serverOf(view: ClusterView, host: string, port: number, fromNs: string): Server | undefined {
  const isIp = /^(\d{1,3}\.){3}\d{1,3}$/.test(host);
  const svc = isIp ? byClusterIp(view, host) : serviceOfHost(view, host, fromNs);
  if (svc) return serviceServer(view, svc, port);
  const pod = isIp ? byPodIp(view, host) : undefined;
  if (!pod) return undefined;
  return {
    pods: [pod],
    portOf: () => port,
    protocol: "TCP",
    show: `pod ${pod.metadata?.namespace}/${pod.metadata?.name} port ${port}`,
  };
}
