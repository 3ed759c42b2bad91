import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { Alert, LocalRef, ObjectReference, commonStatus } from "./common.ts";
import { Finding, Impact, Recommendation, RootCause } from "./findings.ts";
import { LIMITS } from "./limits.ts";
import { DiagnosisRunPhase, phaseValues } from "./phases.ts";
import { Count, List, Str, StrEnum, Timestamp, rule } from "./schema.ts";

/** DiagnosisRun spec: what to investigate. Immutable: a new question is a new run. */
export const DiagnosisRunSpec = Type.Object(
  {
    taskRef: Type.Optional(LocalRef("The SreTask this run answers; absent for a run created by hand.")),
    target: Type.Optional(ObjectReference),
    alert: Type.Optional(Alert),
    agentConfigRef: Type.Optional(
      LocalRef("The AgentConfig whose tools and LLM to use.", { default: { name: "default" } }),
    ),
    useLLM: Type.Optional(
      Type.Boolean({
        description: "Ask the LLM for explanation and ranking when the AgentConfig enables one.",
        default: true,
      }),
    ),
    timeoutSeconds: Type.Optional(
      Type.Integer({ description: "Give up after this long.", minimum: 10, maximum: 3600, default: 300 }),
    ),
  },
  {
    description: "What to investigate; with neither target nor alert the whole namespace is examined.",
    "x-kubernetes-validations": [
      rule("self == oldSelf", "a DiagnosisRun's spec is immutable; start a new run"),
    ],
  },
);
export type DiagnosisRunSpec = Static<typeof DiagnosisRunSpec>;

/** What the LLM step did, so cost and fallbacks are visible. */
export const LLMUsage = Type.Object(
  {
    used: Type.Boolean({ description: "Whether the LLM contributed to this diagnosis." }),
    model: Type.Optional(Str(256, { description: "Model name as the endpoint reported it." })),
    promptTokens: Type.Optional(Count("Prompt tokens spent.")),
    completionTokens: Type.Optional(Count("Completion tokens spent.")),
    latencyMs: Type.Optional(Count("Time spent waiting for the LLM.")),
    fallbackReason: Type.Optional(
      Str(256, {
        description: "Why the deterministic result stands alone (crds/reasons.ts), e.g. LLMTimedOut.",
      }),
    ),
  },
  { description: "LLM usage of this run." },
);

/** A runbook the diagnosis matched. */
export const MatchedRunbook = Type.Object(
  {
    name: Str(LIMITS.name, { description: "Runbook name." }),
    title: Type.Optional(Str(256, { description: "Runbook title." })),
    score: Type.Optional(Type.Number({ description: "Match score, 0 to 1.", minimum: 0, maximum: 1 })),
  },
  { description: "A matched runbook." },
);

/** Similar past incidents from the incident store (docs/incident-memory.md). */
export const IncidentHistory = Type.Object(
  {
    seen: Count("Similar past incidents opened in the window (at most 100 are counted)."),
    days: Type.Integer({ description: "The window, in days.", minimum: 1, maximum: 365 }),
    summary: Str(512, {
      description: "For a person, e.g. 'seen 3 times in 30 days; last resolved by RolloutUndo, verified'.",
    }),
    last: Type.Optional(
      Type.Object(
        {
          incident: Str(64, { description: "Its id in the incident store." }),
          task: Type.Optional(Str(LIMITS.name * 2 + 1, { description: "Its SreTask, namespace/name." })),
          at: Timestamp("When it was opened."),
          match: StrEnum(["fingerprint", "workload", "signature"] as const, {
            description:
              "Why it is similar: the same alert, the same category on the same workload, or log text.",
          }),
          similarity: Type.Optional(
            Type.Number({
              description: "Log/evidence signature similarity, 0 to 1.",
              minimum: 0,
              maximum: 1,
            }),
          ),
          action: Type.Optional(
            Str(128, { description: "The action of its last finished remediation step." }),
          ),
          outcome: Type.Optional(
            StrEnum(["verified", "succeeded", "failed", "undone"] as const, {
              description: "How that step ended; verified when its check passed.",
            }),
          ),
        },
        { description: "The most recent similar incident." },
      ),
    ),
  },
  { description: "How often this was seen before and how it was resolved last time." },
);

/** DiagnosisRun status: the diagnosis (docs/diagnosis.md §2) plus how it was obtained. */
export const DiagnosisRunStatus = Type.Object(
  {
    ...commonStatus(phaseValues(DiagnosisRunPhase)),
    rootCause: Type.Optional(RootCause),
    findings: Type.Optional(List(Finding, LIMITS.findings, { description: "Findings, most severe first." })),
    recommendations: Type.Optional(
      List(Recommendation, LIMITS.recommendations, { description: "Proposed catalog actions, best first." }),
    ),
    runbooks: Type.Optional(List(MatchedRunbook, LIMITS.runbooks, { description: "Runbooks that match." })),
    impact: Type.Optional(Impact),
    evidenceGaps: Type.Optional(
      List(Str(LIMITS.evidenceLine), LIMITS.evidence, {
        description:
          "Evidence the engine could not read (e.g. Prometheus unreachable); the diagnosis went on without it.",
      }),
    ),
    history: Type.Optional(IncidentHistory),
    explanation: Type.Optional(
      Str(LIMITS.text, { description: "The explanation for a person (the LLM's, when one was used)." }),
    ),
    truncated: Type.Optional(
      Type.Object(
        {
          findings: Type.Optional(Type.Boolean({ description: "More findings existed than status holds." })),
          recommendations: Type.Optional(Type.Boolean({ description: "More recommendations existed." })),
          evidence: Type.Optional(Type.Boolean({ description: "Evidence lines were cut." })),
        },
        { description: "What was cut to keep the status bounded; the incident history keeps it all." },
      ),
    ),
    llm: Type.Optional(LLMUsage),
    startTime: Type.Optional(Timestamp("When the run started.")),
    completionTime: Type.Optional(Timestamp("When the run completed or failed.")),
    durationMs: Type.Optional(Count("Wall time of the run.")),
    attempts: Type.Optional(
      Count("How often the engine was started for this run; after a bounded number the run ends Failed."),
    ),
  },
  { description: "The diagnosis, as docs/diagnosis.md defines it." },
);
export type DiagnosisRunStatus = Static<typeof DiagnosisRunStatus>;
