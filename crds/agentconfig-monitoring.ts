/**
 * The proactive halves of the monitoring agent beyond checks (docs/monitoring.md): anomaly
 * detection, capacity forecasts, rollout verification, and what each loop saw; plus alert
 * grouping and the automation suggestions learnt from history.
 */
import { Type } from "@sinclair/typebox";
import { SEVERITIES } from "./categories.ts";
import { LIMITS } from "./limits.ts";
import { Count, List, Str, StrEnum, Timestamp } from "./schema.ts";

/** Anomaly detection on the golden signals of every workload the TSDB knows in this namespace. */
export const AnomalyConfig = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: "Run anomaly detection.", default: false })),
    intervalSeconds: Type.Optional(
      Type.Integer({ description: "How often a cycle runs.", minimum: 60, maximum: 3600, default: 300 }),
    ),
    severity: Type.Optional(
      StrEnum(SEVERITIES, { description: "Severity of the opened tasks.", default: "warning" }),
    ),
  },
  { description: "Anomaly detection without hand-set thresholds (seasonal baselines)." },
);

/** Capacity forecasts; a forecast inside the horizon opens a Capacity SreTask. */
export const CapacityConfig = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: "Run capacity forecasts.", default: false })),
    horizonDays: Type.Optional(
      Type.Integer({
        description: "Open a Capacity task when exhaustion is forecast within this many days.",
        minimum: 1,
        maximum: 365,
        default: 14,
      }),
    ),
    historyDays: Type.Optional(
      Type.Integer({ description: "Days of history read.", minimum: 2, maximum: 90, default: 14 }),
    ),
    intervalSeconds: Type.Optional(
      Type.Integer({ description: "How often forecasts run.", minimum: 300, maximum: 86400, default: 3600 }),
    ),
    poolLabels: Type.Optional(
      List(Str(LIMITS.name), 8, { description: "Node labels that name a node pool, tried in order." }),
    ),
  },
  { description: "Capacity forecasts per node pool, node, namespace quota and PersistentVolumeClaim." },
);

/** Rollout verification: the new revision's golden signals against the previous one's. */
export const RolloutVerificationConfig = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: "Verify rollouts.", default: false })),
    windowMinutes: Type.Optional(
      Type.Integer({
        description: "How long the new revision is watched after its rollout starts.",
        minimum: 1,
        maximum: 240,
        default: 10,
      }),
    ),
    errorRatioIncrease: Type.Optional(
      Type.Number({
        description: "A regression: the 5xx ratio rises by more than this (absolute, 0.05 = 5 points).",
        minimum: 0,
        maximum: 1,
        default: 0.05,
      }),
    ),
    latencyRatio: Type.Optional(
      Type.Number({
        description: "A regression: p99 latency grows by more than this factor.",
        minimum: 1,
        maximum: 100,
        default: 1.5,
      }),
    ),
    minRequestRate: Type.Optional(
      Type.Number({
        description: "Below this many requests per second a revision is not judged on HTTP signals.",
        minimum: 0,
        maximum: 1e6,
        default: 0.1,
      }),
    ),
  },
  { description: "Compare each new revision of a Deployment, StatefulSet or DaemonSet with the previous." },
);

/** Alerts of one root cause within a window become one incident and one notification. */
export const AlertGroupingConfig = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: "Group alert storms.", default: true })),
    windowSeconds: Type.Optional(
      Type.Integer({
        description: "Alerts whose tasks started this close together may share one incident.",
        minimum: 30,
        maximum: 3600,
        default: 300,
      }),
    ),
  },
  { description: "Alert-storm grouping (docs/alert-storms.md)." },
);

/** What one proactive loop saw at its last run. */
export const LoopStatus = Type.Object(
  {
    lastEvaluation: Type.Optional(Timestamp("When the loop last ran.")),
    open: Type.Optional(Count("Tasks this loop has open.")),
    found: Type.Optional(
      Count("What the last run found (anomalies, forecasts in the horizon, regressions)."),
    ),
    gaps: Type.Optional(
      List(Str(LIMITS.message), 20, { description: "What the last run could not read: evidence gaps." }),
    ),
  },
  { description: "One proactive loop's last run." },
);

/** One automation suggested from resolved incidents; never applied without a person. */
export const AutomationSuggestion = Type.Object(
  {
    id: Str(LIMITS.label, { description: "Stable id of the suggestion." }),
    kind: StrEnum(["Runbook", "PolicyRule"] as const, {
      description: "Write a Runbook, or allow auto-remediation of this action for this target.",
    }),
    action: Type.Optional(Str(LIMITS.label, { description: "The catalog action." })),
    target: Type.Optional(Str(LIMITS.name * 2 + 16, { description: "kind/namespace/name of the target." })),
    trigger: Type.Optional(Str(LIMITS.message, { description: "The alert or root cause it answers." })),
    occurrences: Count("How many resolved incidents it is learnt from."),
    lastSeen: Type.Optional(Timestamp("The latest of them.")),
    evidence: Type.Optional(Str(LIMITS.message, { description: "Why: the history, in one sentence." })),
  },
  { description: "An automation suggestion." },
);
