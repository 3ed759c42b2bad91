/**
 * POST /alerts/alertmanager: the Alertmanager webhook. 2xx only once every alert's task exists
 * (or is marked resolved); 4xx with the field for bad input, which Alertmanager does not retry;
 * 503 with Retry-After when the API server is unavailable, which it does.
 */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { ErrorBody, toHttpError } from "../errors.ts";
import { alertRouteHooks, applyAlerts } from "../alerts/intake.ts";
import type { AlertRouteOptions } from "../alerts/intake.ts";
import { WebhookPayload, WebhookResult } from "./schema.ts";

export type AlertmanagerRouteOptions = AlertRouteOptions;

/** Registers the webhook route. */
export const alertmanagerRoutes: FastifyPluginAsync<AlertmanagerRouteOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
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
      ...alertRouteHooks(opts),
    },
    async (request) => {
      if (request.validationError) throw toHttpError(request.validationError);
      return applyAlerts(request.body.alerts, opts, request.log, {
        source: "alertmanager",
        receiver: request.body.receiver,
      });
    },
  );
};
