/**
 * /console/api/session: sign in with a Kubernetes bearer token (TokenReview decides; the
 * sidecar keeps the token in memory for the user's own writes), read the session, sign out.
 * Sign-in is rate limited per client address: each attempt costs a TokenReview. Every other
 * console route passes the session guard (index.ts) first.
 */
import type { FastifyPluginAsync } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { UserInfo } from "../auth/kube-auth.ts";
import { fromKubeError } from "../errors.ts";
import type { ConsoleDeps } from "./deps.ts";
import { clearSessionCookie, sessionOf, setSessionCookie, SESSION_COOKIE } from "./session-guard.ts";
import type { Session } from "./sessions.ts";

const SignIn = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 16_384, description: "A Kubernetes bearer token." }) },
  { additionalProperties: false },
);

/** The session as the console sees it (never the bearer token). */
export const sessionView = (session: Session, apiServer: string) => ({
  user: { username: session.user.username, groups: session.user.groups },
  csrfToken: session.csrfToken,
  apiServer,
  expiresAt: new Date(session.expiresAt).toISOString(),
});

/** TokenReview of a pasted token: the user, or why the API server refused it. */
async function review(deps: ConsoleDeps, token: string): Promise<{ user?: UserInfo; error?: string }> {
  let res;
  try {
    res = await deps.kube.authn.createTokenReview({
      body: {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenReview",
        spec: { token, ...(deps.tokenAudience ? { audiences: [deps.tokenAudience] } : {}) },
      },
    });
  } catch (err) {
    throw fromKubeError(err, "reviewing the token");
  }
  const s = res.status;
  const u = s?.user;
  if (!s?.authenticated || !u?.username) return { error: s?.error || "not authenticated" };
  if (deps.tokenAudience && !s.audiences?.includes(deps.tokenAudience))
    return { error: `the token is not valid for audience ${deps.tokenAudience}` };
  return { user: { username: u.username, uid: u.uid, groups: u.groups ?? [], extra: u.extra } };
}

/** Registers the session routes. */
export const sessionRoutes: FastifyPluginAsync<ConsoleDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    "/session",
    {
      schema: { hide: true, body: SignIn },
      config: { rateLimit: { max: deps.signInPerMinute, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const { user, error } = await review(deps, request.body.token);
      if (!user) {
        deps.logger.info({ ip: request.ip, reason: error }, "Refused a console sign-in");
        return reply.code(401).send({
          error: "invalid_token",
          message: `the API server ${deps.apiServer} rejected this token: ${error}`,
          apiServer: deps.apiServer,
        });
      }
      // A new session per sign-in: an old cookie's session ends, so its id cannot be fixed upon.
      deps.sessions.delete(request.cookies[SESSION_COOKIE]);
      const session = deps.sessions.create(user, request.body.token);
      setSessionCookie(reply, session, deps.secure);
      deps.logger.info({ user: user.username, groups: user.groups }, "Started a console session");
      return sessionView(session, deps.apiServer);
    },
  );

  app.get("/session", { schema: { hide: true } }, async (request) =>
    sessionView(sessionOf(request), deps.apiServer),
  );

  app.delete("/session", { schema: { hide: true } }, async (request, reply) => {
    const session = sessionOf(request);
    deps.sessions.delete(session.id);
    clearSessionCookie(reply, deps.secure);
    deps.logger.info({ user: session.user.username }, "Ended a console session");
    return reply.code(204).send();
  });
};
