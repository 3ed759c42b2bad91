import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { DingTalkConfig, FeishuConfig, SlackConfig } from "./agentconfig-channels.ts";
import { GrafanaConfig } from "./agentconfig-grafana.ts";
import { PolicyConfig } from "./agentconfig-policy.ts";
import { LLMConfig, ToolsConfig } from "./agentconfig-tools.ts";
import { SecretKeyRef, commonStatus } from "./common.ts";
import { SEVERITIES } from "./categories.ts";
import { LIMITS } from "./limits.ts";
import { ConfigPhase, phaseValues } from "./phases.ts";
import { MapList, Str, StrEnum, rule } from "./schema.ts";

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

/**
 * One PromQL check of the monitoring agent (a result that holds `for` long is to open an
 * SreTask). Not yet acted upon: no controller runs these checks yet; the schema is kept so
 * the monitoring agent can be built against it without another API change.
 */
export const MonitoringCheck = Type.Object(
  {
    name: Str(LIMITS.label, {
      description: "Check name, unique.",
      minLength: 1,
      pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
    }),
    promql: Str(LIMITS.promql, { description: "Fires while this returns a non-empty result.", minLength: 1 }),
    for: Type.Optional(
      Str(16, {
        description: "How long it must hold, e.g. 5m.",
        pattern: "^([0-9]+(ms|s|m|h))+$",
        default: "5m",
      }),
    ),
    severity: Type.Optional(
      StrEnum(SEVERITIES, { description: "Severity of the opened task.", default: "warning" }),
    ),
    description: Type.Optional(Str(LIMITS.message, { description: "What the check watches." })),
  },
  { description: "A PromQL check." },
);

/** AgentConfig spec: agents, LLM, tools, policy, notifications, monitoring (not yet acted upon). */
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
    monitoring: Type.Optional(
      Type.Object(
        {
          intervalSeconds: Type.Optional(
            Type.Integer({ description: "How often checks run.", minimum: 15, maximum: 3600, default: 60 }),
          ),
          checks: Type.Optional(
            MapList(MonitoringCheck, "name", LIMITS.checks, { description: "The checks." }),
          ),
        },
        {
          description:
            "Proactive PromQL checks. NOT YET ACTED UPON: no controller reads this field yet, so setting it changes nothing.",
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

/** AgentConfig status: whether the configuration is usable. */
export const AgentConfigStatus = Type.Object(
  { ...commonStatus(phaseValues(ConfigPhase)) },
  { description: "Whether the configuration is usable (spec valid, referenced Secrets found)." },
);
export type AgentConfigStatus = Static<typeof AgentConfigStatus>;
