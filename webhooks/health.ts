/**
 * /healthz (the process is up), /readyz (the API server and, when configured, the incident
 * store answer within a deadline) and /metrics (Prometheus text format).
 */
import type { FastifyPluginAsync } from "fastify";
import type {} from "@fastify/swagger"; // route schema options: hide
import { Type } from "@sinclair/typebox";
import type { Queryable } from "../store/index.ts";
import type { SidecarKube } from "./kube.ts";
import type { SidecarMetrics } from "./metrics.ts";

export interface HealthOptions {
  kube: SidecarKube;
  store?: Queryable;
  metrics: SidecarMetrics;
  /** Deadline of each readiness check (default 2 s). */
  timeoutMs?: number;
}

const Health = Type.Object({
  status: Type.Union([Type.Literal("ok"), Type.Literal("unavailable")]),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
});

async function within<T>(ms: number, what: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([what, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 200);

/** Registers the health and metrics routes. */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, opts) => {
  const ms = opts.timeoutMs ?? 2000;

  app.get(
    "/healthz",
    { schema: { tags: ["health"], summary: "Liveness", response: { 200: Health } } },
    async () => ({
      status: "ok" as const,
    }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        tags: ["health"],
        summary: "Readiness: API server and store answer",
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const checks: Record<string, string> = {};
      const results = await Promise.allSettled([
        within(ms, opts.kube.client.request("GET", "/version")),
        opts.store ? within(ms, opts.store.query("SELECT 1")) : Promise.resolve("not configured"),
      ]);
      const [kube, store] = results;
      checks.kubernetes = kube!.status === "fulfilled" ? "ok" : reason(kube!.reason);
      checks.store =
        store!.status === "fulfilled" ? (opts.store ? "ok" : "not configured") : reason(store!.reason);
      const ok = results.every((r) => r.status === "fulfilled");
      return reply.code(ok ? 200 : 503).send({ status: ok ? "ok" : "unavailable", checks });
    },
  );

  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    const body = await opts.metrics.registry.metrics();
    return reply.type(opts.metrics.registry.contentType).send(body);
  });
};
