/**
 * The REST guard: a preHandler that authenticates the bearer and authorizes one access check
 * derived from the request, and leaves the caller on request.user for handlers (approvals
 * record it as decidedBy).
 */
import type {
  FastifyInstance,
  FastifyRequest,
  preHandlerAsyncHookHandler,
  preParsingAsyncHookHandler,
} from "fastify";
import { HttpError } from "../errors.ts";
import { bearerToken } from "./bearer.ts";
import type { AccessCheck, Authorizer, UserInfo } from "./kube-auth.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated caller of a guarded route. */
    user: UserInfo | null;
  }
}

/** Adds request.user to the instance (once, before routes). */
export function decorateUser(app: FastifyInstance): void {
  if (!app.hasRequestDecorator("user")) app.decorateRequest("user", null);
}

/** The authenticated caller of a guarded route; throws when the route was not guarded. */
export function callerOf(request: FastifyRequest): UserInfo {
  if (!request.user) throw new HttpError(401, "not authenticated");
  return request.user;
}

/** Sets request.user from the bearer token; throws 401 without one or for a rejected one. */
async function identify(authorizer: Authorizer, request: FastifyRequest): Promise<UserInfo> {
  if (request.user) return request.user;
  const token = bearerToken(request.headers.authorization);
  if (!token) throw new HttpError(401, "missing Authorization: Bearer <token>");
  request.user = await authorizer.authenticate(token);
  return request.user;
}

/**
 * A preParsing hook authenticating every request of a scope before its body is read, so an
 * anonymous caller learns nothing but 401. preParsing, not onRequest: the rate limiter (an
 * onRequest hook) runs first, so a flood of forged tokens never reaches TokenReview.
 */
export function authenticate(authorizer: Authorizer): preParsingAsyncHookHandler {
  return async (request, _reply, payload) => {
    await identify(authorizer, request);
    return payload;
  };
}

/** A preHandler allowing the request only when the caller may do what check(request) describes. */
export function guard(
  authorizer: Authorizer,
  check: (request: FastifyRequest) => AccessCheck | AccessCheck[],
): preHandlerAsyncHookHandler {
  return async (request) => {
    const user = await identify(authorizer, request);
    for (const c of [check(request)].flat()) await authorizer.authorize(user, c);
  };
}
