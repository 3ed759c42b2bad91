import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { Alert, LocalRef, ObjectReference, commonStatus } from "./common.ts";
import { Confidence, RootCause } from "./findings.ts";
import { LIMITS } from "./limits.ts";
import { SreTaskPhase, phaseValues } from "./phases.ts";
import { Str, StrEnum, Timestamp, rule } from "./schema.ts";

/** What the task asks for; Auto lets the classifier decide. */
export const TASK_TYPES = ["Auto", "Diagnose", "Remediate", "HealthCheck", "Capacity"] as const;
/** Where the task came from. */
export const TASK_SOURCES = ["Alertmanager", "WeCom", "REST", "Monitor", "Manual", "Console"] as const;
/** How far the task may go on its own: never remediate, remediate after approval, or as policy allows. */
export const REMEDIATION_MODES = ["Never", "Approval", "Auto"] as const;

/** SreTask spec: the intent of one unit of SRE work. */
export const SreTaskSpec = Type.Object(
  {
    type: Type.Optional(
      StrEnum(TASK_TYPES, {
        description:
          "Diagnose, Remediate, HealthCheck, Capacity (a forecast opened by the monitoring agent), or Auto to let the classifier decide.",
        default: "Auto",
        "x-kubernetes-validations": [rule("self == oldSelf", "type is immutable; create a new SreTask")],
      }),
    ),
    source: Type.Optional(
      StrEnum(TASK_SOURCES, { description: "Where the task came from.", default: "Manual" }),
    ),
    description: Type.Optional(
      Str(LIMITS.text, { description: "The request in a person's words, Chinese or English." }),
    ),
    target: Type.Optional(
      Type.Object(ObjectReference.properties, {
        description: "The resource to work on; when absent the classifier derives it from the alert or text.",
        "x-kubernetes-validations": [
          rule("self == oldSelf", "target is immutable; create a new SreTask for another target"),
        ],
      }),
    ),
    alert: Type.Optional(Alert),
    remediation: Type.Optional(
      Type.Object(
        {
          mode: Type.Optional(
            StrEnum(REMEDIATION_MODES, {
              description:
                "Never: diagnose only. Approval: plans wait for a person. Auto: plans run without approval " +
                "only where AgentConfig policy also allows it; the task can never loosen policy.",
              default: "Approval",
            }),
          ),
        },
        { description: "How far this task may go.", default: {} },
      ),
    ),
    agentConfigRef: Type.Optional(
      LocalRef("The AgentConfig (agents, LLM, tools, policy) to use.", { default: { name: "default" } }),
    ),
    requestedBy: Type.Optional(
      Str(256, {
        description: "Who asked, for the record (WeCom user, REST user). Never used for authorization.",
      }),
    ),
  },
  {
    description: "What to do and about what.",
    "x-kubernetes-validations": [
      rule(
        "has(self.description) || has(self.alert) || has(self.target)",
        "an SreTask needs a description, an alert or a target",
      ),
      rule(
        "self.source != 'Alertmanager' || has(self.alert)",
        "spec.alert is required when source is Alertmanager",
        {
          reason: "FieldValueRequired",
        },
      ),
    ],
  },
);
export type SreTaskSpec = Static<typeof SreTaskSpec>;

/** The highest episode a task can reach (`status.episode`): far beyond any real alert's refirings. */
export const MAX_EPISODE = 1_000_000;

/** How the classifier read the task. */
export const Classification = Type.Object(
  {
    type: StrEnum(["Diagnose", "Remediate", "HealthCheck", "Capacity"] as const, {
      description: "The decided task type.",
    }),
    target: Type.Optional(ObjectReference),
    confidence: Confidence("How sure the classifier is, 0 to 1."),
    method: StrEnum(["Rules", "LLM"] as const, { description: "Rules, or LLM when the rules were unsure." }),
    rationale: Type.Optional(Str(LIMITS.message, { description: "Why, in one sentence." })),
  },
  { description: "The classifier's decision." },
);

/** SreTask status: what happened to the task. */
export const SreTaskStatus = Type.Object(
  {
    ...commonStatus(phaseValues(SreTaskPhase)),
    classification: Type.Optional(Classification),
    diagnosisRunRef: Type.Optional(LocalRef("The DiagnosisRun of this task.")),
    remediationPlanRef: Type.Optional(LocalRef("The RemediationPlan of this task.")),
    rootCause: Type.Optional(RootCause),
    startTime: Type.Optional(Timestamp("When work on the task started.")),
    completionTime: Type.Optional(Timestamp("When the task reached Succeeded, Failed or Resolved.")),
    resolvedAt: Type.Optional(Timestamp("When the alert behind the task resolved.")),
    episode: Type.Optional(
      Type.Integer({
        description:
          "Which firing of the alert this status is about: 1 at first, one more each time the alert " +
          "fires again after the task resolved or finished (docs/adr/0004).",
        format: "int64",
        minimum: 1,
        maximum: MAX_EPISODE,
      }),
    ),
    episodeStartsAt: Type.Optional(
      Timestamp("spec.alert.startsAt of the firing this episode works on; a later firing reopens the task."),
    ),
    group: Type.Optional(
      Type.Object(
        {
          key: Str(LIMITS.message, {
            description: "The shared root cause, e.g. dependency:Service/shop/orders-db.",
          }),
          primary: Str(LIMITS.name, { description: "The group's first task, which holds the incident." }),
          role: StrEnum(["Primary", "Member"] as const, { description: "Primary notifies; members do not." }),
          size: Type.Integer({ description: "Tasks in the group.", minimum: 1, maximum: 100000 }),
          summary: Type.Optional(
            Str(LIMITS.message, { description: "E.g. 23 alerts, one root cause: orders-db." }),
          ),
        },
        { description: "The alert storm this task belongs to (docs/alert-storms.md)." },
      ),
    ),
  },
  { description: "What happened, as observed by the controllers." },
);
export type SreTaskStatus = Static<typeof SreTaskStatus>;
