import { Type } from "@sinclair/typebox";
import { LocalRef, SecretKeyRef } from "./common.ts";
import { LIMITS } from "./limits.ts";
import { MapList, SetOf, Str, StrEnum, rule } from "./schema.ts";

const HTTP_URL = "^https?://";

/** An http(s) URL of a tool endpoint. */
function Url(description: string) {
  return Str(LIMITS.url, { description, minLength: 1, pattern: HTTP_URL });
}

/** The OpenAI-compatible LLM endpoint. Off by default: the deterministic engine needs none. */
export const LLMConfig = Type.Object(
  {
    enabled: Type.Optional(
      Type.Boolean({ description: "Use the LLM for classification and diagnosis.", default: false }),
    ),
    baseURL: Type.Optional(Url("OpenAI-compatible API base URL, e.g. https://api.deepseek.com/v1.")),
    model: Type.Optional(
      Str(256, { description: "Model name, e.g. deepseek-chat or qwen-plus.", minLength: 1 }),
    ),
    temperature: Type.Optional(
      Type.Number({
        description: "Sampling temperature; low keeps diagnoses repeatable.",
        minimum: 0,
        maximum: 2,
        default: 0,
      }),
    ),
    timeoutSeconds: Type.Optional(
      Type.Integer({
        description: "Per-request timeout; on timeout the deterministic result stands.",
        minimum: 1,
        maximum: 600,
        default: 60,
      }),
    ),
    maxSteps: Type.Optional(
      Type.Integer({
        description: "Most tool-calling rounds per diagnosis.",
        minimum: 1,
        maximum: 50,
        default: 8,
      }),
    ),
    maxTokens: Type.Optional(
      Type.Integer({
        description: "Most completion tokens per request.",
        minimum: 1,
        maximum: 200000,
        default: 4096,
      }),
    ),
    apiKeySecretRef: Type.Optional(SecretKeyRef("The Secret key holding the API key.")),
  },
  {
    description:
      "The LLM endpoint. It only sees redacted data, only calls read-only tools, only proposes catalog actions.",
    default: {},
    "x-kubernetes-validations": [
      rule(
        "!(has(self.enabled) && self.enabled) || has(self.apiKeySecretRef)",
        "llm.apiKeySecretRef is required when llm.enabled is true",
        {
          fieldPath: ".apiKeySecretRef",
          reason: "FieldValueRequired",
        },
      ),
      rule(
        "!(has(self.enabled) && self.enabled) || (has(self.baseURL) && has(self.model))",
        "llm.baseURL and llm.model are required when llm.enabled is true",
        { reason: "FieldValueRequired" },
      ),
    ],
  },
);

const Share = (description: string) => Type.Number({ description, minimum: 0.001, maximum: 1 });
const Hours = (description: string) => Type.Number({ description, minimum: 0.1, maximum: 24 * 90 });

/** When a metric becomes a finding; unset fields keep the defaults (agents/diagnosis/metrics/thresholds.ts). */
export const MetricThresholds = Type.Object(
  {
    errorRatio: Type.Optional(
      Share("Share of requests answered 5xx that makes HighErrorRate (default 0.05)."),
    ),
    latencyP99Seconds: Type.Optional(
      Type.Number({ description: "p99 latency that makes HighLatency (default 1).", minimum: 0.001 }),
    ),
    throttledShare: Type.Optional(
      Share("Share of CFS periods throttled that makes CPUThrottling (default 0.25)."),
    ),
    memoryHorizonHours: Type.Optional(
      Hours("MemoryLeak when the working set reaches its limit within this many hours (default 12)."),
    ),
    diskHorizonHours: Type.Optional(
      Hours("DiskFillForecast when a volume fills within this many hours (default 96)."),
    ),
  },
  { description: "Thresholds of the metric categories." },
);

/** A remote MCP tool server whose allow-listed tools the LLM agent may call (docs/mcp.md). */
export const McpServerConfig = Type.Object(
  {
    name: Str(LIMITS.label, {
      description: "A short name, unique in the list; the model sees the tools as mcp_<name>_<tool>.",
      minLength: 1,
      maxLength: 20,
      pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
    }),
    url: Url("The server's MCP endpoint, e.g. https://mcp.example.com/mcp."),
    transport: Type.Optional(
      StrEnum(["streamable-http", "sse"] as const, {
        description: "streamable-http (the current MCP transport) or sse (the 2024-11-05 one).",
        default: "streamable-http",
      }),
    ),
    headersSecretRef: Type.Optional(
      LocalRef(
        "A Secret in the operator's namespace whose keys are HTTP header names and values their values (e.g. Authorization).",
      ),
    ),
    allowedTools: SetOf(
      Str(128, {
        description: "A tool name as the server lists it.",
        minLength: 1,
        pattern: "^[A-Za-z0-9_.-]+$",
      }),
      50,
      {
        description:
          "The only tools of this server the model may call. A tool the server does not mark readOnlyHint is refused unless allowWriteTools.",
        minItems: 1,
      },
    ),
    allowWriteTools: Type.Optional(
      Type.Boolean({
        description:
          "Also offer allowed tools the server does not mark read-only. Honoured only in the cluster AgentConfig (aisre-system/default); default false.",
        default: false,
      }),
    ),
    timeoutSeconds: Type.Optional(
      Type.Integer({ description: "Per-call timeout.", minimum: 1, maximum: 120, default: 20 }),
    ),
  },
  { description: "A remote MCP server; its output is untrusted data (fenced, redacted, bounded)." },
);

/** Endpoints of the read-only (and EC2) tools. */
export const ToolsConfig = Type.Object(
  {
    prometheus: Type.Optional(
      Type.Object(
        {
          url: Url("Prometheus base URL, e.g. http://prometheus.monitoring:9090."),
          timeoutSeconds: Type.Optional(
            Type.Integer({
              description: "Per-query timeout; a query that times out is reported as an evidence gap.",
              minimum: 1,
              maximum: 120,
              default: 10,
            }),
          ),
          thresholds: Type.Optional(MetricThresholds),
        },
        {
          description:
            "Metrics: PromQL evidence for the metric root-cause categories, the LLM's PromQL tool, and the PromQL verification of RemediationPlans.",
        },
      ),
    ),
    mcpServers: Type.Optional(
      MapList(McpServerConfig, "name", 10, {
        description:
          "Remote MCP tool servers (Grafana, databases, cloud ...) the optional LLM agent may read.",
      }),
    ),
    aws: Type.Optional(
      Type.Object(
        {
          region: Str(32, {
            description: "AWS region, e.g. ap-northeast-1.",
            pattern: "^[a-z]{2}(-[a-z]+)+-[0-9]+$",
          }),
          endpoint: Type.Optional(Url("EC2 endpoint override (private endpoints, tests).")),
          credentialsSecretRef: Type.Optional(
            LocalRef(
              "A Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; absent means the pod's own identity (IRSA).",
            ),
          ),
          allowTag: Type.Optional(
            Type.Object(
              {
                key: Str(128, { description: "Tag key.", minLength: 1 }),
                value: Str(256, { description: "Tag value." }),
              },
              { description: "EC2 actions only touch instances carrying this tag." },
            ),
          ),
        },
        { description: "AWS EC2." },
      ),
    ),
  },
  { description: "Tool endpoints the agents use." },
);
