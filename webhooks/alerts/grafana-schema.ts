/**
 * Grafana Alerting's webhook contact point payload (version 1): Alertmanager's webhook payload
 * with orgId, state, title and message on top, and per alert silenceURL, dashboardURL, panelURL,
 * values (or valueString on Grafana 8 and 9.0) and imageURL. Unknown fields are ignored.
 */
import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { WebhookAlert } from "../alertmanager/schema.ts";
import { TextMap } from "./shape.ts";

const Url = (description: string) => Type.Optional(Type.String({ description, maxLength: 4096 }));

/** One alert as Grafana sends it. fingerprint is optional: Grafana 8 did not send it. */
export const GrafanaAlert = Type.Object(
  {
    status: WebhookAlert.properties.status,
    labels: WebhookAlert.properties.labels,
    annotations: WebhookAlert.properties.annotations,
    startsAt: WebhookAlert.properties.startsAt,
    endsAt: WebhookAlert.properties.endsAt,
    generatorURL: WebhookAlert.properties.generatorURL,
    fingerprint: Type.Optional(WebhookAlert.properties.fingerprint),
    silenceURL: Url("Link to silence the alert."),
    dashboardURL: Url("Link to the rule's dashboard; empty when the rule has none."),
    panelURL: Url("Link to the rule's panel; empty when the rule has none."),
    imageURL: Url("Link to a screenshot of the panel, when Grafana took one."),
    values: Type.Optional(
      Type.Union([
        Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()]), {
          description: "The values of the rule's expressions (refId → value) when it was evaluated.",
        }),
        Type.Null(),
      ]),
    ),
    valueString: Type.Optional(Type.String({ description: "The values as text (Grafana 8 and 9.0)." })),
  },
  { description: "A Grafana alert." },
);
export type GrafanaAlert = Static<typeof GrafanaAlert>;

/** The webhook notification Grafana sends for one alert group. */
export const GrafanaPayload = Type.Object(
  {
    version: Type.Literal("1", { description: "Payload version; Grafana Alerting sends 1." }),
    receiver: Type.String({ description: "The contact point's name." }),
    status: Type.Union([Type.Literal("firing"), Type.Literal("resolved")], { description: "Group status." }),
    orgId: Type.Integer({ description: "The Grafana organization of the alerts." }),
    alerts: Type.Array(GrafanaAlert, { description: "The alerts of the group." }),
    state: Type.Optional(
      Type.String({ maxLength: 32, description: "alerting while any alert fires, else ok." }),
    ),
    groupKey: Type.Optional(Type.String({ description: "Identifies the group." })),
    truncatedAlerts: Type.Optional(Type.Integer({ minimum: 0, description: "Alerts left out." })),
    groupLabels: Type.Optional(TextMap("Labels the group was formed by.")),
    commonLabels: Type.Optional(TextMap("Labels every alert of the group has.")),
    commonAnnotations: Type.Optional(TextMap("Annotations every alert of the group has.")),
    externalURL: Type.Optional(Type.String({ description: "Grafana's external URL." })),
    title: Type.Optional(Type.String({ description: "The rendered notification title." })),
    message: Type.Optional(Type.String({ description: "The rendered notification message." })),
  },
  { description: "Grafana Alerting webhook payload version 1." },
);
export type GrafanaPayload = Static<typeof GrafanaPayload>;
