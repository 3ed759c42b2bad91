/**
 * What every alert route shares (Alertmanager, Grafana, generic): the bearer-token check before
 * the body is read, rejections counted by reason, and applying a delivery's alerts to SreTasks
 * with the same deduplication and durability: the answer is 2xx only once every alert's task
 * exists (or is marked resolved), a 4xx names the field, a 503 with Retry-After asks the sender
 * to retry. Each route only validates its own payload and maps it to Alertmanager's alert shape.
 */
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import { bearerToken, tokenMatches } from "../auth/bearer.ts";
import { HttpError, fromKubeError } from "../errors.ts";
import type { SidecarMetrics } from "../metrics.ts";
import type { AlertTaskRef, AlertTasks } from "../tasks/alert-tasks.ts";
import type { WebhookAlert } from "../alertmanager/schema.ts";
import { settleAll } from "../tasks/pool.ts";

/** What an alert route needs. */
export interface AlertRouteOptions {
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

/** The onRequest/onResponse hooks of an alert route: bearer token first, rejections counted. */
export function alertRouteHooks(opts: Pick<AlertRouteOptions, "token" | "metrics">) {
  return {
    // Checked before the body is read: an unauthenticated sender never gets it parsed.
    onRequest: async (request: FastifyRequest) => {
      if (!tokenMatches(bearerToken(request.headers.authorization), opts.token))
        throw new HttpError(401, "missing or wrong bearer token");
    },
    onResponse: async (_request: FastifyRequest, reply: FastifyReply) => {
      if (reply.statusCode >= 400)
        opts.metrics.alertsRejected.inc({ reason: rejectReason(reply.statusCode) });
    },
  };
}

/**
 * Applies a delivery's alerts (already in Alertmanager's shape) and resolves once each task is
 * durable. `field` names alert i in the sender's payload for errors ("alerts[3]").
 */
export async function applyAlerts(
  alerts: readonly WebhookAlert[],
  opts: Pick<AlertRouteOptions, "tasks" | "metrics">,
  log: FastifyBaseLogger,
  context: { source: string; receiver?: string; field?: (i: number) => string },
): Promise<{ received: number; tasks: AlertTaskRef[] }> {
  const field = context.field ?? ((i: number) => `alerts[${i}]`);
  for (const alert of alerts) opts.metrics.alertsReceived.inc({ status: alert.status });
  const refs = await settleAll(alerts, CONCURRENCY, (alert, i) =>
    opts.tasks.apply(alert).catch((err: unknown) => {
      const http = fromKubeError(err, `applying ${field(i)} (fingerprint ${alert.fingerprint})`);
      if (http.statusCode === 400 && http.field) throw new HttpError(400, http.message, field(i));
      throw http;
    }),
  );
  const changed = refs.filter((r) => r.outcome !== "cached" && r.outcome !== "existing").length;
  const entry = { source: context.source, receiver: context.receiver, alerts: alerts.length, changed };
  if (changed) log.info(entry, "Applied alert notification");
  else log.debug(entry, "Applied alert notification");
  return { received: alerts.length, tasks: refs };
}
