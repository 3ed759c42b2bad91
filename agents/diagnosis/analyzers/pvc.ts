/**
 * PersistentVolumeClaims stuck Pending (or Lost): missing StorageClass,
 * ProvisioningFailed, no matching PV. A claim waiting for its first consumer is normal.
 */
import { showEvent } from "../events.ts";
import type { Fault } from "../fault.ts";
import type { ClusterEvent } from "../events.ts";
import type { K8sObject, PersistentVolumeClaim, Pod } from "../k8s.ts";
import { humanDuration } from "../k8s.ts";
import { refKey, refOf } from "../refs.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { ageMs, freshEvents, isTerminal } from "./util.ts";

function storageClassEvidence(view: ClusterView, pvc: PersistentVolumeClaim): string | undefined {
  const sc = pvc.spec?.storageClassName;
  const classes = view.list<K8sObject>("StorageClass");
  if (sc && classes.length > 0 && !classes.some((c) => c.metadata?.name === sc))
    return `storageclass.storage.k8s.io "${sc}" not found`;
  if (!sc && classes.length > 0) {
    const hasDefault = classes.some(
      (c) => c.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true",
    );
    if (!hasDefault) return "no storageClassName and no default StorageClass";
  }
  return undefined;
}

/** One fault per claim that blocks (or would block) its pods. */
export function analyzePVCs(view: ClusterView): Fault[] {
  const faults: Fault[] = [];
  for (const pvc of view.list<PersistentVolumeClaim>("PersistentVolumeClaim")) {
    if (pvc.status?.phase === "Bound") continue;
    const f = claimFault(view, pvc);
    if (f) faults.push(f);
  }
  return faults;
}

interface ClaimState {
  phase: string;
  pods: Pod[];
  failing: ClusterEvent[];
  sc?: string;
}

/** A Pending claim with no failure on record is normal while young or waiting for its first consumer. */
function quietlyPending(
  view: ClusterView,
  pvc: PersistentVolumeClaim,
  st: ClaimState,
  events: ClusterEvent[],
): boolean {
  if (st.phase !== "Pending" || st.failing.length > 0 || st.sc) return false;
  const waitingForConsumer = events.some((e) => e.reason === "WaitForFirstConsumer");
  return st.pods.length === 0 || waitingForConsumer || ageMs(view, pvc) < 5 * 60_000;
}

function claimEvidence(view: ClusterView, pvc: PersistentVolumeClaim, st: ClaimState): string[] {
  const evidence = [`status.phase=${st.phase}`, `pending for ${humanDuration(ageMs(view, pvc))}`];
  if (pvc.spec?.storageClassName) evidence.push(`spec.storageClassName=${pvc.spec.storageClassName}`);
  if (st.sc) evidence.push(st.sc);
  evidence.push(...st.failing.slice(0, 2).map(showEvent));
  const first = st.pods[0];
  if (first)
    evidence.push(
      `${st.pods.length} pod(s) use the claim, e.g. ${first.metadata?.name} (${first.status?.phase ?? "?"})`,
    );
  return evidence;
}

function claimFault(view: ClusterView, pvc: PersistentVolumeClaim): Fault | undefined {
  const ns = pvc.metadata?.namespace ?? "";
  const events = freshEvents(view, pvc, 24 * 3600_000);
  const claimPods = view.podsUsingClaim(ns, pvc.metadata?.name ?? "");
  const st: ClaimState = {
    phase: pvc.status?.phase ?? "Pending",
    pods: claimPods.filter((p) => !isTerminal(p)),
    failing: events.filter((e) => e.type === "Warning" || /ProvisioningFailed|FailedBinding/.test(e.reason)),
    sc: storageClassEvidence(view, pvc),
  };
  if (quietlyPending(view, pvc, st, events)) return undefined;
  const detail = st.failing[0]?.message ?? st.sc;
  return {
    category: "PVCPending",
    severity: st.pods.length > 0 ? "critical" : "warning",
    resource: refOf(pvc),
    subject: refOf(pvc),
    message: `PersistentVolumeClaim ${pvc.metadata?.name} is ${st.phase}${detail ? `: ${detail.slice(0, 200)}` : ""}`,
    evidence: claimEvidence(view, pvc, st),
    pods: st.pods.map((p) => refKey(refOf(p))),
    facts: { detail, object: pvc.spec?.storageClassName },
    strength: detail ? 0.95 : 0.7,
  };
}

/** Claims stuck Pending or Lost; the pod faults waiting on them are folded in as evidence. */
export const pvcsAnalyzer: Analyzer = {
  name: "pvcs",
  categories: ["PVCPending"],
  owns: [
    {
      category: "PVCPending",
      depth: DEPTH.infrastructure,
      runbook: "fix the StorageClass/provisioner or create a matching PersistentVolume",
    },
  ],
  folds: "pods",
  analyze: ({ view }) => analyzePVCs(view),
};
