/**
 * The web console (docs/console.md): its static files at `/` and its JSON API under
 * /console/api, on the sidecar's origin. Sign-in takes a Kubernetes token (TokenReview), keeps
 * a server-side session behind an HttpOnly SameSite=Strict cookie, and every call is decided by
 * SubjectAccessReview as the signed-in user; writes are made with the user's own token.
 */
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type { Logger } from "pino";
import type { Queryable } from "../../store/index.ts";
import { actingClient } from "../acting.ts";
import type { ActingClient } from "../acting.ts";
import type { Authorizer } from "../auth/kube-auth.ts";
import { DEFAULT_UNAUTHENTICATED_PER_MINUTE } from "../auth/rate-limit.ts";
import type { SreGateway } from "../gateway.ts";
import type { SidecarKube } from "../kube.ts";
import { ConsoleAccess } from "./access.ts";
import type { ConsoleDeps } from "./deps.ts";
import { incidentRoutes } from "./routes-incident.ts";
import { planRoutes } from "./routes-plans.ts";
import { readRoutes } from "./routes-read.ts";
import { sessionRoutes } from "./routes-session.ts";
import { writeRoutes } from "./routes-write.ts";
import { sessionGuard } from "./session-guard.ts";
import { DEFAULT_SESSION_IDLE_SECONDS, DEFAULT_SESSION_TTL_SECONDS, SessionStore } from "./sessions.ts";
import { consoleStatic, securityHeaders } from "./static.ts";
import { streamRoutes } from "./stream.ts";

/** Where the console API lives. */
export const CONSOLE_API_PREFIX = "/console/api";

/** What the sidecar gives the console. */
export interface ConsoleOptions {
  kube: SidecarKube;
  gateway: SreGateway;
  authorizer: Authorizer;
  store?: Queryable;
  logger: Logger;
  defaultNamespace: string;
  /** The sidecar serves TLS: cookies carry Secure. */
  secure: boolean;
  tokenAudience?: string;
  /** How long access answers and namespace lists are reused (AISRE_AUTH_CACHE_SECONDS). */
  authCacheSeconds: number;
  sessionTtlSeconds?: number;
  sessionIdleSeconds?: number;
  signInPerMinute?: number;
  /** The console build to serve (default console/dist). */
  distDir?: string;
  /** Default: requests with the user's token to kube's cluster. */
  acting?: ActingClient;
  /** Tests share one store to see sessions. */
  sessions?: SessionStore;
  heartbeatMs?: number;
}

/** The console's shared parts, from the sidecar's. */
export function consoleDeps(opts: ConsoleOptions): ConsoleDeps {
  return {
    kube: opts.kube,
    gateway: opts.gateway,
    authorizer: opts.authorizer,
    store: opts.store,
    clusterNamespace: opts.defaultNamespace,
    logger: opts.logger.child({ component: "console" }),
    access: new ConsoleAccess({
      kube: opts.kube,
      authorizer: opts.authorizer,
      store: opts.store,
      defaultNamespace: opts.defaultNamespace,
      cacheSeconds: Math.max(5, opts.authCacheSeconds),
    }),
    sessions:
      opts.sessions ??
      new SessionStore({
        ttlSeconds: opts.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS,
        idleSeconds: opts.sessionIdleSeconds ?? DEFAULT_SESSION_IDLE_SECONDS,
      }),
    acting: opts.acting ?? actingClient(opts.kube.kc),
    apiServer: opts.kube.kc.getCurrentCluster()?.server ?? "the Kubernetes API server",
    ...(opts.tokenAudience ? { tokenAudience: opts.tokenAudience } : {}),
    secure: opts.secure,
    signInPerMinute: opts.signInPerMinute ?? DEFAULT_UNAUTHENTICATED_PER_MINUTE,
    heartbeatMs: opts.heartbeatMs ?? 15_000,
  };
}

const isSignIn = (method: string, url: string | undefined): boolean =>
  method === "POST" && url === `${CONSOLE_API_PREFIX}/session`;

async function api(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  await app.register(rateLimit, { global: false });
  const guard = sessionGuard(deps);
  // onRequest: before the body is read or validated, so an anonymous caller learns nothing but 401.
  app.addHook("onRequest", async (request, reply) => {
    if (isSignIn(request.method, request.routeOptions.url)) return undefined;
    return guard(request, reply);
  });
  await app.register(sessionRoutes, deps);
  await app.register(readRoutes, deps);
  await app.register(incidentRoutes, deps);
  await app.register(planRoutes, deps);
  await app.register(writeRoutes, deps);
  await app.register(streamRoutes, deps);
}

/** Registers the console (static files and API) on the sidecar. */
export const consolePlugin: FastifyPluginAsync<ConsoleOptions> = async (app, opts) => {
  const deps = consoleDeps(opts);
  await app.register(cookie);
  securityHeaders(app);
  await app.register(async (scope) => api(scope, deps), { prefix: CONSOLE_API_PREFIX });
  const built = await consoleStatic(app, opts.distDir);
  deps.logger.info(
    { built, sessionTtlSeconds: opts.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS },
    built ? "Registered the web console" : "Registered the console API; the console is not built",
  );
};
