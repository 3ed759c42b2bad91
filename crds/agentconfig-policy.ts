import { Type } from "@sinclair/typebox";
import { ACTION_NAMES } from "./actions.ts";
import { RISKS, SecretKeyRef } from "./common.ts";
import { ActionName } from "./findings.ts";
import { LIMITS } from "./limits.ts";
import { List, MapList, SetOf, Str, StrEnum } from "./schema.ts";

/** Enabled by default: every Kubernetes action; EC2 actions are an explicit opt-in. */
export const DEFAULT_ENABLED_ACTIONS = ACTION_NAMES.filter(
  (a) => !a.startsWith("Ec2") && a !== "ExternalAutomation",
);

/**
 * Actions on cluster-scoped targets (Nodes, EC2 instances): only the cluster policy (the
 * AgentConfig `default` of the operator's namespace) grants them, namespace by namespace.
 */
export const CLUSTER_SCOPED_ACTIONS = [
  "CordonNode",
  "DrainNode",
  "UncordonNode",
  "Ec2RebootInstance",
  "Ec2StartInstance",
  "Ec2StopInstance",
] as const;

/** A namespace name, or * (every namespace but kube-system, which must be named). */
const NamespaceName = Str(LIMITS.label, { pattern: "^(\\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$" });

/** Node and EC2 actions the cluster policy grants to the plans of some namespaces. */
const ClusterGrant = Type.Object({
  namespaces: SetOf(NamespaceName, LIMITS.list, {
    minItems: 1,
    description: "Namespaces whose plans get the grant; * means every namespace but kube-system.",
  }),
  actions: SetOf(StrEnum(CLUSTER_SCOPED_ACTIONS), CLUSTER_SCOPED_ACTIONS.length, {
    minItems: 1,
    description: "The Node and EC2 actions granted.",
  }),
  podNamespaces: Type.Optional(
    SetOf(NamespaceName, LIMITS.list, {
      description:
        "Namespaces besides the plan's own whose pods these actions may disrupt (a drain's evictions); " +
        "* means every namespace but kube-system. Absent: only the plan's own namespace.",
    }),
  ),
});

/** One script of the operations platform the cluster policy lets ExternalAutomation run. */
const AutomationScript = Type.Object({
  id: Str(LIMITS.name, {
    minLength: 1,
    pattern: "^[A-Za-z0-9][-_.A-Za-z0-9]*$",
    description: "The platform's script_id.",
  }),
  risk: StrEnum(RISKS, { description: "Risk of running it; a step must declare at least this risk." }),
  description: Type.Optional(Str(LIMITS.message, { description: "What the script does, for approvers." })),
  parameters: Type.Optional(
    MapList(
      Type.Object({
        name: Str(LIMITS.label, { minLength: 1, pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }),
        pattern: Str(256, { minLength: 1, description: "Regular expression the whole value must match." }),
        required: Type.Optional(Type.Boolean({ default: false })),
      }),
      "name",
      LIMITS.list,
      { description: "The only parameters a step may pass, each with the pattern its value must match." },
    ),
  ),
  undoScriptId: Type.Optional(
    Str(LIMITS.name, {
      minLength: 1,
      description: "Script run with the same parameters to undo it; none: no undo.",
    }),
  ),
});

/** The operations platform ExternalAutomation calls, and the scripts it may run there. */
export const ExternalAutomationPolicy = Type.Object(
  {
    baseURL: Str(2048, { pattern: "^https?://", description: "Base URL of the automation API." }),
    tokenSecretRef: Type.Optional(SecretKeyRef("Secret key (operator namespace) holding the Bearer token.")),
    supportsDryRun: Type.Optional(
      Type.Boolean({
        description: "The platform honours dry_run: the step's dry run asks it.",
        default: false,
      }),
    ),
    timeoutSeconds: Type.Optional(
      Type.Integer({ description: "Timeout of each request.", minimum: 1, maximum: 300, default: 30 }),
    ),
    scripts: MapList(AutomationScript, "id", LIMITS.list, { description: "The only scripts that may run." }),
  },
  {
    description:
      "Cluster policy only (AgentConfig default of the operator's namespace): the platform ExternalAutomation " +
      "calls and the scripts it may run. Absent: ExternalAutomation refuses every step.",
  },
);

/** Bounded integer with a default. */
function Limit(description: string, minimum: number, maximum: number, def: number) {
  return Type.Optional(Type.Integer({ description, minimum, maximum, default: def }));
}

/** What the automation agent may do, where, how much, and with whose approval. */
export const PolicyConfig = Type.Object(
  {
    autoRemediation: Type.Optional(
      Type.Boolean({
        description:
          "Propose a plan for every diagnosed task (not only those of type Remediate), and run plans below " +
          "approvalRequiredAtRisk of tasks with remediation.mode Auto without a person. " +
          "Off: only Remediate tasks get plans, and every plan waits for approval.",
        default: false,
      }),
    ),
    enabledActions: Type.Optional(
      SetOf(ActionName, ACTION_NAMES.length, {
        description:
          "Catalog actions plans may execute: the namespace's AgentConfig and the cluster policy must both " +
          "enable one. The cluster policy enables Node and EC2 actions through clusterGrants only; EC2 actions " +
          "also need tools.aws.allowTag.",
        default: DEFAULT_ENABLED_ACTIONS,
      }),
    ),
    allowedNamespaces: Type.Optional(
      SetOf(Str(LIMITS.label, { pattern: "^(\\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$" }), LIMITS.list, {
        description:
          "A plan only ever changes its own namespace (plus what clusterGrants give it). In the cluster policy " +
          "(AgentConfig default of the operator's namespace): the namespaces whose plans may remediate; absent " +
          "means all. Elsewhere it only narrows: the namespaces (its own, and those whose pods a granted drain " +
          "disrupts) its plans may affect; absent narrows nothing. * never covers kube-system.",
      }),
    ),
    clusterGrants: Type.Optional(
      List(ClusterGrant, LIMITS.list, {
        description:
          "Cluster policy only (AgentConfig default of the operator's namespace): which namespaces' plans may " +
          "run Node and EC2 actions, and whose pods those may disrupt. None: no plan may. Ignored in any other " +
          "AgentConfig (its PolicyScope condition says so).",
      }),
    ),
    maxAffectedPods: Limit("Most pods one plan may restart, evict or delete.", 0, 10000, 10),
    maxAffectedInstances: Limit("Most EC2 instances one plan may touch.", 0, 1000, 1),
    approvalRequiredAtRisk: Type.Optional(
      StrEnum(RISKS, {
        description:
          "Plans at or above this risk need a person's approval even with autoRemediation; low means every plan. " +
          "High-risk plans always need approval.",
        default: "low",
      }),
    ),
    cooldownSeconds: Limit(
      "No new plan acts on the same target within this long after the last one.",
      0,
      86400,
      600,
    ),
    maxConcurrentPlans: Limit("Most plans running at once under this AgentConfig.", 1, 100, 1),
    approvers: Type.Optional(
      SetOf(Str(256, { minLength: 1 }), LIMITS.list, {
        description:
          "WeCom user ids allowed to approve through WeCom (Kubernetes and REST approvals obey RBAC).",
      }),
    ),
    chatIdentities: Type.Optional(
      MapList(
        Type.Object({
          wecomUserId: Str(256, { minLength: 1, description: "The WeCom user id (FromUserName)." }),
          kubernetesUser: Str(256, {
            minLength: 1,
            description: "The Kubernetes user the sidecar impersonates for this person's decisions.",
          }),
          groups: Type.Optional(
            SetOf(Str(256, { minLength: 1 }), 20, { description: "Groups impersonated with the user." }),
          ),
        }),
        "wecomUserId",
        LIMITS.list,
        {
          description:
            "Cluster policy, read only from the AgentConfig named default in the operator's namespace: " +
            "the Kubernetes identity a WeCom user decides plans as (RBAC verb approve decides). An unmapped " +
            "WeCom user cannot approve; the sidecar may impersonate only these names (aisre-chat-impersonator).",
        },
      ),
    ),
    approvalTTLSeconds: Limit("An approval not acted on within this long lapses.", 60, 604800, 3600),
    externalAutomation: Type.Optional(ExternalAutomationPolicy),
  },
  { description: "Safety policy of the automation agent.", default: {} },
);
