/**
 * POST /alerts/grafana: Grafana Alerting's webhook contact point. Its own route rather than
 * detection on /alerts/alertmanager, so each payload is validated against exactly one schema and
 * a 4xx names a field of what the sender actually sent. Grafana's alerts become Alertmanager
 * alerts (Grafana fingerprints its alerts like Alertmanager, so one alert is one task whichever
 * way it came), and its extra fields (dashboardURL, panelURL, silenceURL, imageURL, values,
 * orgId) become annotations of the task's spec.alert, where a user (and the diagnosis) sees them.
 */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { ErrorBody, toHttpError } from "../errors.ts";
import type { WebhookAlert } from "../alertmanager/schema.ts";
import { alertRouteHooks, applyAlerts } from "./intake.ts";
import type { AlertRouteOptions } from "./intake.ts";
import { GrafanaPayload } from "./grafana-schema.ts";
import type { GrafanaAlert } from "./grafana-schema.ts";
import { WebhookResult, labelsFingerprint, withExtras } from "./shape.ts";

/** "B=44.2394, C=1": the evaluated values, 6 significant digits, null as "none". */
export function valuesText(values: GrafanaAlert["values"]): string | undefined {
  if (!values) return undefined;
  const parts = Object.keys(values)
    .sort()
    .map((k) => {
      const v = values[k];
      return `${k}=${typeof v === "number" ? String(Number(v.toPrecision(6))) : "none"}`;
    });
  return parts.length ? parts.join(", ") : undefined;
}

/** A Grafana alert in Alertmanager's shape, its extras in annotations. */
export function fromGrafana(alert: GrafanaAlert, orgId: number): WebhookAlert {
  const out: WebhookAlert = {
    status: alert.status,
    labels: alert.labels,
    fingerprint: alert.fingerprint || labelsFingerprint(alert.labels),
    annotations: withExtras(alert.annotations, {
      dashboardURL: alert.dashboardURL,
      panelURL: alert.panelURL,
      silenceURL: alert.silenceURL,
      imageURL: alert.imageURL,
      values: valuesText(alert.values) ?? alert.valueString,
      orgId: String(orgId),
    }),
  };
  if (alert.startsAt) out.startsAt = alert.startsAt;
  if (alert.endsAt) out.endsAt = alert.endsAt;
  if (alert.generatorURL) out.generatorURL = alert.generatorURL;
  return out;
}

/** Registers POST /alerts/grafana. */
export const grafanaRoutes: FastifyPluginAsync<AlertRouteOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    "/alerts/grafana",
    {
      bodyLimit: opts.bodyLimit,
      attachValidation: true,
      schema: {
        summary: "Grafana Alerting webhook contact point (payload version 1)",
        tags: ["alerts"],
        security: [{ bearer: [] }],
        body: GrafanaPayload,
        response: { 200: WebhookResult, "4xx": ErrorBody, "5xx": ErrorBody },
      },
      ...alertRouteHooks(opts),
    },
    async (request) => {
      if (request.validationError) throw toHttpError(request.validationError);
      const { alerts, orgId, receiver } = request.body;
      return applyAlerts(
        alerts.map((a) => fromGrafana(a, orgId)),
        opts,
        request.log,
        { source: "grafana", receiver },
      );
    },
  );
};
