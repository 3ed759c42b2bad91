/**
 * /api/v1/capacity: the capacity forecasts of `aisre capacity`, for the console and Grafana.
 * Cluster-wide figures, so the caller must be allowed to list nodes. The report is computed
 * at most once per five minutes: a range query per capacity kind over 14 days is not free.
 */
import { Type } from "@sinclair/typebox";
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { LRUCache } from "lru-cache";
import type { CapacityReport } from "../../agents/capacity/collect.ts";
import { collectCapacity } from "../../agents/capacity/collect.ts";
import { PrometheusClient } from "../../tools/prometheus/client.ts";
import { guard } from "../auth/guard.ts";
import { HttpError } from "../errors.ts";
import type { RestDeps } from "./common.ts";
import { BEARER, ERRORS } from "./common.ts";

const TTL_MS = 5 * 60_000;

const Query = Type.Object({
  horizon: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 365, description: "Only what runs out within this many days." }),
  ),
});

const Report = Type.Object(
  {
    available: Type.Boolean({ description: "False when no Prometheus is configured." }),
    generatedAt: Type.Optional(Type.String()),
    historyDays: Type.Optional(Type.Integer()),
    items: Type.Array(Type.Object({}, { additionalProperties: true })),
    gaps: Type.Array(Type.String()),
  },
  { description: "Capacity forecasts, soonest exhaustion first." },
);

/** Registers GET /capacity; `prometheusUrl` defaults to AISRE_PROMETHEUS_URL. */
export const capacityRoutes: FastifyPluginAsync<RestDeps & { prometheusUrl?: string }> = async (
  fastify,
  deps,
) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const url = deps.prometheusUrl ?? (process.env.AISRE_PROMETHEUS_URL?.trim() || undefined);
  const cache = new LRUCache<"report", CapacityReport>({
    max: 1,
    ttl: TTL_MS,
    fetchMethod: async () => collectCapacity(new PrometheusClient(url!, 30_000)),
  });

  app.get(
    "/capacity",
    {
      schema: {
        summary: "Capacity forecasts: days until node pools, nodes, quotas and volumes run out",
        tags: ["capacity"],
        security: BEARER,
        querystring: Query,
        response: { 200: Report, ...ERRORS },
      },
      preHandler: guard(deps.authorizer, () => ({ verb: "list", resource: "nodes", group: "" })),
    },
    async (request) => {
      if (!url)
        return { available: false, items: [], gaps: ["no Prometheus configured (AISRE_PROMETHEUS_URL)"] };
      const report = await cache.fetch("report");
      if (!report) throw new HttpError(503, "capacity report unavailable");
      // A report of nothing but gaps is not kept: the next call asks Prometheus again.
      if (report.items.length === 0 && report.gaps.length > 0) cache.delete("report");
      const horizon = request.query.horizon;
      const items =
        horizon === undefined
          ? report.items
          : report.items.filter((i) => (i.forecast?.daysToExhaustion ?? Infinity) <= horizon);
      return { available: true, ...report, items };
    },
  );
};
