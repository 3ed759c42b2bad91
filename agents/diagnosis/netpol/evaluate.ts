/**
 * NetworkPolicy semantics (networking.k8s.io/v1), as the Kubernetes conformance tests
 * (test/e2e/network/netpol) hold every network plugin to: a connection is allowed when the
 * client's egress AND the server's ingress allow it. A side is isolated by every policy in its
 * namespace whose podSelector selects the pod and whose policyTypes name that direction;
 * an isolated side allows a connection when at least one rule of one of those policies
 * admits it (the union of policies). Pure: no I/O.
 */
import { BlockList, isIP } from "node:net";
import type { LabelSelector, Labels } from "../k8s.ts";
import { matches } from "../selectors.ts";
import type {
  Endpoint,
  IPBlock,
  NamespaceLabels,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Verdict,
} from "./types.ts";

const NS_NAME_LABEL = "kubernetes.io/metadata.name";

/** The policy types a policy enforces; unset means Ingress, plus Egress when it has egress rules. */
export function policyTypes(p: NetworkPolicy): string[] {
  const declared = p.spec?.policyTypes;
  if (declared && declared.length > 0) return declared;
  return (p.spec?.egress ?? []).length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

/** A namespace's labels, always with the kubernetes.io/metadata.name label the API server sets. */
export function namespaceLabels(namespaces: NamespaceLabels, ns: string): Labels {
  const got = namespaces instanceof Map ? namespaces.get(ns) : (namespaces as Record<string, Labels>)[ns];
  return { [NS_NAME_LABEL]: ns, ...(got ?? {}) };
}

/** True when the policy's podSelector (empty = every pod of its namespace) selects the endpoint. */
export function selects(p: NetworkPolicy, e: Endpoint): boolean {
  return (p.metadata?.namespace ?? "") === e.namespace && matches(p.spec?.podSelector ?? {}, e.labels);
}

const blocks = new Map<string, BlockList>();

function blockOf(cidrs: string[]): BlockList {
  const k = cidrs.join(",");
  let list = blocks.get(k);
  if (list) return list;
  list = new BlockList();
  for (const c of cidrs) {
    const [addr, bits] = c.split("/");
    const family = isIP(addr ?? "");
    if (family === 0) continue;
    const type = family === 6 ? "ipv6" : "ipv4";
    list.addSubnet(addr!, Number(bits ?? (family === 6 ? 128 : 32)), type);
  }
  if (blocks.size > 1000) blocks.clear();
  blocks.set(k, list);
  return list;
}

/** True when ip lies in cidr and in none of its exceptions. */
export function inIPBlock(block: IPBlock, ip: string | undefined): boolean {
  const family = isIP(ip ?? "");
  if (!ip || family === 0) return false;
  const type = family === 6 ? "ipv6" : "ipv4";
  if (!blockOf([block.cidr]).check(ip, type)) return false;
  return !(block.except ?? []).some((e) => blockOf([e]).check(ip, type));
}

function selectorMatches(sel: LabelSelector, labels: Labels): boolean {
  return matches(sel, labels);
}

/**
 * True when a peer of a rule in policyNs matches the endpoint: podSelector alone means pods of
 * the policy's namespace, namespaceSelector alone every pod of the selected namespaces, both
 * together pods matching both; ipBlock matches the endpoint's IP.
 */
export function peerMatches(
  peer: NetworkPolicyPeer,
  policyNs: string,
  e: Endpoint,
  namespaces: NamespaceLabels,
): boolean {
  if (peer.ipBlock) return inIPBlock(peer.ipBlock, e.ip);
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const nsOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, namespaceLabels(namespaces, e.namespace))
    : e.namespace === policyNs;
  return nsOk && (!peer.podSelector || selectorMatches(peer.podSelector, e.labels ?? {}));
}

/** The number a policy port names on the destination: a number, or a named container port. */
function resolvePort(p: NetworkPolicyPort, dest: Endpoint, protocol: string): number | undefined {
  if (typeof p.port === "number") return p.port;
  if (p.port === undefined) return undefined;
  if (/^\d+$/.test(p.port)) return Number(p.port);
  const named = (dest.ports ?? []).find(
    (c) => c.name === p.port && (c.protocol ?? "TCP").toUpperCase() === protocol,
  );
  return named ? named.containerPort : Number.NaN;
}

/** True when a rule's ports (none = all ports and protocols) admit port/protocol on the destination. */
export function portsAllow(
  ports: NetworkPolicyPort[] | undefined,
  dest: Endpoint,
  port: number,
  protocol: string,
): boolean {
  if (!ports || ports.length === 0) return true;
  const proto = protocol.toUpperCase();
  return ports.some((p) => {
    if ((p.protocol ?? "TCP").toUpperCase() !== proto) return false;
    if (p.port === undefined) return true;
    const start = resolvePort(p, dest, proto);
    if (start === undefined || Number.isNaN(start)) return false;
    // endPort only applies to a numeric port (the API rejects it with a named one).
    const end = typeof p.port === "number" && p.endPort !== undefined ? p.endPort : start;
    return port >= start && port <= end;
  });
}

function peersAllow(
  peers: NetworkPolicyPeer[] | undefined,
  policyNs: string,
  other: Endpoint,
  namespaces: NamespaceLabels,
): boolean {
  if (!peers || peers.length === 0) return true;
  return peers.some((peer) => peerMatches(peer, policyNs, other, namespaces));
}

interface Side {
  allowed: boolean;
  isolating: NetworkPolicy[];
}

/** What one connection is: who calls whom, on which destination port and protocol. */
export interface Traffic {
  port: number;
  /** TCP (the default), UDP or SCTP. */
  protocol?: string;
}

interface Conn {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol: string;
  namespaces: NamespaceLabels;
}

function ingressSide(c: Conn, policies: readonly NetworkPolicy[]): Side {
  const isolating = policies.filter((p) => policyTypes(p).includes("Ingress") && selects(p, c.to));
  if (isolating.length === 0) return { allowed: true, isolating };
  const allowed = isolating.some((p) =>
    (p.spec?.ingress ?? []).some(
      (r) =>
        peersAllow(r.from, p.metadata?.namespace ?? "", c.from, c.namespaces) &&
        portsAllow(r.ports, c.to, c.port, c.protocol),
    ),
  );
  return { allowed, isolating };
}

function egressSide(c: Conn, policies: readonly NetworkPolicy[]): Side {
  const isolating = policies.filter((p) => policyTypes(p).includes("Egress") && selects(p, c.from));
  if (isolating.length === 0) return { allowed: true, isolating };
  const allowed = isolating.some((p) =>
    (p.spec?.egress ?? []).some(
      (r) =>
        peersAllow(r.to, p.metadata?.namespace ?? "", c.to, c.namespaces) &&
        portsAllow(r.ports, c.to, c.port, c.protocol),
    ),
  );
  return { allowed, isolating };
}

/**
 * Whether `from` may open a connection to `to` on traffic.port/protocol (the destination pod's
 * port, after Service translation) under `policies`. Traffic of a pod to itself is always
 * allowed: the conformance tests leave loopback undefined (kubernetes/kubernetes#95879).
 */
export function allowed(
  from: Endpoint,
  to: Endpoint,
  traffic: Traffic,
  policies: readonly NetworkPolicy[],
  namespaces: NamespaceLabels = {},
): Verdict {
  if (from.name && from.name === to.name && from.namespace === to.namespace)
    return { allowed: true, policies: [] };
  const c: Conn = {
    from,
    to,
    port: traffic.port,
    protocol: (traffic.protocol ?? "TCP").toUpperCase(),
    namespaces,
  };
  const egress = egressSide(c, policies);
  if (!egress.allowed) return { allowed: false, deniedBy: "egress", policies: egress.isolating };
  const ingress = ingressSide(c, policies);
  if (!ingress.allowed) return { allowed: false, deniedBy: "ingress", policies: ingress.isolating };
  return { allowed: true, policies: [] };
}
