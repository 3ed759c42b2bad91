/**
 * The sidecar's Fastify server: the Alertmanager webhook, the REST facade (/api/v1, RBAC via
 * TokenReview + SubjectAccessReview, rate limited, OpenAPI at /openapi.json), SSE, health and
 * metrics. Stateless: every dependency is injected, so tests and the CLI build it alike. Extra
 * channels (WeCom) come in as SidecarPlugins, each in its own encapsulated context.
 */
import Fastify, { LogController } from "fastify";
import type { FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import type { Logger } from "pino";
import type { Queryable } from "../store/index.ts";
import { alertmanagerRoutes } from "./alertmanager/route.ts";
import { genericRoutes } from "./alerts/generic.ts";
import { grafanaRoutes } from "./alerts/grafana.ts";
import { NamespacePolicy } from "./alertmanager/namespace.ts";
import { decorateUser } from "./auth/guard.ts";
import { KubeAuthorizer } from "./auth/kube-auth.ts";
import type { Authorizer } from "./auth/kube-auth.ts";
import { limitAndAuthenticate } from "./auth/rate-limit.ts";
import type { SidecarConfig } from "./config.ts";
import { HttpError, errorHandler, sendError } from "./errors.ts";
import type { SreGateway } from "./gateway.ts";
import { actingClient } from "./acting.ts";
import { KubeGateway } from "./gateway-kube.ts";
import { healthRoutes } from "./health.ts";
import type { SidecarKube } from "./kube.ts";
import { createMetrics } from "./metrics.ts";
import type { SidecarMetrics } from "./metrics.ts";
import { checkedSerializer } from "./response-check.ts";
import { consolePlugin } from "./console/index.ts";
import { agentRoutes } from "./rest/agents.ts";
import { capacityRoutes } from "./rest/capacity.ts";
import type { RestDeps } from "./rest/common.ts";
import { incidentRoutes } from "./rest/incidents.ts";
import { suggestionRoutes } from "./rest/suggestions.ts";
import { incidentGroupRoutes } from "./rest/incident-groups.ts";
import { mcpRoutes } from "./mcp/route.ts";
import { planRoutes } from "./rest/plans.ts";
import { taskRoutes } from "./rest/tasks.ts";
import { sseRoutes } from "./sse/route.ts";
import { AlertTasks } from "./tasks/alert-tasks.ts";

/** The settings buildSidecar uses (SidecarConfig without the listen address). */
export type SidecarSettings = Pick<
  SidecarConfig,
  | "namespace"
  | "webhookToken"
  | "webhookBodyLimit"
  | "rateLimitPerMinute"
  | "rateLimitUnauthenticatedPerMinute"
  | "authCacheSeconds"
  | "agentConfigCacheSeconds"
  | "alertCacheSize"
  | "tokenAudience"
  | "consoleSessionTtlSeconds"
  | "consoleSessionIdleSeconds"
>;

/** What an extra plugin gets: the sidecar's shared parts. */
export interface SidecarContext {
  config: SidecarSettings;
  kube: SidecarKube;
  gateway: SreGateway;
  store?: Queryable;
  logger: Logger;
  metrics: SidecarMetrics;
}

/** An extra channel (e.g. WeCom): registers its routes on its own encapsulated instance. */
export type SidecarPlugin = (app: FastifyInstance, ctx: SidecarContext) => Promise<void>;

/** Everything the sidecar depends on. */
export interface SidecarDeps {
  kube: SidecarKube;
  config: SidecarSettings;
  logger: Logger;
  store?: Queryable;
  metrics?: SidecarMetrics;
  /** Default: TokenReview + SubjectAccessReview on kube. */
  authorizer?: Authorizer;
  /** Default: KubeGateway on kube. */
  gateway?: SreGateway;
  plugins?: readonly SidecarPlugin[];
  /** Options of the SSE route (tests shorten the heartbeat). */
  sse?: { heartbeatMs?: number; maxStreams?: number };
  /** PEM key and certificate: serve HTTPS (AISRE_TLS_KEY_FILE, AISRE_TLS_CERT_FILE); else HTTP. */
  https?: { key: string | Buffer; cert: string | Buffer };
}

const OPENAPI = {
  openapi: {
    openapi: "3.0.3",
    info: {
      title: "aisre sidecar",
      description: "Alertmanager webhook and REST facade of the ai-sre-operator; REST obeys Kubernetes RBAC.",
      version: "v1",
    },
    components: {
      securitySchemes: {
        bearer: {
          type: "http" as const,
          scheme: "bearer",
          description: "A Kubernetes bearer token (REST) or AISRE_WEBHOOK_TOKEN (webhook).",
        },
      },
    },
  },
};

function observeLatency(app: FastifyInstance, metrics: SidecarMetrics): void {
  app.addHook("onResponse", async (request, reply) => {
    metrics.requestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}

async function registerApi(app: FastifyInstance, deps: SidecarDeps, rest: RestDeps): Promise<void> {
  await app.register(
    async (api) => {
      // Per address before authentication, then per user (webhooks/auth/rate-limit.ts).
      await limitAndAuthenticate(api, rest.authorizer, {
        perUser: deps.config.rateLimitPerMinute,
        perAddress: deps.config.rateLimitUnauthenticatedPerMinute,
        reviewSeconds: deps.config.authCacheSeconds,
      });
      await api.register(taskRoutes, rest);
      await api.register(sseRoutes, {
        ...rest,
        reauthorizeSeconds: deps.config.authCacheSeconds,
        ...deps.sse,
      });
      await api.register(planRoutes, rest);
      await api.register(incidentRoutes, rest);
      await api.register(incidentGroupRoutes, rest);
      await api.register(agentRoutes, rest);
      await api.register(capacityRoutes, rest);
      await api.register(suggestionRoutes, rest);
      await api.register(mcpRoutes, rest);
    },
    { prefix: "/api/v1" },
  );
}

/** Builds (but does not start) the sidecar server. */
export async function buildSidecar(deps: SidecarDeps): Promise<FastifyInstance> {
  const { kube, config, logger } = deps;
  const metrics = deps.metrics ?? createMetrics();
  const gateway =
    deps.gateway ?? new KubeGateway(kube.client, config.namespace, logger, actingClient(kube.kc));
  const authorizer =
    deps.authorizer ??
    new KubeAuthorizer(kube.authn, kube.authz, config.authCacheSeconds, logger, config.tokenAudience);
  const app = Fastify({
    ...(deps.https ? { https: deps.https } : {}),
    loggerInstance: logger,
    // Per-request logs would dominate at webhook rates; /metrics has latency, errors are logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Unknown fields in a strict REST body are an error naming the field, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  }) as unknown as FastifyInstance;
  app.setSerializerCompiler(checkedSerializer);
  app.setErrorHandler(errorHandler(logger));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new HttpError(404, `no route ${request.method} ${request.url.split("?")[0]}`)),
  );
  decorateUser(app);
  observeLatency(app, metrics);
  await app.register(swagger, OPENAPI);

  const namespaces = new NamespacePolicy(
    kube.client,
    config.namespace,
    config.agentConfigCacheSeconds,
    logger,
  );
  const tasks = new AlertTasks({
    client: kube.client,
    namespaces,
    metrics,
    logger,
    store: deps.store,
    cacheSize: config.alertCacheSize,
  });
  const alertRoutes = { token: config.webhookToken, tasks, metrics, bodyLimit: config.webhookBodyLimit };
  await app.register(alertmanagerRoutes, alertRoutes);
  // Grafana and generic alerts share the Alertmanager route's token, deduplication and durability.
  await app.register(grafanaRoutes, alertRoutes);
  await app.register(genericRoutes, alertRoutes);
  await registerApi(app, deps, {
    kube,
    gateway,
    authorizer,
    store: deps.store,
    defaultNamespace: config.namespace,
  });
  await app.register(healthRoutes, { kube, store: deps.store, metrics });
  // The web console: static files at / and /console/api, as the signed-in user (docs/console.md).
  await app.register(consolePlugin, {
    kube,
    gateway,
    authorizer,
    store: deps.store,
    logger,
    defaultNamespace: config.namespace,
    secure: deps.https !== undefined,
    tokenAudience: config.tokenAudience,
    authCacheSeconds: config.authCacheSeconds,
    sessionTtlSeconds: config.consoleSessionTtlSeconds,
    sessionIdleSeconds: config.consoleSessionIdleSeconds,
    signInPerMinute: config.rateLimitUnauthenticatedPerMinute,
    heartbeatMs: deps.sse?.heartbeatMs,
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  const ctx: SidecarContext = { config, kube, gateway, store: deps.store, logger, metrics };
  for (const plugin of deps.plugins ?? []) await app.register(async (child) => plugin(child, ctx));
  return app;
}
