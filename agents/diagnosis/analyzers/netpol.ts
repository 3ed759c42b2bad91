/**
 * NetworkPolicyBlocked: a client times out on a peer whose pods are ready, and the
 * NetworkPolicy evaluator (netpol/evaluate.ts) says the connection is denied: by the
 * server's ingress isolation or by the client's egress isolation (cluster DNS included,
 * when lookups time out behind an egress policy). The root cause names the policy.
 * A peer with no ready pod has its own failure, which wins (docs/diagnosis.md §3.1).
 */
import { rec } from "../catalog.ts";
import type { Fault } from "../fault.ts";
import type { K8sObject, Labels, Pod } from "../k8s.ts";
import { toMs } from "../k8s.ts";
import { allowed } from "../netpol/evaluate.ts";
import { endpointOf, serverOf, timedOutPeer, TIMEOUT } from "../netpol/peers.ts";
import type { Server } from "../netpol/peers.ts";
import type { NetworkPolicy, Verdict } from "../netpol/types.ts";
import { refKey, refOf } from "../refs.ts";
import { showSelector } from "../selectors.ts";
import type { Recommendation } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { excerpt, isFailing, matchingLines } from "./pod-logs.ts";
import { eventsWithReason, isPodReady } from "./util.ts";

interface Blocked {
  client: Pod;
  line: string;
  server: Server;
  port: number;
  verdict: Verdict;
}

/** When a policy last changed: creation or its newest managedFields entry. */
function changedAt(p: K8sObject): number {
  const times = [toMs(p.metadata?.creationTimestamp) ?? 0];
  for (const m of (p.metadata as { managedFields?: { time?: string }[] } | undefined)?.managedFields ?? [])
    times.push(toMs(m.time) ?? 0);
  return Math.max(...times);
}

/** The policy to name: the newest change among those isolating the denying side, an allow list before a bare deny. */
function culprit(v: Verdict): NetworkPolicy {
  const dir = v.deniedBy === "egress" ? "egress" : "ingress";
  const rules = (p: NetworkPolicy) => ((p.spec?.[dir] ?? []).length > 0 ? 1 : 0);
  return [...v.policies].sort(
    (a, b) =>
      Math.round((changedAt(b) - changedAt(a)) / 60_000) ||
      rules(b) - rules(a) ||
      (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""),
  )[0]!;
}

function namespaceLabels(view: ClusterView): Map<string, Labels> {
  return new Map(view.list("Namespace").map((n) => [n.metadata?.name ?? "", n.metadata?.labels ?? {}]));
}

/** Log lines, then probe failures (an exec probe runs in the pod's network namespace, so policies apply). */
function evidenceLines(view: ClusterView, pod: Pod): { source: string; line: string }[] {
  const out = matchingLines(view, pod, TIMEOUT, 8).map((l) => ({ source: l.container, line: l.line }));
  for (const e of eventsWithReason(view, pod, "Unhealthy"))
    if (TIMEOUT.test(e.message)) out.push({ source: "event Unhealthy", line: e.message });
  return out;
}

function blockedFor(
  view: ClusterView,
  pod: Pod,
  policies: NetworkPolicy[],
  ns: Map<string, Labels>,
): Blocked | undefined {
  for (const l of evidenceLines(view, pod)) {
    const peer = timedOutPeer(l.line);
    if (!peer) continue;
    const server = serverOf(view, peer.host, peer.port, pod.metadata?.namespace ?? "");
    const ready = server?.pods.filter(isPodReady) ?? [];
    // No ready server: the peer's own failure explains the timeout.
    if (!server || ready.length === 0) continue;
    const client = endpointOf(pod);
    const verdicts = ready.map((s) => ({
      s,
      v: allowed(
        client,
        endpointOf(s),
        { port: server.portOf(s) ?? peer.port, protocol: server.protocol },
        policies,
        ns,
      ),
    }));
    if (verdicts.some((x) => x.v.allowed)) continue;
    const first = verdicts[0]!;
    return {
      client: pod,
      line: `${pod.metadata?.name}/${l.source}: ${excerpt(l.line, TIMEOUT)}`,
      server,
      port: server.portOf(first.s) ?? peer.port,
      verdict: first.v,
    };
  }
  return undefined;
}

function explain(b: Blocked, p: NetworkPolicy): string[] {
  const dir = b.verdict.deniedBy === "egress" ? "egress" : "ingress";
  const sel = showSelector(p.spec?.podSelector ?? {}) || "every pod";
  const rules = (p.spec?.[dir] ?? []).length;
  const who =
    dir === "ingress"
      ? `the server pods (podSelector ${sel}) and none of its ${rules} ingress rule(s) admits ${b.client.metadata?.namespace}/${b.client.metadata?.name}`
      : `the client (podSelector ${sel}) and none of its ${rules} egress rule(s) admits ${b.server.show}`;
  const out = [
    b.line,
    `${b.server.show}: ${b.server.pods.filter(isPodReady).length} ready pod(s) listening on ${b.port}/${b.server.protocol}`,
    `NetworkPolicy ${p.metadata?.namespace}/${p.metadata?.name} selects ${who}${rules === 0 ? " (default deny)" : ""}`,
  ];
  const others = b.verdict.policies.filter((q) => q !== p).map((q) => q.metadata?.name);
  if (others.length)
    out.push(`other policies isolating the same side, none admitting it: ${others.join(", ")}`);
  return out;
}

function fixText(b: Blocked, p: NetworkPolicy): string {
  const c = b.client;
  const lbl = Object.entries(c.metadata?.labels ?? {})
    .filter(([k]) => k !== "pod-template-hash")
    .slice(0, 2)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
  if (b.verdict.deniedBy === "egress")
    return `allow the egress: add to NetworkPolicy ${p.metadata?.namespace}/${p.metadata?.name} (or a new policy selecting the client) an egress rule to ${b.server.show.replace(/ port \d+$/, "")} on ${b.port}/${b.server.protocol}${b.server.protocol === "UDP" && b.port === 53 ? " (and 53/TCP)" : ""}`;
  return `allow the ingress: add to NetworkPolicy ${p.metadata?.namespace}/${p.metadata?.name} an ingress rule from pods {${lbl}} in namespace ${c.metadata?.namespace} on port ${b.port}/${b.server.protocol}, or delete the policy if it was applied by mistake`;
}

/** NetworkPolicyBlocked faults, one per policy named. */
export function analyzeNetworkPolicies(view: ClusterView): Fault[] {
  const policies = view.list<NetworkPolicy>("NetworkPolicy");
  if (policies.length === 0) return [];
  const ns = namespaceLabels(view);
  const byPolicy = new Map<string, Fault>();
  for (const pod of view.list<Pod>("Pod")) {
    // A client that serves fine is not failing (a retried timeout): the contract needs a failing one.
    if (!isFailing(pod)) continue;
    const b = blockedFor(view, pod, [...policies], ns);
    if (!b) continue;
    const p = culprit(b.verdict);
    const subject = refOf(p);
    const known = byPolicy.get(refKey(subject));
    if (known) {
      known.pods.push(refKey(refOf(pod)));
      continue;
    }
    byPolicy.set(refKey(subject), {
      category: "NetworkPolicyBlocked",
      severity: "critical",
      resource: refOf(pod),
      subject,
      message: `NetworkPolicy ${p.metadata?.name} blocks ${pod.metadata?.namespace}/${pod.metadata?.name} from ${b.server.show} (${b.verdict.deniedBy} denied)`,
      evidence: explain(b, p),
      pods: [refKey(refOf(pod))],
      facts: { detail: fixText(b, p), lastLog: b.line },
      strength: 0.85,
    });
  }
  return [...byPolicy.values()];
}

function allow(f: Fault): Recommendation[] {
  return f.facts.detail ? [rec("RunbookOnly", f.subject, f.facts.detail)] : [];
}

/** Traffic a NetworkPolicy drops. */
export const networkPoliciesAnalyzer: Analyzer = {
  name: "networkpolicies",
  categories: ["NetworkPolicyBlocked"],
  owns: [
    {
      category: "NetworkPolicyBlocked",
      depth: DEPTH.infrastructure,
      runbook:
        "compare the NetworkPolicies selecting the client (egress) and the server (ingress) with the connection that times out, then add a rule admitting it (peer selectors, port and protocol) or remove the policy applied by mistake",
      actions: allow,
    },
  ],
  analyze: ({ view }) => analyzeNetworkPolicies(view),
};
