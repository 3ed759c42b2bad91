/**
 * /api/v1/capacity: the capacity forecasts of `aisre capacity`, for the console and Grafana.
 * Cluster-wide figures, so the caller must be allowed to list nodes. The report is computed
 * at most once per five minutes: a range query per capacity kind over 14 days is not free.
 */
import { Type } from "@sinclair/typebox";
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { guard } from "../auth/guard.ts";
import { capacityForecastHistory, isTransientStoreError } from "../../store/index.ts";
import { capacityAnswer } from "../capacity-source.ts";
import { HttpError } from "../errors.ts";
import type { RestDeps } from "./common.ts";
import { BEARER, ERRORS } from "./common.ts";

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
    rightSizing: Type.Optional(
      Type.Array(Type.Object({}, { additionalProperties: true }), {
        description:
          "Per workload container of the namespaces with a quota forecast: current and recommended requests and limits.",
      }),
    ),
    gaps: Type.Array(Type.String()),
  },
  { description: "Capacity forecasts, soonest exhaustion first." },
);

const HistoryQuery = Type.Object({
  scope: Type.Union(
    ["nodePool", "node", "namespace", "volume"].map((v) => Type.Literal(v)),
    { description: "nodePool, node, namespace or volume." },
  ),
  key: Type.String({
    minLength: 1,
    maxLength: 300,
    description: "Pool, node, namespace/resource or namespace/pvc.",
  }),
  resource: Type.String({
    minLength: 1,
    maxLength: 100,
    description: "cpu, memory, storage or a quota resource.",
  }),
  measure: Type.Optional(Type.Union([Type.Literal("requests"), Type.Literal("usage")])),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: "How far back (default 30)." })),
});

const History = Type.Object(
  { rows: Type.Array(Type.Object({}, { additionalProperties: true })) },
  { description: "One key's stored forecasts (capacity_forecasts), oldest first." },
);

/** Registers GET /capacity; `prometheusUrl` defaults to AISRE_PROMETHEUS_URL. */
export const capacityRoutes: FastifyPluginAsync<RestDeps & { prometheusUrl?: string }> = async (
  fastify,
  deps,
) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
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
    async (request) => capacityAnswer({ url: deps.prometheusUrl, horizon: request.query.horizon }),
  );
  app.get(
    "/capacity/history",
    {
      schema: {
        summary: "One key's capacity forecasts over time, from the incident store",
        tags: ["capacity"],
        security: BEARER,
        querystring: HistoryQuery,
        response: { 200: History, ...ERRORS },
      },
      preHandler: guard(deps.authorizer, () => ({ verb: "list", resource: "nodes", group: "" })),
    },
    async (request) => {
      if (!deps.store) throw new HttpError(503, "no incident store is configured (set DATABASE_URL)");
      const q = request.query;
      const since = new Date(Date.now() - (q.days ?? 30) * 86_400_000);
      try {
        return { rows: await capacityForecastHistory(deps.store, { ...q, since }) };
      } catch (err) {
        if (isTransientStoreError(err)) throw new HttpError(503, "the incident store is unavailable");
        throw err;
      }
    },
  );
};
