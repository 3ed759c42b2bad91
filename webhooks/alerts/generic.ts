/**
 * POST /alerts/generic: a minimal JSON alert for monitoring systems that speak neither
 * Alertmanager nor Grafana (Zabbix, Nagios, a cron job's curl). Only `alerts[].name` is required:
 *
 *   {"source": "zabbix", "alerts": [{"name": "DiskFull", "status": "firing", "id": "zbx-1042",
 *     "labels": {"namespace": "shop", "severity": "critical"}, "summary": "disk 95% full",
 *     "startsAt": "2026-12-06T10:00:00Z", "url": "https://zabbix.example/events/1042"}]}
 *
 * The alert becomes an Alertmanager alert (labels.alertname = name; fingerprint = id, else a hash
 * of name and labels) and goes through the same deduplication and durability as the other routes.
 */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { LIMITS } from "../../crds/index.ts";
import { ErrorBody, toHttpError } from "../errors.ts";
import type { WebhookAlert } from "../alertmanager/schema.ts";
import { alertRouteHooks, applyAlerts } from "./intake.ts";
import type { AlertRouteOptions } from "./intake.ts";
import { LabelMap, TextMap, Time, WebhookResult, labelsFingerprint, withExtras } from "./shape.ts";

/** One generic alert. */
export const GenericAlert = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 1024, description: "What fires (labels.alertname)." }),
    status: Type.Optional(
      Type.Union([Type.Literal("firing"), Type.Literal("resolved")], { description: "Default firing." }),
    ),
    id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: "A stable id of the alert (its fingerprint); default: a hash of name and labels.",
      }),
    ),
    labels: Type.Optional(LabelMap("Identifying labels; namespace picks the task's namespace.")),
    summary: Type.Optional(Type.String({ description: "One line about the alert." })),
    description: Type.Optional(Type.String({ description: "More about the alert." })),
    annotations: Type.Optional(TextMap("Further annotations.")),
    startsAt: Type.Optional(Time("When it started firing; default: when the sidecar got it.")),
    endsAt: Type.Optional(Time("When it resolved.")),
    url: Type.Optional(
      Type.String({ maxLength: LIMITS.url, description: "A link to the alert at its source." }),
    ),
  },
  { description: "An alert in the generic shape." },
);
export type GenericAlert = Static<typeof GenericAlert>;

/** The generic payload: a list of alerts and, optionally, who sent them. */
export const GenericPayload = Type.Object(
  {
    source: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 63,
        description: "The sending system, kept as annotation source.",
      }),
    ),
    alerts: Type.Array(GenericAlert, { minItems: 1, maxItems: 1000, description: "The alerts." }),
  },
  { description: "Generic alert payload." },
);
export type GenericPayload = Static<typeof GenericPayload>;

/** A generic alert in Alertmanager's shape. `now` is the receipt time (the default startsAt). */
export function fromGeneric(alert: GenericAlert, source: string | undefined, now: string): WebhookAlert {
  const labels = { ...alert.labels, alertname: alert.name };
  const out: WebhookAlert = {
    status: alert.status ?? "firing",
    labels,
    fingerprint: alert.id ?? labelsFingerprint(labels),
    annotations: withExtras(alert.annotations, {
      summary: alert.summary,
      description: alert.description,
      source,
    }),
  };
  // A firing alert without startsAt starts now, so firing again after a resolve reopens its task.
  const startsAt = alert.startsAt ?? (out.status === "firing" ? now : undefined);
  if (startsAt) out.startsAt = startsAt;
  if (alert.endsAt) out.endsAt = alert.endsAt;
  if (alert.url) out.generatorURL = alert.url;
  return out;
}

/** Registers POST /alerts/generic. */
export const genericRoutes: FastifyPluginAsync<AlertRouteOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    "/alerts/generic",
    {
      bodyLimit: opts.bodyLimit,
      attachValidation: true,
      schema: {
        summary: "Generic JSON alerts (minimal shape: {alerts: [{name}]})",
        tags: ["alerts"],
        security: [{ bearer: [] }],
        body: GenericPayload,
        response: { 200: WebhookResult, "4xx": ErrorBody, "5xx": ErrorBody },
      },
      ...alertRouteHooks(opts),
    },
    async (request) => {
      if (request.validationError) throw toHttpError(request.validationError);
      const { alerts, source } = request.body;
      const now = new Date().toISOString();
      return applyAlerts(
        alerts.map((a) => fromGeneric(a, source, now)),
        opts,
        request.log,
        { source: source ?? "generic" },
      );
    },
  );
};
