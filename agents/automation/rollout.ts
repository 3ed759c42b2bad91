/**
 * Rollout completion, as `kubectl rollout status` judges it, as a pure function of the
 * workload object: the controller saw the latest spec, every replica runs the new template,
 * every replica is available, and (Deployments) the progress deadline was not exceeded.
 */
import type { V1DaemonSet, V1Deployment, V1ReplicaSet, V1StatefulSet } from "@kubernetes/client-node";
import { failedVerify, pending, verified } from "./action.ts";
import type { ActionContext, Step, VerifyResult } from "./action.ts";
import type { Workload, WorkloadKind } from "./workloads.ts";
import { readWorkload, workloadRef } from "./workloads.ts";

/** observedGeneration caught up with generation. */
function observed(w: Workload): boolean {
  return (w.status?.observedGeneration ?? 0) >= (w.metadata?.generation ?? 0);
}

const n = (x: number | undefined): number => x ?? 0;

/** Pending with the first unmet check's message, else verified with `done`. */
function firstUnmet(checks: [unmet: boolean, message: string][], done: string): VerifyResult {
  const unmet = checks.find(([bad]) => bad);
  return unmet ? pending(unmet[1]) : verified(done);
}

function deploymentStatus(d: V1Deployment): VerifyResult {
  const stuck = d.status?.conditions?.find(
    (c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded",
  );
  if (stuck) return failedVerify(`rollout failed: ${stuck.message ?? "progress deadline exceeded"}`);
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return firstUnmet(
    [
      [!observed(d), "waiting for the deployment controller to observe the new spec"],
      [n(s.updatedReplicas) < want, `${n(s.updatedReplicas)} of ${want} replicas updated`],
      [
        n(s.replicas) > n(s.updatedReplicas),
        `${n(s.replicas) - n(s.updatedReplicas)} old replicas pending termination`,
      ],
      [n(s.availableReplicas) < want, `${n(s.availableReplicas)} of ${want} updated replicas available`],
    ],
    `rollout complete: ${want} of ${want} replicas updated and available`,
  );
}

function statefulSetStatus(s: V1StatefulSet): VerifyResult {
  const want = s.spec?.replicas ?? 1;
  const st = s.status ?? { replicas: 0 };
  // OnDelete: pods change only when someone deletes them, so only readiness can be waited for.
  const rolling = (s.spec?.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate";
  const revisionBehind = !!st.updateRevision && st.currentRevision !== st.updateRevision;
  return firstUnmet(
    [
      [!observed(s), "waiting for the statefulset controller to observe the new spec"],
      [rolling && n(st.updatedReplicas) < want, `${n(st.updatedReplicas)} of ${want} replicas updated`],
      [
        n(st.readyReplicas) < want || st.replicas !== want,
        `${n(st.readyReplicas)} of ${want} replicas ready`,
      ],
      [rolling && revisionBehind, `waiting for revision ${st.updateRevision} to become current`],
    ],
    `rollout complete: ${want} of ${want} replicas ready`,
  );
}

function daemonSetStatus(d: V1DaemonSet): VerifyResult {
  const s = d.status;
  const want = n(s?.desiredNumberScheduled);
  return firstUnmet(
    [
      [!observed(d), "waiting for the daemonset controller to observe the new spec"],
      [n(s?.updatedNumberScheduled) < want, `${n(s?.updatedNumberScheduled)} of ${want} pods updated`],
      [n(s?.numberAvailable) < want, `${n(s?.numberAvailable)} of ${want} pods available`],
    ],
    `rollout complete: ${want} of ${want} pods updated and available`,
  );
}

function replicaSetStatus(r: V1ReplicaSet): VerifyResult {
  const want = r.spec?.replicas ?? 1;
  const s = r.status ?? { replicas: 0 };
  return firstUnmet(
    [
      [!observed(r), "waiting for the replicaset controller to observe the new spec"],
      [s.replicas !== want, `${s.replicas} of ${want} replicas exist`],
      [n(s.availableReplicas) < want, `${n(s.availableReplicas)} of ${want} replicas available`],
    ],
    `${want} of ${want} replicas available`,
  );
}

/** Where the rollout of a workload stands. */
export function rolloutStatus(kind: WorkloadKind, w: Workload): VerifyResult {
  switch (kind) {
    case "Deployment":
      return deploymentStatus(w as V1Deployment);
    case "StatefulSet":
      return statefulSetStatus(w as V1StatefulSet);
    case "DaemonSet":
      return daemonSetStatus(w as V1DaemonSet);
    case "ReplicaSet":
      return replicaSetStatus(w as V1ReplicaSet);
  }
}

/** Reads the step's target workload and reports its rollout status. */
export async function verifyRollout(ctx: ActionContext, step: Step): Promise<VerifyResult> {
  const ref = workloadRef(step);
  return rolloutStatus(ref.kind, await readWorkload(ctx, ref));
}
