/**
 * Name-lookup failures as applications log them (Go, Java, Python, Node, curl, nginx), and the
 * cluster DNS as the snapshot shows it (the kube-dns Service and the pods labelled
 * k8s-app=kube-dns, CoreDNS or kube-dns). Pure: no I/O.
 */
import type { Pod, Service, Workload } from "./k8s.ts";
import type { ClusterView } from "./view.ts";

/** A line that reports a failed lookup in one of the common wordings. */
export const LOOKUP_FAILURE =
  /(lookup \S+ on \S+:53|lookup \S+: (?:no such host|i\/o timeout|server misbehaving|Try again)|getaddrinfo (?:EAI_AGAIN|ENOTFOUND)|Temporary failure in name resolution|Name or service not known|UnknownHostException|Could not resolve host|could not be resolved \(|Name does not resolve|No address associated with hostname)/;

/** Wordings that mean the DNS server did not answer (as opposed to answering "no such name"). */
const NO_ANSWER =
  /(i\/o timeout|EAI_AGAIN|Temporary failure in name resolution|server misbehaving|timed out|Try again|SERVFAIL|connection refused)/i;

const HOST = [
  /lookup ([^\s:]+)(?: on |: )/,
  /getaddrinfo \w+ ([^\s:'",]+)/,
  /UnknownHostException: ([^\s:'",]+)/,
  /Could not resolve host: ([^\s:'",]+)/,
  /Failed to resolve '([^']+)'/,
  /host='([^']+)'/,
  /"([^"\s]+)" could not be resolved/,
  /upstream "?([^\s"]+)"? could not be resolved/,
];

/** One failed lookup: the name and whether the server did not answer at all. */
export interface Lookup {
  host?: string;
  noAnswer: boolean;
}

/** Parses a lookup failure line, or undefined when the line is not one. */
export function parseLookup(line: string): Lookup | undefined {
  if (!LOOKUP_FAILURE.test(line)) return undefined;
  let host: string | undefined;
  for (const re of HOST) {
    const m = re.exec(line);
    if (m?.[1]) {
      host = m[1].replace(/\.$/, "");
      break;
    }
  }
  return { noAnswer: NO_ANSWER.test(line), ...(host ? { host } : {}) };
}

/** The Service a cluster name designates (svc, svc.ns, svc.ns.svc[.cluster.local]), if it exists. */
export function serviceOfHost(view: ClusterView, host: string, fromNs: string): Service | undefined {
  const parts = host.toLowerCase().split(".");
  if (parts.length === 1) return view.get<Service>("Service", fromNs, parts[0]!);
  if (parts.length === 2 || parts[2] === "svc") return view.get<Service>("Service", parts[1]!, parts[0]!);
  // A StatefulSet pod's name: pod.svc.ns.svc.cluster.local
  if (parts[3] === "svc") return view.get<Service>("Service", parts[2]!, parts[1]!);
  return undefined;
}

/** What the snapshot shows of cluster DNS. */
export interface ClusterDns {
  service?: Service;
  pods: Pod[];
  /** The DNS Deployment even when it has no pod (scaled to zero). */
  workload?: Workload;
}

function dnsWorkload(view: ClusterView): Workload | undefined {
  const named = ["coredns", "kube-dns"]
    .map((n) => view.get<Workload>("Deployment", "kube-system", n))
    .find(Boolean);
  return (
    named ??
    view
      .list<Workload>("Deployment", "kube-system")
      .find((d) => d.metadata?.labels?.["k8s-app"] === "kube-dns")
  );
}

/** The kube-dns Service and the DNS server pods (k8s-app=kube-dns in kube-system, or coredns-*). */
export function clusterDns(view: ClusterView): ClusterDns {
  const service = view.get<Service>("Service", "kube-system", "kube-dns");
  const byLabel = view.podsSelected("kube-system", { "k8s-app": "kube-dns" });
  const pods =
    byLabel.length > 0
      ? [...byLabel]
      : view
          .list<Pod>("Pod", "kube-system")
          .filter((p) => /^(coredns|kube-dns)-/.test(p.metadata?.name ?? ""));
  const workload = dnsWorkload(view);
  return { ...(service ? { service } : {}), ...(workload ? { workload } : {}), pods };
}
