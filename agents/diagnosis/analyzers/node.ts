/** Nodes that are NotReady/Unknown, or report memory, disk or PID pressure. */
import { rec } from "../catalog.ts";
import { showEvent } from "../events.ts";
import type { Fault } from "../fault.ts";
import type { Condition, Node, Pod } from "../k8s.ts";
import { condition, humanDuration, toMs } from "../k8s.ts";
import { refKey, refOf } from "../refs.ts";
import type { Recommendation } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { nodeIsDown, nodePressures } from "./pod.ts";
import { freshEvents, isTerminal } from "./util.ts";

function podsOn(view: ClusterView, node: string): Pod[] {
  return view.podsOnNode(node).filter((p) => !isTerminal(p));
}

function conditionText(c: Condition): string {
  return `condition ${c.type}=${c.status} reason=${c.reason ?? "?"}${c.message ? `: ${c.message}` : ""}`;
}

function taintLines(node: Node, pattern: RegExp): string[] {
  return (node.spec?.taints ?? [])
    .filter((t) => pattern.test(t.key))
    .map((t) => `taint ${t.key}:${t.effect ?? ""}`);
}

function ageLines(view: ClusterView, ready: Condition): string[] {
  const out: string[] = [];
  const since = toMs(ready.lastTransitionTime);
  const heartbeat = toMs(ready.lastHeartbeatTime);
  if (since !== undefined) out.push(`Ready!=True for ${humanDuration(view.now - since)}`);
  if (heartbeat !== undefined) out.push(`last kubelet heartbeat ${humanDuration(view.now - heartbeat)} ago`);
  return out;
}

function podLines(pods: Pod[]): string[] {
  if (pods.length === 0) return [];
  const stuck = pods.filter((p) => p.metadata?.deletionTimestamp || p.status?.phase === "Unknown").length;
  return [`${pods.length} pod(s) on the node${stuck ? `, ${stuck} Terminating/Unknown` : ""}`];
}

function notReadyFault(view: ClusterView, node: Node): Fault {
  const name = node.metadata?.name ?? "";
  const ready = condition(node.status?.conditions, "Ready")!;
  const events = freshEvents(view, node, 6 * 3600_000).filter((e) =>
    /NodeNotReady|NodeStatusUnknown|Rebooted|NodeHasInsufficient/i.test(e.reason),
  );
  const pods = podsOn(view, name);
  const pressures = nodePressures(node);
  const evidence = [
    conditionText(ready),
    ...ageLines(view, ready),
    ...taintLines(node, /not-ready|unreachable/),
    ...events.slice(0, 2).map(showEvent),
    ...podLines(pods),
  ];
  if (pressures.length > 0) evidence.push(`also ${pressures.join(", ")}=True`);
  const state = ready.status === "Unknown" ? "unreachable (Ready=Unknown)" : "NotReady";
  return {
    category: "NodeNotReady",
    severity: "critical",
    resource: refOf(node),
    subject: refOf(node),
    message: `node ${name} is ${state}${ready.reason ? ` (${ready.reason})` : ""}${pods.length ? `; ${pods.length} pod(s) on it` : ""}`,
    evidence,
    pods: pods.map((p) => refKey(refOf(p))),
    facts: { detail: ready.message, reason: ready.reason, object: node.spec?.providerID },
    strength: 0.95,
  };
}

function pressureFault(view: ClusterView, node: Node, pressures: string[]): Fault {
  const name = node.metadata?.name ?? "";
  const evidence = pressures.map((t) => conditionText(condition(node.status?.conditions, t)!));
  evidence.push(...taintLines(node, /pressure/));
  const evicted = view.podsOnNode(name).filter((p) => p.status?.reason === "Evicted");
  const first = evicted[0];
  if (first)
    evidence.push(
      `${evicted.length} pod(s) Evicted, e.g. ${first.metadata?.name}: ${first.status?.message ?? ""}`,
    );
  const events = freshEvents(view, node).filter((e) =>
    /EvictionThresholdMet|FreeDiskSpaceFailed|ImageGCFailed|SystemOOM|NodeHas/.test(e.reason),
  );
  evidence.push(...events.slice(0, 2).map(showEvent));
  // Only evicted pods are known victims; the others merely share the node.
  const pods = evicted;
  return {
    category: "NodePressure",
    severity: evicted.length > 0 || events.length > 0 ? "critical" : "warning",
    resource: refOf(node),
    subject: refOf(node),
    message: `node ${name} reports ${pressures.join(", ")}${evicted.length ? ` and evicted ${evicted.length} pod(s)` : ""}`,
    evidence,
    pods: pods.map((p) => refKey(refOf(p))),
    facts: { reason: pressures.join(", "), detail: first?.status?.message },
    strength: 0.9,
  };
}

/** One fault per unhealthy node. */
export function analyzeNodes(view: ClusterView): Fault[] {
  const faults: Fault[] = [];
  for (const node of view.list<Node>("Node")) {
    if (nodeIsDown(node)) {
      faults.push(notReadyFault(view, node));
      continue;
    }
    const pressures = nodePressures(node);
    if (pressures.length > 0) faults.push(pressureFault(view, node, pressures));
  }
  return faults;
}

function moveAway(f: Fault): Recommendation[] {
  const out = [rec("CordonNode", f.subject, "stop new pods landing on the node")];
  out.push(
    rec("DrainNode", f.subject, "move the remaining pods to healthy nodes", { ignoreDaemonSets: true }),
  );
  const provider = f.facts.object ?? "";
  if (f.category === "NodeNotReady" && provider.startsWith("aws://")) {
    out.push(
      rec("Ec2RebootInstance", f.subject, "the kubelet stopped reporting; reboot the instance", {
        instanceId: provider.split("/").pop() ?? "",
      }),
    );
  }
  return out;
}

/** Unhealthy nodes; the pod faults they cause are folded in as evidence. */
export const nodesAnalyzer: Analyzer = {
  name: "nodes",
  categories: ["NodeNotReady", "NodePressure"],
  owns: [
    {
      category: "NodeNotReady",
      depth: DEPTH.infrastructure,
      runbook: "check the kubelet and the machine; pods will be rescheduled once the node is drained",
      actions: moveAway,
    },
    {
      category: "NodePressure",
      depth: DEPTH.infrastructure,
      runbook: "free disk/memory on the node or move workloads away",
      actions: moveAway,
    },
  ],
  folds: "pods",
  analyze: ({ view }) => analyzeNodes(view),
};
