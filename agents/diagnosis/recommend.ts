/**
 * Recommendations: only catalog actions (crds/actions.ts), each with the catalog
 * risk and a rationale. RunbookOnly marks the steps a person must take.
 */
import type { ActionName } from "../../crds/actions.ts";
import { ACTION_RISKS } from "../../crds/actions.ts";
import type { Fault } from "./fault.ts";
import { proposeMemory } from "./quantity.ts";
import type { RolloutContext } from "./rollout-context.ts";
import type { Recommendation, ResourceRef } from "./types.ts";

type Params = Recommendation["params"];

function rec(
  action: ActionName,
  target: ResourceRef,
  rationale: string,
  params: Params = {},
): Recommendation {
  return { action, target, params, risk: ACTION_RISKS[action], rationale };
}

const RUNBOOK: Partial<Record<Fault["category"], string>> = {
  CrashLoop: "read the previous container log and fix the command, config or dependency it fails on",
  ImagePull: "check the image name and tag exist in the registry and the imagePullSecrets are valid",
  MissingConfig: "create the missing ConfigMap/Secret/key or fix the reference in the pod template",
  ProbeFailure: "check the probe path/port/timeouts against what the application serves",
  InitContainerFailure: "read the init container log; fix the dependency it waits for",
  Unschedulable: "free or add capacity, or relax requests, nodeSelector/affinity or tolerations",
  PVCPending: "fix the StorageClass/provisioner or create a matching PersistentVolume",
  VolumeMountFailure:
    "detach the volume from the old node (delete the stale pod/VolumeAttachment) or fix the volume source",
  QuotaExceeded: "raise the ResourceQuota/LimitRange or lower the pod's requests/limits",
  ServiceSelectorMismatch:
    "make the Service selector and targetPort match the pods' labels and container ports",
  ServiceNoEndpoints: "find why the selected pods are not ready",
  IngressMisconfigured: "point the Ingress at an existing Service/port, IngressClass and TLS secret",
  AdmissionWebhookFailure: "restore the webhook's backend, or set failurePolicy: Ignore while it is down",
  PDBBlocking: "add replicas or relax the PodDisruptionBudget so the drain can proceed",
  NodePressure: "free disk/memory on the node or move workloads away",
  NodeNotReady: "check the kubelet and the machine; pods will be rescheduled once the node is drained",
  JobFailed: "read the failed pod's log and fix the cause before re-running",
  HPAMaxedOut: "check capacity and the cost of more replicas",
  BadRollout: "fix the new revision before rolling forward again",
  OOMKilled: "check for a memory leak before only raising the limit",
  HighErrorRate: "read the failing pods' logs for the 5xx cause and check the dependencies they call",
  HighLatency: "check saturation (CPU throttling, an HPA at max), slow dependencies and recent changes",
  CPUThrottling: "set a CPU limit that covers the peak, or remove the limit and keep the request",
  MemoryLeak: "capture a heap profile and fix the leak; a restart only resets the clock",
  DiskFillForecast:
    "expand the PVC (its StorageClass must allow volume expansion) or delete old data before it fills",
};

function rollback(f: Fault, ctx: RolloutContext | undefined): Recommendation[] {
  if (!ctx?.history.previous || !ctx.recent || f.subject.kind !== "Deployment") return [];
  const prev =
    f.category === "BadRollout" && f.facts.previousRevision
      ? f.facts.previousRevision
      : String(ctx.history.previous.revision);
  const why =
    f.category === "BadRollout" ? (f.facts.previousHealthyFor ?? ctx.previousText) : ctx.previousText;
  return [
    rec(
      "RolloutUndo",
      f.subject,
      `${why ?? `revision ${prev} ran before`}; the failure started with revision ${ctx.history.newest.revision}`,
      { toRevision: Number(prev) },
    ),
  ];
}

function oom(f: Fault): Recommendation[] {
  if (f.subject.kind === "Pod") return [];
  const memory = proposeMemory(f.facts.memoryLimit);
  const params: Params = { container: f.facts.container ?? "", ...(memory ? { memory } : {}) };
  return [
    rec(
      "SetResources",
      f.subject,
      `killed at the ${f.facts.memoryLimit ?? "unset"} limit; propose ${memory ?? "a higher limit"}`,
      params,
    ),
  ];
}

function node(f: Fault): Recommendation[] {
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

function webhook(f: Fault): Recommendation[] {
  const backend = f.facts.webhookBackend;
  if (!backend || f.facts.webhookReplicas !== 0) return [];
  return [rec("ScaleWorkload", backend, "the webhook backend is scaled to zero", { replicas: 1 })];
}

function throttling(f: Fault): Recommendation[] {
  if (f.subject.kind === "Pod" || !f.facts.proposedCpu) return [];
  return [
    rec(
      "SetResources",
      f.subject,
      `throttled at the ${f.facts.cpuLimit ?? "current"} CPU limit; propose ${f.facts.proposedCpu}`,
      { container: f.facts.container ?? "", cpu: f.facts.proposedCpu },
    ),
  ];
}

function leak(f: Fault): Recommendation[] {
  if (!["Deployment", "StatefulSet", "DaemonSet"].includes(f.subject.kind)) return [];
  return [
    rec("RolloutRestart", f.subject, `buys time before the OOM kill (${f.facts.detail ?? "memory grows"})`),
  ];
}

const SPECIFIC: Partial<Record<Fault["category"], (f: Fault) => Recommendation[]>> = {
  OOMKilled: oom,
  CPUThrottling: throttling,
  MemoryLeak: leak,
  NodeNotReady: node,
  NodePressure: node,
  JobFailed: (f) => [rec("RerunJob", f.subject, "run the Job again once the cause is fixed")],
  HPAMaxedOut: (f) => [
    rec("PatchHPA", f.resource, `at maxReplicas ${f.facts.maxReplicas ?? "?"} above target`, {
      maxReplicas: f.facts.proposedMaxReplicas ?? 0,
    }),
  ],
  AdmissionWebhookFailure: webhook,
};

function specific(f: Fault): Recommendation[] {
  return SPECIFIC[f.category]?.(f) ?? [];
}

/** The recommended catalog actions for a root cause. */
export function recommend(f: Fault, ctx: RolloutContext | undefined): Recommendation[] {
  const intrinsic = [
    "BadRollout",
    "CrashLoop",
    "ImagePull",
    "MissingConfig",
    "ProbeFailure",
    "InitContainerFailure",
    "OOMKilled",
    "HighErrorRate",
    "HighLatency",
  ];
  const out = intrinsic.includes(f.category) && f.category !== "OOMKilled" ? rollback(f, ctx) : [];
  out.push(...specific(f));
  const steps = RUNBOOK[f.category];
  if (steps) out.push(rec("RunbookOnly", f.subject, steps));
  return out;
}
