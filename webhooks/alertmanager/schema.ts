/**
 * The Alertmanager webhook payload, version 4 (prometheus/alertmanager notify/webhook). Unknown
 * fields are ignored. Label limits match the SreTask CRD (crds/common.ts Alert) so an accepted
 * alert never fails at the API server; annotations are fitted to the CRD by the handler instead
 * of rejected, because a long description is no reason to lose an alert.
 */
import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { LIMITS } from "../../crds/index.ts";

/** A map of strings, like Prometheus labels. */
function StringMap(description: string, maxProperties?: number, maxLength?: number) {
  return Type.Unsafe<Record<string, string>>({
    type: "object",
    description,
    additionalProperties: maxLength === undefined ? { type: "string" } : { type: "string", maxLength },
    ...(maxProperties === undefined ? {} : { maxProperties }),
  });
}

const Time = (description: string) => Type.String({ description, format: "date-time", maxLength: 64 });

/** One alert of a notification. */
export const WebhookAlert = Type.Object(
  {
    status: Type.Union([Type.Literal("firing"), Type.Literal("resolved")], {
      description: "firing or resolved.",
    }),
    labels: Type.Unsafe<{ alertname: string } & Record<string, string>>({
      type: "object",
      description: `Identifying labels; alertname is required; at most ${LIMITS.alertLabels}.`,
      properties: {
        alertname: { type: "string", minLength: 1, maxLength: 1024, description: "The alert's name." },
      },
      required: ["alertname"],
      additionalProperties: { type: "string", maxLength: 1024 },
      maxProperties: LIMITS.alertLabels,
    }),
    annotations: Type.Optional(StringMap("Annotations such as summary and description.")),
    startsAt: Type.Optional(Time("When the alert started firing.")),
    endsAt: Type.Optional(Time("When it resolved; 0001-01-01T00:00:00Z while firing.")),
    generatorURL: Type.Optional(Type.String({ description: "Link to the alert expression." })),
    fingerprint: Type.String({
      minLength: 1,
      maxLength: 64,
      description: "Identifies the alert (hash of its labels).",
    }),
  },
  { description: "An alert." },
);
export type WebhookAlert = Static<typeof WebhookAlert>;

/** A webhook notification (one alert group). */
export const WebhookPayload = Type.Object(
  {
    version: Type.Literal("4", { description: "Payload version; only 4 is understood." }),
    groupKey: Type.Optional(Type.String({ description: "Identifies the group." })),
    truncatedAlerts: Type.Optional(
      Type.Integer({ minimum: 0, description: "Alerts left out by max_alerts." }),
    ),
    status: Type.Union([Type.Literal("firing"), Type.Literal("resolved")], { description: "Group status." }),
    receiver: Type.String({ description: "The receiver's name." }),
    groupLabels: Type.Optional(StringMap("Labels the group was formed by.")),
    commonLabels: Type.Optional(StringMap("Labels every alert of the group has.")),
    commonAnnotations: Type.Optional(StringMap("Annotations every alert of the group has.")),
    externalURL: Type.Optional(Type.String({ description: "Alertmanager's external URL." })),
    alerts: Type.Array(WebhookAlert, { description: "The alerts of the group." }),
  },
  { description: "Alertmanager webhook payload version 4." },
);
export type WebhookPayload = Static<typeof WebhookPayload>;

/** What the webhook did with each alert. */
export const WebhookResult = Type.Object(
  {
    received: Type.Integer({ description: "Alerts in the payload." }),
    tasks: Type.Array(
      Type.Object({
        fingerprint: Type.String(),
        namespace: Type.String(),
        name: Type.String(),
        outcome: Type.String({
          description: "created, existing, resolved, reopened, unchanged, absent or cached.",
        }),
      }),
    ),
  },
  { description: "Every alert's SreTask exists (or was marked resolved)." },
);
export type WebhookResult = Static<typeof WebhookResult>;
