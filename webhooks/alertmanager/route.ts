/**
 * POST /alerts/alertmanager: the Alertmanager webhook. 2xx only once every alert's task exists
 * (or is marked resolved); 4xx with the field for bad input, which Alertmanager does not retry;
 * 503 with Retry-After when the API server is unavailable, which it does.
 */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { bearerToken, tokenMatches } from "../auth/bearer.ts";
import { ErrorBody, HttpError, fromKubeError, toHttpError } from "../errors.ts";
import type { SidecarMetrics } from "../metrics.ts";
import type { AlertTasks } from "../tasks/alert-tasks.ts";
import { settleAll } from "../tasks/pool.ts";
import { WebhookPayload, WebhookResult } from "./schema.ts";

export interface AlertmanagerRouteOptions {
  token: string;
  tasks: AlertTasks;
  metrics: SidecarMetrics;
  bodyLimit: number;
}

// Alerts of one delivery applied in parallel: enough to hide API latency, few enough to be polite.
const CONCURRENCY = 16;

function rejectReason(status: number): string {
  if (status === 401) return "unauthorized";
  return status >= 500 ? "unavailable" : "invalid";
}

/** Registers the webhook route. */
export const alertmanagerRoutes: FastifyPluginAsync<AlertmanagerRouteOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { metrics, tasks } = opts;
  app.post(
    "/alerts/alertmanager",
    {
      bodyLimit: opts.bodyLimit,
      attachValidation: true,
      schema: {
        summary: "Alertmanager webhook (payload version 4)",
        tags: ["alerts"],
        security: [{ bearer: [] }],
        body: WebhookPayload,
        response: { 200: WebhookResult, "4xx": ErrorBody, "5xx": ErrorBody },
      },
      // Checked before the body is read: an unauthenticated sender never gets it parsed.
      onRequest: async (request) => {
        if (!tokenMatches(bearerToken(request.headers.authorization), opts.token))
          throw new HttpError(401, "missing or wrong bearer token");
      },
      onResponse: async (_request, reply) => {
        if (reply.statusCode >= 400) metrics.alertsRejected.inc({ reason: rejectReason(reply.statusCode) });
      },
    },
    async (request) => {
      if (request.validationError) throw toHttpError(request.validationError);
      const { alerts } = request.body;
      for (const alert of alerts) metrics.alertsReceived.inc({ status: alert.status });
      const refs = await settleAll(alerts, CONCURRENCY, (alert, i) =>
        tasks.apply(alert).catch((err: unknown) => {
          const http = fromKubeError(err, `applying alerts[${i}] (fingerprint ${alert.fingerprint})`);
          if (http.statusCode === 400 && http.field) throw new HttpError(400, http.message, `alerts[${i}]`);
          throw http;
        }),
      );
      const changed = refs.filter((r) => r.outcome !== "cached" && r.outcome !== "existing").length;
      const log = { receiver: request.body.receiver, alerts: alerts.length, changed };
      if (changed) request.log.info(log, "Applied alert notification");
      else request.log.debug(log, "Applied alert notification");
      return { received: alerts.length, tasks: refs };
    },
  );
};
