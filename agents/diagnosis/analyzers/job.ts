/**
 * Jobs that gave up (condition Failed: BackoffLimitExceeded, DeadlineExceeded).
 * A failure already superseded by a later successful run of the same CronJob is
 * history, not an incident. The Job's own pod faults are absorbed as evidence.
 */
import { rec } from "../catalog.ts";
import type { Fault } from "../fault.ts";
import type { Condition, ContainerStatus, Job, Pod } from "../k8s.ts";
import { condition, controllerOf, humanDuration, toMs } from "../k8s.ts";
import { logPart } from "../phrasing.ts";
import { refKey, refOf } from "../refs.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { lastMeaningfulLine } from "./util.ts";

const STALE_MS = 24 * 3600_000;

function failedAt(job: Job): number | undefined {
  const c = condition(job.status?.conditions, "Failed");
  return toMs(c?.lastTransitionTime) ?? toMs(job.status?.completionTime) ?? toMs(job.status?.startTime);
}

function succeededLater(view: ClusterView, job: Job, when: number): boolean {
  const owner = controllerOf(job);
  if (owner?.kind !== "CronJob") return false;
  const siblings = view
    .list<Job>("Job", job.metadata?.namespace ?? "")
    .filter((j) => controllerOf(j)?.name === owner.name && j !== job);
  return siblings.some((j) => {
    const done = condition(j.status?.conditions, "Complete");
    const t = toMs(done?.lastTransitionTime) ?? toMs(j.status?.completionTime);
    return done?.status === "True" && t !== undefined && t > when;
  });
}

interface PodDetails {
  evidence: string[];
  exitCode?: number;
  lastLog?: string;
  container?: string;
}

function containerDetails(view: ClusterView, pod: Pod, cs: ContainerStatus): PodDetails | undefined {
  const t = cs.state?.terminated ?? cs.lastState?.terminated;
  if (!t || t.exitCode === 0) return undefined;
  const ns = pod.metadata?.namespace ?? "";
  const name = pod.metadata?.name ?? "";
  const lastLog = lastMeaningfulLine(
    view.log(ns, name, cs.name, !cs.state?.terminated) ?? view.log(ns, name, cs.name),
  );
  const evidence = [
    `pod ${name} container ${cs.name} terminated reason=${t.reason ?? "?"} exitCode=${t.exitCode ?? "?"}`,
  ];
  if (lastLog) evidence.push(`log: ${lastLog}`);
  return { evidence, exitCode: t.exitCode, lastLog, container: cs.name };
}

function podEvidence(view: ClusterView, pods: Pod[]): PodDetails {
  for (const pod of pods) {
    for (const cs of pod.status?.containerStatuses ?? []) {
      const d = containerDetails(view, pod, cs);
      if (d) return d;
    }
  }
  return { evidence: [] };
}

function jobEvidence(view: ClusterView, job: Job, failed: Condition, when: number | undefined): string[] {
  const evidence = [
    `condition Failed=True reason=${failed.reason ?? "?"}${failed.message ? `: ${failed.message}` : ""}`,
  ];
  evidence.push(`status.failed=${job.status?.failed ?? 0} spec.backoffLimit=${job.spec?.backoffLimit ?? 6}`);
  if (job.spec?.activeDeadlineSeconds)
    evidence.push(`spec.activeDeadlineSeconds=${job.spec.activeDeadlineSeconds}`);
  if (when !== undefined) evidence.push(`failed ${humanDuration(view.now - when)} ago`);
  return evidence;
}

function jobFault(view: ClusterView, job: Job, failed: Condition, when: number | undefined): Fault {
  const pods = view.ownedBy(job).filter((o): o is Pod => o.kind === "Pod");
  const details = podEvidence(view, pods);
  const exit = details.exitCode !== undefined ? `: pods exit with code ${details.exitCode}` : "";
  const cron = controllerOf(job);
  return {
    category: "JobFailed",
    severity: when !== undefined && view.now - when > STALE_MS ? "info" : "critical",
    resource: refOf(job),
    subject: refOf(job),
    message: `Job ${job.metadata?.name} failed (${failed.reason ?? "Failed"})${exit}`,
    evidence: [...jobEvidence(view, job, failed, when), ...details.evidence],
    pods: pods.map((p) => refKey(refOf(p))),
    facts: {
      reason: failed.reason,
      exitCode: details.exitCode,
      lastLog: details.lastLog,
      container: details.container,
      object: cron?.kind === "CronJob" ? cron.name : undefined,
    },
    strength: 0.95,
  };
}

/** One fault per failed Job; absorbs the pod faults of those Jobs. */
export function analyzeJobs(view: ClusterView, podFaults: Fault[]): Fault[] {
  const out: Fault[] = [];
  for (const job of view.list<Job>("Job")) {
    const failed = condition(job.status?.conditions, "Failed");
    if (failed?.status !== "True") continue;
    const when = failedAt(job);
    if (when !== undefined && succeededLater(view, job, when)) continue;
    const fault = jobFault(view, job, failed, when);
    for (const f of podFaults) if (refKey(f.subject) === refKey(fault.subject)) f.absorbedBy = "JobFailed";
    out.push(fault);
  }
  return out;
}

/** Jobs that gave up; they absorb their own pods' faults. */
export const jobsAnalyzer: Analyzer = {
  name: "jobs",
  categories: ["JobFailed"],
  owns: [
    {
      category: "JobFailed",
      depth: DEPTH.workload,
      runbook: "read the failed pod's log and fix the cause before re-running",
      actions: (f) => [rec("RerunJob", f.subject, "run the Job again once the cause is fixed")],
      summary: (f) => `${f.message}${logPart(f)}`,
    },
  ],
  needs: ["pods"],
  analyze: ({ view, faultsOf }) => analyzeJobs(view, faultsOf("pods")),
};
