/**
 * The deepest cause for one pod: its node, its scheduling, its volumes, then its
 * containers. Pods that finished, or that only restarted long ago, yield null.
 */
import type { Node, Pod } from "../k8s.ts";
import { condition, controllerOf, toMs } from "../k8s.ts";
import { ref } from "../refs.ts";
import type { ClusterView } from "../view.ts";
import { containerProblem } from "./containers.ts";
import type { PodProblem } from "./problem.ts";
import { better } from "./problem.ts";
import { schedulingProblem } from "./scheduling.ts";
import { EVENT_WINDOW_MS } from "./util.ts";
import { volumeProblem } from "./volumes.ts";

const PRESSURE = ["MemoryPressure", "DiskPressure", "PIDPressure"];

/** True when a node's Ready condition is False or Unknown. */
export function nodeIsDown(node: Node | undefined): boolean {
  const ready = condition(node?.status?.conditions, "Ready");
  return !!ready && ready.status !== "True";
}

/** The pressure conditions that are True on a node. */
export function nodePressures(node: Node | undefined): string[] {
  return PRESSURE.filter((t) => condition(node?.status?.conditions, t)?.status === "True");
}

function nodeDownProblem(view: ClusterView, pod: Pod, node: Node): PodProblem {
  const ready = condition(node.status?.conditions, "Ready");
  const name = node.metadata?.name ?? "";
  const evidence = [
    `spec.nodeName=${name}`,
    `node ${name} condition Ready=${ready?.status} reason=${ready?.reason ?? "?"}`,
  ];
  if (pod.metadata?.deletionTimestamp)
    evidence.push(`pod is Terminating since ${String(pod.metadata.deletionTimestamp)}`);
  if (pod.status?.phase === "Unknown") evidence.push("status.phase=Unknown");
  return {
    category: "NodeNotReady",
    severity: "critical",
    message: `pod runs on node ${name}, which is ${ready?.status === "Unknown" ? "unreachable (Ready=Unknown)" : "NotReady"}`,
    evidence,
    facts: { detail: ready?.message },
    strength: 0.9,
    subject: ref("Node", "", name),
  };
}

function evictedAt(pod: Pod): number | undefined {
  const conds = pod.status?.conditions;
  return (
    toMs(condition(conds, "DisruptionTarget")?.lastTransitionTime) ??
    toMs(condition(conds, "Ready")?.lastTransitionTime)
  );
}

function evictedProblem(view: ClusterView, pod: Pod): PodProblem | null {
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) return null;
  const pressures = nodePressures(view.get<Node>("Node", "", nodeName));
  const when = evictedAt(pod);
  const recent = when !== undefined && view.now - when <= EVENT_WINDOW_MS;
  if (pressures.length === 0 && !recent) return null;
  const message = pod.status?.message ?? "";
  return {
    category: "NodePressure",
    severity: pressures.length > 0 ? "critical" : "warning",
    message: `pod was evicted from node ${nodeName}: ${message || "node pressure"}`,
    evidence: [
      `status.reason=Evicted`,
      `status.message=${message}`,
      ...pressures.map((p) => `node ${nodeName} condition ${p}=True`),
    ],
    facts: { detail: message },
    strength: 0.85,
    subject: ref("Node", "", nodeName),
  };
}

function failedPodProblem(view: ClusterView, pod: Pod): PodProblem | null {
  if (pod.status?.reason === "Evicted") return evictedProblem(view, pod);
  // Job pods are judged by their Job; other finished pods only matter while fresh.
  if (controllerOf(pod)?.kind === "Job") return null;
  const finished = toMs(pod.status?.containerStatuses?.[0]?.state?.terminated?.finishedAt);
  if (finished !== undefined && view.now - finished > EVENT_WINDOW_MS) return null;
  return containerProblem(view, pod);
}

function notStartedProblem(view: ClusterView, pod: Pod): PodProblem | null {
  const waiting = (pod.status?.containerStatuses ?? []).every(
    (c) => !c.state?.running && !c.state?.terminated,
  );
  if (!waiting) return null;
  return volumeProblem(view, pod);
}

/** The deepest problem of one pod, or null when the pod is healthy or its trouble is stale. */
export function diagnosePod(view: ClusterView, pod: Pod): PodProblem | null {
  const phase = pod.status?.phase;
  if (phase === "Succeeded") return null;
  if (phase === "Failed") return failedPodProblem(view, pod);
  const nodeName = pod.spec?.nodeName;
  const node = nodeName ? view.get<Node>("Node", "", nodeName) : undefined;
  if (node && nodeIsDown(node)) return nodeDownProblem(view, pod, node);
  if (!nodeName && phase !== "Running") return schedulingProblem(view, pod);
  return better(notStartedProblem(view, pod), containerProblem(view, pod));
}
