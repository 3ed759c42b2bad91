/**
 * The SreTask a regressed rollout opens: one per (workload, revision), named by a SHA-256 of
 * both so a second create is a 409. It is a Remediate task whose remediation waits for a person
 * (mode Approval): the diagnosis answers BadRollout and recommends RolloutUndo through the
 * normal plan, policy and approval path. spec.target stays unset so the alert, whose
 * annotations carry the metric deltas, is the diagnosis's focus (controllers/sretask/diagnosis.ts);
 * its `deployment`/`statefulset`/`daemonset` label names the workload for the classifier.
 */
import { createHash } from "node:crypto";
import type { SreTask } from "../../crds/index.ts";
import { LIMITS, typeMeta } from "../../crds/index.ts";
import { redactText } from "../../redact/index.ts";
import type { Rollout } from "./revisions.ts";
import type { Verdict } from "./types.ts";

/** The alertname of rollout regressions (alert labels, runbooks, silences). */
export const ROLLOUT_ALERTNAME = "RolloutRegression";

/** Label keys on rollout tasks (selectable with kubectl -l). */
export const ROLLOUT_LABELS = {
  config: "aisre.io/rollout-config",
  kind: "aisre.io/rollout-kind",
  workload: "aisre.io/rollout-workload",
  revision: "aisre.io/rollout-revision",
} as const;

/** Annotation keys of the task's alert that the diagnosis reads (agents/diagnosis/rollout-evidence.ts). */
export const ROLLOUT_ANNOTATIONS = {
  deltas: "deltas",
  changes: "changes",
  previousRevision: "previous_revision",
  window: "window",
} as const;

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

/** 16 hex digits of a SHA-256 of the workload and the revision. */
export function rolloutFingerprint(r: Pick<Rollout, "namespace" | "kind" | "name" | "revision">): string {
  return createHash("sha256")
    .update(`${r.namespace}\0${r.kind}\0${r.name}\0${r.revision}`)
    .digest("hex")
    .slice(0, 16);
}

/** `rollout-<workload>-<fingerprint>`: a DNS-1123 name of at most 63 characters. */
export function rolloutTaskName(r: Pick<Rollout, "namespace" | "kind" | "name" | "revision">): string {
  const fp = rolloutFingerprint(r);
  const slug = r.name.slice(0, 63 - "rollout-".length - 1 - fp.length).replace(/[-.]+$/, "");
  return `rollout-${slug}-${fp}`;
}

/** The Remediate SreTask of a regressed rollout, in the AgentConfig's namespace. */
export function rolloutTask(
  config: { namespace: string; name: string },
  r: Rollout,
  verdict: Verdict,
  windowMinutes: number,
): SreTask {
  const regressions = verdict.deltas.filter((d) => d.regression);
  const severity = regressions.some((d) => d.signal !== "latencyP99") ? "critical" : "warning";
  const what = r.changes.length ? r.changes.join(", ") : "";
  const summary = `${r.kind} ${r.name} ${r.names.current} regressed against ${r.names.previous}: ${verdict.summary}`;
  const clean = (text: string) => cut(redactText(text), LIMITS.text);
  return {
    ...typeMeta("SreTask"),
    metadata: {
      name: rolloutTaskName(r),
      namespace: config.namespace,
      labels: {
        [ROLLOUT_LABELS.config]: labelValue(config.name),
        [ROLLOUT_LABELS.kind]: r.kind,
        [ROLLOUT_LABELS.workload]: labelValue(r.name),
        [ROLLOUT_LABELS.revision]: labelValue(r.revision),
      },
    },
    spec: {
      type: "Remediate",
      source: "Monitor",
      description: clean(summary),
      remediation: { mode: "Approval" },
      agentConfigRef: { name: config.name },
      alert: {
        fingerprint: rolloutFingerprint(r),
        status: "firing",
        labels: {
          alertname: ROLLOUT_ALERTNAME,
          severity,
          namespace: r.namespace,
          [r.kind.toLowerCase()]: r.name,
          workload: r.name,
          revision: r.revision,
        },
        annotations: {
          summary: clean(summary),
          [ROLLOUT_ANNOTATIONS.deltas]: clean(verdict.deltas.map((d) => d.text).join("\n")),
          ...(what ? { [ROLLOUT_ANNOTATIONS.changes]: clean(what) } : {}),
          [ROLLOUT_ANNOTATIONS.previousRevision]: r.previousRevision,
          [ROLLOUT_ANNOTATIONS.window]: `${windowMinutes}m`,
        },
        startsAt: iso(r.start),
      },
    },
  };
}
