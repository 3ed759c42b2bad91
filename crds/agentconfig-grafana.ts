import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { SecretKeyRef } from "./common.ts";
import { LIMITS } from "./limits.ts";
import { SetOf, Str, StrEnum } from "./schema.ts";

/** What the operator annotates in Grafana. */
export const GRAFANA_EVENTS = [
  "IncidentOpened",
  "Diagnosed",
  "Resolved",
  "Failed",
  "RemediationStep",
] as const;
export type GrafanaEvent = (typeof GRAFANA_EVENTS)[number];

/** Grafana annotations (POST /api/annotations) on incidents and executed remediation steps. */
export const GrafanaConfig = Type.Object(
  {
    url: Str(LIMITS.url, {
      pattern: "^https?://",
      description: "Grafana's base URL, e.g. https://grafana.example.com.",
    }),
    tokenSecretRef: SecretKeyRef(
      "The Secret key (this AgentConfig's namespace) holding a Grafana service-account token (Editor, or annotations:write).",
    ),
    dashboardUID: Type.Optional(
      Str(40, {
        minLength: 1,
        description: "Pin annotations to this dashboard; absent: organization-wide annotations.",
      }),
    ),
    events: Type.Optional(
      SetOf(StrEnum(GRAFANA_EVENTS), GRAFANA_EVENTS.length, {
        description: "Which events post an annotation.",
        default: ["IncidentOpened", "Diagnosed", "Resolved", "RemediationStep"],
      }),
    ),
  },
  {
    description:
      "Grafana: annotations on incidents and remediation steps, and dashboard links for a workload.",
  },
);
export type GrafanaConfig = Static<typeof GrafanaConfig>;
