/** The facts of the categories the pod analyzer owns: what goes wrong inside one pod. */
import { rec } from "../catalog.ts";
import type { Params } from "../catalog.ts";
import type { Fault } from "../fault.ts";
import { logPart, podSentence } from "../phrasing.ts";
import { proposeMemory } from "../quantity.ts";
import type { Recommendation } from "../types.ts";
import type { CategoryFacts } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";

function raiseMemory(f: Fault): Recommendation[] {
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

/**
 * The facts of the pod-level categories. The revision causes (ADR 0002) ship with the pod
 * template; OOMKilled does too, but the fix proposed is more memory rather than a rollback.
 */
export const POD_CATEGORIES: readonly CategoryFacts[] = [
  {
    category: "CrashLoop",
    depth: DEPTH.pod,
    runbook: "read the previous container log and fix the command, config or dependency it fails on",
    rollback: true,
    revision: true,
    summary: podSentence(
      (f, c, s) => `${f.subject.name}${c} exits with code ${f.facts.exitCode ?? "?"}${logPart(f)}${s}`,
    ),
  },
  {
    category: "OOMKilled",
    depth: DEPTH.pod,
    runbook: "check for a memory leak before only raising the limit",
    revision: true,
    actions: raiseMemory,
    summary: podSentence(
      (f, c, s) =>
        `${f.subject.name}${c} is OOMKilled at its ${f.facts.memoryLimit ?? "unset"} memory limit (${f.facts.restarts ?? "?"} restarts)${s}`,
    ),
  },
  {
    category: "ImagePull",
    depth: DEPTH.pod,
    runbook: "check the image name and tag exist in the registry and the imagePullSecrets are valid",
    rollback: true,
    revision: true,
    summary: podSentence(
      (f, _c, s) =>
        `${f.subject.name} cannot pull image ${f.facts.image ?? "?"}: ${f.facts.detail ?? "pull fails"}${s}`,
    ),
  },
  {
    category: "MissingConfig",
    depth: DEPTH.pod,
    runbook: "create the missing ConfigMap/Secret/key or fix the reference in the pod template",
    rollback: true,
    revision: true,
    summary: podSentence(
      (f, _c, s) =>
        `${f.subject.name} cannot start: ${f.facts.object ? `${f.facts.object} not found` : (f.facts.detail ?? "a referenced ConfigMap/Secret is missing")}${s}`,
    ),
  },
  {
    category: "ProbeFailure",
    depth: DEPTH.pod,
    runbook: "check the probe path/port/timeouts against what the application serves",
    rollback: true,
    revision: true,
    summary: podSentence(
      (f, c, s) =>
        `${f.subject.name}${c} fails its health probe${f.facts.detail ? `: ${f.facts.detail}` : ""}${s}`,
    ),
  },
  {
    category: "InitContainerFailure",
    depth: DEPTH.pod,
    runbook: "read the init container log; fix the dependency it waits for",
    rollback: true,
    revision: true,
    summary: podSentence(
      (f) =>
        `${f.subject.name} never starts: init container ${f.facts.container ?? "?"} exits with code ${f.facts.exitCode ?? "?"}${logPart(f)}`,
    ),
  },
  {
    category: "Unschedulable",
    depth: DEPTH.pod,
    runbook: "free or add capacity, or relax requests, nodeSelector/affinity or tolerations",
    summary: podSentence(
      (f) => `${f.subject.name} pods cannot be scheduled${f.facts.detail ? `: ${f.facts.detail}` : ""}`,
    ),
  },
  {
    category: "VolumeMountFailure",
    depth: DEPTH.pod,
    runbook:
      "detach the volume from the old node (delete the stale pod/VolumeAttachment) or fix the volume source",
  },
];
