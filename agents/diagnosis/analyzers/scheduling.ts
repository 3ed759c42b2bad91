/**
 * Why a pod is not scheduled: FailedScheduling wording from kube-scheduler
 * ("0/3 nodes are available: 3 Insufficient cpu."), unbound PVCs, or every node
 * tainted not-ready/unreachable (then the Node is the cause).
 */
import type { ClusterEvent } from "../events.ts";
import { showEvent } from "../events.ts";
import type { Condition, Node, PersistentVolumeClaim, Pod } from "../k8s.ts";
import { condition, humanDuration } from "../k8s.ts";
import { ref } from "../refs.ts";
import type { ClusterView } from "../view.ts";
import type { PodProblem } from "./problem.ts";
import { ageMs, freshEvents } from "./util.ts";

const PVC_MESSAGE =
  /unbound immediate PersistentVolumeClaims|persistentvolumeclaim "[^"]+" not found|unbound PersistentVolumeClaims/i;
const NODE_DOWN_TAINT = /node\.kubernetes\.io\/(not-ready|unreachable)/;

/** Parses "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint {...}." into counts. */
export function schedulingReasons(message: string): {
  total: number;
  reasons: { count: number; text: string }[];
} {
  const m = /(\d+)\/(\d+) nodes are available:?\s*(.*)$/s.exec(message);
  if (!m) return { total: 0, reasons: [] };
  const body = (m[3] ?? "").replace(/preemption:.*$/s, "").replace(/\.\s*$/, "");
  const reasons: { count: number; text: string }[] = [];
  for (const part of body.split(/,\s*(?=\d+\s)/)) {
    const r = /^(\d+)\s+(.*)$/.exec(part.trim());
    if (r) reasons.push({ count: Number(r[1]), text: (r[2] ?? "").trim() });
  }
  return { total: Number(m[2]), reasons };
}

function notReadyNode(view: ClusterView): Node | undefined {
  return view.list<Node>("Node").find((n) => condition(n.status?.conditions, "Ready")?.status !== "True");
}

function unboundClaim(
  view: ClusterView,
  pod: Pod,
): { claim: string; pvc?: PersistentVolumeClaim } | undefined {
  const ns = pod.metadata?.namespace ?? "";
  for (const v of pod.spec?.volumes ?? []) {
    const claim = v.persistentVolumeClaim?.claimName;
    if (!claim) continue;
    const pvc = view.get<PersistentVolumeClaim>("PersistentVolumeClaim", ns, claim);
    if (pvc?.status?.phase !== "Bound") return { claim, pvc };
  }
  return undefined;
}

function claimProblem(view: ClusterView, pod: Pod, evidence: string[]): PodProblem | null {
  const found = unboundClaim(view, pod);
  if (!found) return null;
  const ns = pod.metadata?.namespace ?? "";
  const phase = found.pvc ? (found.pvc.status?.phase ?? "Pending") : "absent";
  return {
    category: "PVCPending",
    severity: "critical",
    message: `pod waits for PersistentVolumeClaim ${found.claim} (${found.pvc ? `phase ${phase}` : "not found"})`,
    evidence: [...evidence, `persistentVolumeClaim ${ns}/${found.claim} phase=${phase}`],
    facts: { object: found.claim, detail: found.pvc ? undefined : "the claim does not exist" },
    strength: 0.9,
    subject: ref("PersistentVolumeClaim", ns, found.claim),
  };
}

function nodeDownProblem(view: ClusterView, message: string, evidence: string[]): PodProblem | null {
  const { total, reasons } = schedulingReasons(message);
  if (total === 0) return null;
  const down = reasons.filter((r) => NODE_DOWN_TAINT.test(r.text)).reduce((s, r) => s + r.count, 0);
  const node = notReadyNode(view);
  if (down < total || !node) return null;
  return {
    category: "NodeNotReady",
    severity: "critical",
    message: `pod cannot be scheduled: every node is not-ready or unreachable`,
    evidence,
    facts: { detail: message },
    strength: 0.8,
    subject: ref("Node", "", node.metadata?.name ?? ""),
  };
}

/** Short reason list for a summary: "Insufficient cpu", "node(s) didn't match Pod's node affinity/selector". */
function blockingReasons(message: string): string {
  const { reasons } = schedulingReasons(message);
  if (reasons.length === 0) return message.slice(0, 160);
  return reasons
    .filter((r) => !NODE_DOWN_TAINT.test(r.text) || reasons.length === 1)
    .map((r) => `${r.count} ${r.text}`)
    .join(", ");
}

function schedulingEvidence(
  pod: Pod,
  cond: Condition | undefined,
  failed: ClusterEvent | undefined,
): string[] {
  const evidence = [`status.phase=${pod.status?.phase ?? "Pending"}`];
  if (cond?.status === "False") evidence.push(`condition PodScheduled=False reason=${cond.reason ?? "?"}`);
  if (failed) evidence.push(showEvent(failed));
  else if (cond?.message) evidence.push(`condition message: ${cond.message}`);
  return evidence;
}

function unschedulable(message: string, age: number, evidence: string[]): PodProblem {
  return {
    category: "Unschedulable",
    severity: "critical",
    message: message
      ? `pod cannot be scheduled: ${message.slice(0, 240)}`
      : `pod pending unscheduled for ${humanDuration(age)}`,
    evidence,
    facts: { detail: message ? blockingReasons(message) : undefined },
    strength: message ? 0.9 : 0.5,
  };
}

/** True when an autoscaler (cluster-autoscaler, Karpenter) is already adding a node for the pod. */
function scalingUp(view: ClusterView, pod: Pod): boolean {
  return freshEvents(view, pod).some((e) => /TriggeredScaleUp|Nominated/.test(e.reason));
}

/** The problem of a pod the scheduler has not placed, or null when it is merely young. */
export function schedulingProblem(view: ClusterView, pod: Pod): PodProblem | null {
  const cond = condition(pod.status?.conditions, "PodScheduled");
  const failed = freshEvents(view, pod).find((e) => e.reason === "FailedScheduling");
  const message = failed?.message ?? (cond?.status === "False" ? (cond.message ?? "") : "");
  const evidence = schedulingEvidence(pod, cond, failed);
  const claim = PVC_MESSAGE.test(message) || !message ? claimProblem(view, pod, evidence) : null;
  if (claim) return claim;
  const nodeDown = nodeDownProblem(view, message, evidence);
  if (nodeDown) return nodeDown;
  const age = ageMs(view, pod);
  if (!message && age < 5 * 60_000) return null;
  if (scalingUp(view, pod) && age < 10 * 60_000) return null;
  return unschedulable(message, age, evidence);
}
