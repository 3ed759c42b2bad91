import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { DingTalkConfig, FeishuConfig, SlackConfig } from "./agentconfig-channels.ts";
import { GrafanaConfig } from "./agentconfig-grafana.ts";
import {
  AlertGroupingConfig,
  AnomalyConfig,
  AutomationSuggestion,
  CapacityConfig,
  LoopStatus,
  RolloutVerificationConfig,
} from "./agentconfig-monitoring.ts";
import { PolicyConfig } from "./agentconfig-policy.ts";
import { LLMConfig, ToolsConfig } from "./agentconfig-tools.ts";
import { SecretKeyRef, commonStatus } from "./common.ts";
import { SEVERITIES } from "./categories.ts";
import { LIMITS } from "./limits.ts";
import { ConfigPhase, phaseValues } from "./phases.ts";
import { Count, List, MapList, Str, StrEnum, StrMap, Timestamp, rule } from "./schema.ts";

/** Where notifications go: a WeCom (企业微信) application or a group robot. */
export const WeComConfig = Type.Object(
  {
    mode: StrEnum(["app", "robot"] as const, {
      description: "app: the WeCom application API; robot: a group robot.",
    }),
    corpId: Type.Optional(Str(64, { description: "WeCom corp id (app mode).", minLength: 1 })),
    agentId: Type.Optional(
      Type.Integer({ description: "WeCom application agent id (app mode).", minimum: 1 }),
    ),
    appSecretRef: Type.Optional(SecretKeyRef("The Secret key holding the application secret (app mode).")),
    toUser: Type.Optional(Str(1024, { description: "Recipients, user ids joined by | or @all (app mode)." })),
    toParty: Type.Optional(Str(1024, { description: "Department ids joined by | (app mode)." })),
    robotWebhookSecretRef: Type.Optional(
      SecretKeyRef("The Secret key holding the robot webhook URL (robot mode)."),
    ),
  },
  {
    description: "WeCom notifications.",
    "x-kubernetes-validations": [
      rule(
        "self.mode != 'app' || (has(self.corpId) && has(self.agentId) && has(self.appSecretRef))",
        "wecom app mode needs corpId, agentId and appSecretRef",
        { reason: "FieldValueRequired" },
      ),
      rule(
        "self.mode != 'app' || has(self.toUser) || has(self.toParty)",
        "wecom app mode needs toUser or toParty",
        {
          reason: "FieldValueRequired",
        },
      ),
      rule(
        "self.mode != 'robot' || has(self.robotWebhookSecretRef)",
        "wecom robot mode needs robotWebhookSecretRef",
        {
          fieldPath: ".robotWebhookSecretRef",
          reason: "FieldValueRequired",
        },
      ),
    ],
  },
);

/** A Prometheus duration such as 30s, 5m or 1h30m (units from ms to y, largest first). */
const DURATION_PATTERN = "^(0|([0-9]+(ms|s|m|h|d|w|y))+)$";

/**
 * One PromQL check of the monitoring agent (docs/monitoring.md): every result series that holds
 * `for` long opens one SreTask (source Monitor) in the AgentConfig's namespace, resolved once the
 * series has been clear for `clearFor`.
 */
export const MonitoringCheck = Type.Object(
  {
    name: Str(LIMITS.label, {
      description: "Check name, unique.",
      minLength: 1,
      pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
    }),
    promql: Str(LIMITS.promql, {
      description:
        "Fires while this returns a non-empty result; each result series (label set) is its own task.",
      minLength: 1,
    }),
    for: Type.Optional(
      Str(16, {
        description: "How long a series must hold before its task opens, e.g. 5m; 0s opens at once.",
        pattern: DURATION_PATTERN,
        default: "5m",
      }),
    ),
    clearFor: Type.Optional(
      Str(16, {
        description:
          "How long a firing series must stay clear before its task resolves (hysteresis against flapping); default max(for, 2 intervals).",
        pattern: DURATION_PATTERN,
      }),
    ),
    severity: Type.Optional(
      StrEnum(SEVERITIES, { description: "Severity of the opened task.", default: "warning" }),
    ),
    description: Type.Optional(Str(LIMITS.message, { description: "What the check watches." })),
    labels: Type.Optional(
      StrMap(16, LIMITS.label, "Labels added to the task's alert labels (e.g. team, service)."),
    ),
  },
  { description: "A PromQL check." },
);

/** AgentConfig spec: agents, LLM, tools, policy, notifications, monitoring. */
export const AgentConfigSpec = Type.Object(
  {
    agents: Type.Optional(
      Type.Object(
        {
          automation: Type.Optional(
            Type.Object(
              {
                enabled: Type.Optional(
                  Type.Boolean({
                    description:
                      "Off: the policy rejects every RemediationPlan of this AgentConfig (AutomationDisabled).",
                    default: true,
                  }),
                ),
              },
              { description: "The automation agent, which executes approved plans.", default: {} },
            ),
          ),
        },
        { description: "Which agents run.", default: {} },
      ),
    ),
    llm: Type.Optional(LLMConfig),
    tools: Type.Optional(ToolsConfig),
    policy: Type.Optional(PolicyConfig),
    grafana: Type.Optional(GrafanaConfig),
    notifications: Type.Optional(
      Type.Object(
        {
          wecom: Type.Optional(WeComConfig),
          dingtalk: Type.Optional(DingTalkConfig),
          feishu: Type.Optional(FeishuConfig),
          slack: Type.Optional(SlackConfig),
        },
        { description: "Where people hear about tasks: every channel set here gets each notification." },
      ),
    ),
    alertGrouping: Type.Optional(AlertGroupingConfig),
    monitoring: Type.Optional(
      Type.Object(
        {
          intervalSeconds: Type.Optional(
            Type.Integer({ description: "How often checks run.", minimum: 15, maximum: 3600, default: 60 }),
          ),
          checks: Type.Optional(
            MapList(MonitoringCheck, "name", LIMITS.checks, { description: "The checks." }),
          ),
          anomaly: Type.Optional(AnomalyConfig),
          capacity: Type.Optional(CapacityConfig),
          rollouts: Type.Optional(RolloutVerificationConfig),
        },
        {
          description:
            "Proactive checks, anomaly detection, capacity forecasts and rollout verification, run by the leader against spec.tools.prometheus.url (Prometheus or VictoriaMetrics).",
        },
      ),
    ),
  },
  {
    description: "How the agents of this namespace behave.",
    "x-kubernetes-validations": [
      rule(
        "!has(self.policy) || !has(self.policy.enabledActions) || !self.policy.enabledActions.exists(a, a.startsWith('Ec2')) || (has(self.tools) && has(self.tools.aws) && has(self.tools.aws.allowTag))",
        "EC2 actions in policy.enabledActions need tools.aws.allowTag, so only tagged instances are ever touched",
        { reason: "FieldValueRequired" },
      ),
    ],
  },
);
export type AgentConfigSpec = Static<typeof AgentConfigSpec>;

/** One check the monitoring agent could not evaluate: an evidence gap, never a crash. */
export const MonitoringGap = Type.Object(
  {
    check: Str(LIMITS.label, { description: "The check." }),
    message: Str(LIMITS.message, { description: "Why it could not be evaluated." }),
    since: Timestamp("When this gap began."),
  },
  { description: "A check whose query failed." },
);

/** What the monitoring agent saw at its last evaluation. */
export const MonitoringStatus = Type.Object(
  {
    lastEvaluation: Type.Optional(Timestamp("When the checks last ran.")),
    checks: Type.Optional(Count("Valid checks evaluated.")),
    pending: Type.Optional(Count("Series holding but not yet for their `for`.")),
    firing: Type.Optional(Count("Series with an open task.")),
    gaps: Type.Optional(
      MapList(MonitoringGap, "check", LIMITS.checks, { description: "Checks whose query failed." }),
    ),
    anomaly: Type.Optional(LoopStatus),
    capacity: Type.Optional(LoopStatus),
    rollouts: Type.Optional(LoopStatus),
  },
  { description: "The monitoring agent's last evaluation." },
);

/** AgentConfig status: whether the configuration is usable. */
export const AgentConfigStatus = Type.Object(
  {
    ...commonStatus(phaseValues(ConfigPhase)),
    monitoring: Type.Optional(MonitoringStatus),
    suggestions: Type.Optional(
      List(AutomationSuggestion, 20, {
        description:
          "Automations suggested from resolved incidents (docs/automation-suggestions.md); never applied without a person.",
      }),
    ),
  },
  { description: "Whether the configuration is usable (spec valid, referenced Secrets found)." },
);
export type AgentConfigStatus = Static<typeof AgentConfigStatus>;
