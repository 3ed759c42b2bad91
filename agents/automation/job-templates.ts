/**
 * New Jobs from old ones, as `kubectl create job --from=cronjob/x` does, and from a finished
 * Job: the same spec without the selector and controller-uid labels the Job controller
 * generates for the original (they would never match the new Job's uid).
 */
import type { V1CronJob, V1Job, V1ObjectMeta } from "@kubernetes/client-node";

/** Labels the Job controller owns; copied, they would bind the new Job to the old one. */
const GENERATED_LABELS = [
  "controller-uid",
  "batch.kubernetes.io/controller-uid",
  "job-name",
  "batch.kubernetes.io/job-name",
];

/** Annotation on a rerun naming the Job or CronJob it was made from. */
export const RERUN_OF = "aisre.io/rerun-of";

const withoutGenerated = (labels: Record<string, string> | undefined): Record<string, string> | undefined => {
  if (!labels) return undefined;
  const out = { ...labels };
  for (const k of GENERATED_LABELS) delete out[k];
  return out;
};

/** A Job name of at most 63 characters (the job-name label limit): base-rerun-suffix. */
export function rerunName(base: string, now: number): string {
  const suffix = `-rerun-${Math.floor(now / 1000).toString(36)}`;
  return `${base.slice(0, 63 - suffix.length).replace(/[-.]+$/, "")}${suffix}`;
}

/** A new Job running the finished Job's spec again. */
export function jobFromJob(job: V1Job, name: string): V1Job {
  const spec = structuredClone(job.spec!);
  delete spec.selector;
  delete spec.manualSelector;
  spec.template.metadata = {
    ...spec.template.metadata,
    labels: withoutGenerated(spec.template.metadata?.labels),
  };
  const metadata: V1ObjectMeta = {
    name,
    namespace: job.metadata?.namespace,
    labels: withoutGenerated(job.metadata?.labels),
    annotations: { [RERUN_OF]: `Job/${job.metadata?.name}` },
  };
  return { apiVersion: "batch/v1", kind: "Job", metadata, spec };
}

/** A new Job from a CronJob's jobTemplate, owned by the CronJob like a manual kubectl run. */
export function jobFromCronJob(cj: V1CronJob, name: string): V1Job {
  const t = cj.spec?.jobTemplate;
  const metadata: V1ObjectMeta = {
    name,
    namespace: cj.metadata?.namespace,
    labels: t?.metadata?.labels,
    annotations: {
      ...t?.metadata?.annotations,
      "cronjob.kubernetes.io/instantiate": "manual",
      [RERUN_OF]: `CronJob/${cj.metadata?.name}`,
    },
    ownerReferences: [
      {
        apiVersion: "batch/v1",
        kind: "CronJob",
        name: cj.metadata?.name ?? "",
        uid: cj.metadata?.uid ?? "",
        controller: true,
      },
    ],
  };
  return { apiVersion: "batch/v1", kind: "Job", metadata, spec: structuredClone(t?.spec) };
}

/** "Complete", "Failed" or undefined while the Job runs. */
export function jobOutcome(job: V1Job): { state: "Complete" | "Failed"; message: string } | undefined {
  for (const c of job.status?.conditions ?? []) {
    if (c.status !== "True") continue;
    if (c.type === "Complete" || c.type === "SuccessCriteriaMet")
      return { state: "Complete", message: c.message ?? "completed" };
    if (c.type === "Failed" || c.type === "FailureTarget")
      return { state: "Failed", message: `${c.reason ?? "Failed"}: ${c.message ?? ""}` };
  }
  return undefined;
}
