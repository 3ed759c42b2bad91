/**
 * The truth-table model of the Kubernetes NetworkPolicy conformance tests
 * (kubernetes/kubernetes test/e2e/network/netpol): namespaces x, y, z; pods a, b, c with the
 * label pod=<name>, each serving ports 80 and 81 over TCP, UDP and SCTP under the named ports
 * serve-<port>-<protocol>; a Reachability matrix that starts all-true and is overridden per
 * expectation. Loopback is ignored, as the e2e suite does (kubernetes/kubernetes#95879).
 */
import type { Endpoint, NetworkPolicy } from "./types.ts";

/** A peer pattern of the e2e Reachability helpers: empty fields match everything. */
export interface Peer {
  ns?: string;
  pod?: string;
}

const PROTOCOLS = ["TCP", "UDP", "SCTP"];

/** The e2e model pod "x/a" as an evaluator endpoint (pod IPs are 10.<ns>.0.<pod>). */
export function modelPod(id: string): Endpoint {
  const [ns, pod] = id.split("/") as [string, string];
  const n = "xyz".indexOf(ns) + 1;
  const p = "abc".indexOf(pod) + 1;
  return {
    namespace: ns,
    name: pod,
    labels: { pod },
    ip: `10.${n}.0.${p}`,
    ports: [80, 81].flatMap((port) =>
      PROTOCOLS.map((protocol) => ({
        name: `serve-${port}-${protocol.toLowerCase()}`,
        containerPort: port,
        protocol,
      })),
    ),
  };
}

/** The e2e Reachability matrix over a list of "ns/pod" strings. */
export class Reachability {
  readonly pods: string[];
  private readonly want = new Map<string, boolean>();

  constructor(pods: string[], initial: boolean) {
    this.pods = pods;
    for (const f of pods) for (const t of pods) this.want.set(`${f}>${t}`, initial);
  }

  private static matches(p: Peer, id: string): boolean {
    const [ns, pod] = id.split("/");
    return (!p.ns || p.ns === ns) && (!p.pod || p.pod === pod);
  }

  expect(from: string, to: string, v: boolean): this {
    this.want.set(`${from}>${to}`, v);
    return this;
  }

  expectPeer(from: Peer, to: Peer, v: boolean): this {
    for (const f of this.pods)
      for (const t of this.pods)
        if (Reachability.matches(from, f) && Reachability.matches(to, t)) this.want.set(`${f}>${t}`, v);
    return this;
  }

  expectAllIngress(to: string, v: boolean): this {
    for (const f of this.pods) this.want.set(`${f}>${to}`, v);
    return this;
  }

  expectAllEgress(from: string, v: boolean): this {
    for (const t of this.pods) this.want.set(`${from}>${t}`, v);
    return this;
  }

  /** Every non-loopback pair with its expected verdict. */
  pairs(): { from: string; to: string; allowed: boolean }[] {
    const out: { from: string; to: string; allowed: boolean }[] = [];
    for (const f of this.pods)
      for (const t of this.pods)
        if (f !== t) out.push({ from: f, to: t, allowed: this.want.get(`${f}>${t}`)! });
    return out;
  }
}

/** A policy built like the e2e GenNetworkPolicyWithName* helpers. */
export function policy(
  name: string,
  ns: string,
  podSelector: NonNullable<NetworkPolicy["spec"]>["podSelector"],
  parts: {
    ingress?: NonNullable<NetworkPolicy["spec"]>["ingress"];
    egress?: NonNullable<NetworkPolicy["spec"]>["egress"];
  },
): NetworkPolicy {
  const policyTypes: string[] = [];
  if (parts.ingress) policyTypes.push("Ingress");
  if (parts.egress) policyTypes.push("Egress");
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: ns },
    spec: { podSelector, policyTypes, ...parts },
  };
}
