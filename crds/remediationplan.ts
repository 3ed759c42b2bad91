import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { actionStepRules } from "./action-targets.ts";
import { LocalRef, ObjectReference, RiskLevel, commonStatus } from "./common.ts";
import { ActionName } from "./findings.ts";
import { LIMITS } from "./limits.ts";
import { RemediationPlanPhase, StepPhase, phaseValues } from "./phases.ts";
import { FreeForm, List, MapList, Str, StrEnum, Timestamp, rule } from "./schema.ts";

/** One typed action of a plan. */
export const PlanStep = Type.Object(
  {
    name: Str(LIMITS.label, {
      description: "Step name, unique in the plan (a DNS label).",
      minLength: 1,
      pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
    }),
    action: ActionName,
    target: ObjectReference,
    params: Type.Optional(
      FreeForm(LIMITS.params, "Action parameters, e.g. {replicas: 3} or {toRevision: 4}."),
    ),
    risk: Type.Optional(
      RiskLevel("Raises the catalog risk of the action for this step; it can never lower it."),
    ),
    description: Type.Optional(Str(LIMITS.message, { description: "Why this step, for the approver." })),
  },
  { description: "One action of the catalog on one target.", "x-kubernetes-validations": actionStepRules() },
);
export type PlanStep = Static<typeof PlanStep>;

/** RemediationPlan spec: ordered actions and what would prove they worked. */
export const RemediationPlanSpec = Type.Object(
  {
    taskRef: Type.Optional(LocalRef("The SreTask this plan remediates.")),
    diagnosisRunRef: Type.Optional(LocalRef("The DiagnosisRun whose recommendations this plan follows.")),
    agentConfigRef: Type.Optional(
      LocalRef("The AgentConfig whose policy governs this plan.", { default: { name: "default" } }),
    ),
    description: Type.Optional(
      Str(LIMITS.message, { description: "What the plan fixes, for the approver." }),
    ),
    steps: MapList(PlanStep, "name", LIMITS.steps, {
      description: "Steps, executed in order. Immutable: an approval covers exactly these steps.",
      minItems: 1,
      "x-kubernetes-validations": [
        rule("self == oldSelf", "steps are immutable once created; create a new RemediationPlan"),
      ],
    }),
    undoOnFailure: Type.Optional(
      Type.Boolean({
        description: "Undo the completed steps, in reverse, when a step fails.",
        default: true,
      }),
    ),
    verification: Type.Optional(
      Type.Object(
        {
          promql: Type.Optional(
            Str(LIMITS.promql, {
              description: "A PromQL expression that returns a non-empty result when healthy.",
            }),
          ),
          timeoutSeconds: Type.Optional(
            Type.Integer({
              description: "How long to wait for verification.",
              minimum: 10,
              maximum: 3600,
              default: 300,
            }),
          ),
        },
        { description: "Plan-level verification, after every step verified itself.", default: {} },
      ),
    ),
    approval: Type.Optional(
      Type.Object(
        {
          decision: StrEnum(["Approved", "Rejected"] as const, { description: "Approved or Rejected." }),
          decidedBy: Type.Optional(
            Str(256, {
              description:
                "Your own Kubernetes username (kubectl auth whoami). The aisre-remediationplan-approval " +
                "ValidatingAdmissionPolicy admits a decision only from a user allowed the verb approve on " +
                "this plan whose username this is; the operator executes no approval without it.",
              minLength: 1,
            }),
          ),
          comment: Type.Optional(Str(LIMITS.message, { description: "Why, for the record." })),
        },
        {
          description:
            "The decision, set after creation (never at create) by a user allowed the verb approve on " +
            "remediationplans, naming themselves in decidedBy; the API server checks both.",
        },
      ),
    ),
  },
  {
    description: "What to change, in order.",
    "x-kubernetes-validations": [
      rule(
        "!has(oldSelf.approval) || (has(self.approval) && self.approval.decision == oldSelf.approval.decision && " +
          "(!has(oldSelf.approval.decidedBy) || (has(self.approval.decidedBy) && self.approval.decidedBy == oldSelf.approval.decidedBy)))",
        "approval.decision is final once set, and so is approval.decidedBy; create a new RemediationPlan to decide again",
        { fieldPath: ".approval" },
      ),
    ],
  },
);
export type RemediationPlanSpec = Static<typeof RemediationPlanSpec>;

/** Execution of one step. */
export const StepStatus = Type.Object(
  {
    name: Str(LIMITS.label, { description: "The step name." }),
    phase: StrEnum(phaseValues(StepPhase), { description: "Where the step is." }),
    dryRun: Type.Optional(
      Type.Object(
        {
          passed: Type.Boolean({ description: "The server-side dry run accepted the change." }),
          message: Type.Optional(Str(LIMITS.message, { description: "What the dry run said." })),
        },
        { description: "The server-side dry run of this step." },
      ),
    ),
    affected: Type.Optional(
      List(ObjectReference, LIMITS.affected, { description: "Objects the step changes (or changed)." }),
    ),
    attempt: Type.Optional(
      Type.Integer({
        description:
          "How many times execute was fenced (status written Running before the call); see docs/adr/0003.",
        minimum: 0,
        maximum: 100,
      }),
    ),
    startedAt: Type.Optional(Timestamp("When execution started.")),
    executedAt: Type.Optional(
      Timestamp(
        "When execute returned (its result and undoState are recorded); absent: not known to have run.",
      ),
    ),
    undoState: Type.Optional(
      FreeForm(LIMITS.params, "What undo needs (previous replicas, revision ...), as execute returned it."),
    ),
    finishedAt: Type.Optional(Timestamp("When the step finished.")),
    message: Type.Optional(Str(LIMITS.message, { description: "What happened." })),
  },
  { description: "Execution of one step." },
);

/** Who decided about the plan, as the controller observed it. */
export const ApprovalStatus = Type.Object(
  {
    decision: StrEnum(["Approved", "Rejected"] as const, { description: "Approved or Rejected." }),
    decidedBy: Str(256, { description: "The authenticated user (or policy) that decided." }),
    decidedAt: Timestamp("When."),
    via: StrEnum(["Kubernetes", "REST", "WeCom", "Policy"] as const, {
      description: "Through which channel.",
    }),
    expiresAt: Type.Optional(
      Timestamp("An approval not acted on by then lapses (AgentConfig approvalTTLSeconds)."),
    ),
    specHash: Type.Optional(
      Str(128, { description: "Hash of the spec approved; a different spec is not approved." }),
    ),
  },
  { description: "The recorded decision." },
);

/** RemediationPlan status: policy verdict, decision, per-step execution, verification. */
export const RemediationPlanStatus = Type.Object(
  {
    ...commonStatus(phaseValues(RemediationPlanPhase)),
    risk: Type.Optional(RiskLevel("The highest risk of any step.")),
    progress: Type.Optional(Str(16, { description: "Steps finished / steps, e.g. 1/3." })),
    policy: Type.Optional(
      Type.Object(
        {
          allowed: Type.Boolean({ description: "AgentConfig policy allows every step." }),
          violations: Type.Optional(
            List(Str(LIMITS.evidenceLine), 20, { description: "What the policy forbids, one line each." }),
          ),
        },
        { description: "The policy verdict." },
      ),
    ),
    approval: Type.Optional(ApprovalStatus),
    steps: Type.Optional(MapList(StepStatus, "name", LIMITS.steps, { description: "Execution per step." })),
    verification: Type.Optional(
      Type.Object(
        {
          passed: Type.Boolean({ description: "The plan-level verification passed." }),
          message: Type.Optional(Str(LIMITS.message, { description: "What was checked." })),
          checkedAt: Type.Optional(Timestamp("When.")),
        },
        { description: "The plan-level verification." },
      ),
    ),
    startTime: Type.Optional(Timestamp("When execution started.")),
    completionTime: Type.Optional(Timestamp("When the plan reached a final phase.")),
  },
  { description: "What the plan did." },
);
export type RemediationPlanStatus = Static<typeof RemediationPlanStatus>;
