/**
 * The console API's front door: the session cookie (HttpOnly, SameSite=Strict, Path=/, Secure
 * under TLS), the session it names (401 without a live one), the token behind it re-checked by
 * TokenReview (cached; a revoked token ends the session), and the CSRF header on every mutating
 * call (403 `csrf` without the session's token).
 */
import { timingSafeEqual, createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Authorizer } from "../auth/kube-auth.ts";
import { HttpError } from "../errors.ts";
import type { Session, SessionStore } from "./sessions.ts";

/** The session cookie's name. */
export const SESSION_COOKIE = "aisre_console";
/** The header mutating calls carry the session's CSRF token in. */
export const CSRF_HEADER = "x-csrf-token";

declare module "fastify" {
  interface FastifyRequest {
    /** The console session of a console API request (set by the guard). */
    consoleSession: Session | null;
  }
}

/** Options of the cookie that carries the session id. */
export const cookieOptions = (secure: boolean, maxAgeSeconds?: number) => ({
  httpOnly: true,
  sameSite: "strict" as const,
  path: "/",
  secure,
  ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
});

/** Sets the session cookie for the session's whole lifetime. */
export function setSessionCookie(reply: FastifyReply, session: Session, secure: boolean): void {
  const maxAge = Math.max(1, Math.floor((session.expiresAt - session.createdAt) / 1000));
  reply.setCookie(SESSION_COOKIE, session.id, cookieOptions(secure, maxAge));
}

/** Clears the session cookie. */
export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(secure));
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

/** True when the request carries the session's CSRF token (compared in constant time). */
export function csrfMatches(request: FastifyRequest, session: Session): boolean {
  const given = request.headers[CSRF_HEADER];
  if (typeof given !== "string" || given === "") return false;
  return timingSafeEqual(digest(given), digest(session.csrfToken));
}

/** The signed-in session of a guarded request. */
export function sessionOf(request: FastifyRequest): Session {
  if (!request.consoleSession) throw new HttpError(401, "not signed in");
  return request.consoleSession;
}

/** What the guard needs. */
export interface GuardDeps {
  sessions: SessionStore;
  authorizer: Authorizer;
  secure: boolean;
}

/**
 * A preHandler for every console API route but sign-in: the live session or 401 (the cookie
 * cleared), its token still accepted by the API server or 401, and the CSRF header on mutating
 * calls or 403 {error: "csrf"}.
 */
export function sessionGuard(deps: GuardDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const session = deps.sessions.get(request.cookies[SESSION_COOKIE]);
    if (!session) {
      clearSessionCookie(reply, deps.secure);
      throw new HttpError(401, "not signed in, or the session expired: sign in again");
    }
    try {
      await deps.authorizer.authenticate(session.token);
    } catch (err) {
      if (err instanceof HttpError && err.statusCode === 401) {
        deps.sessions.delete(session.id);
        clearSessionCookie(reply, deps.secure);
        throw new HttpError(401, "the API server no longer accepts this session's token: sign in again");
      }
      throw err;
    }
    if (MUTATING.has(request.method) && !csrfMatches(request, session)) {
      return reply
        .code(403)
        .type("application/json")
        .send({
          error: "csrf",
          message: `missing or wrong ${CSRF_HEADER} header: send the csrfToken of the session`,
        });
    }
    request.consoleSession = session;
    return undefined;
  };
}
