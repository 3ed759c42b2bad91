/**
 * The REST scope's front door, in this order: a per-address budget (before authentication), the
 * bearer's authentication (TokenReview), then a per-user budget (before any SubjectAccessReview).
 *
 * The per-address budget counts the requests that would cost a TokenReview: every request whose
 * token has no cached review, so a flood of forged tokens, each a new one, is refused with 429
 * before it reaches the API server. A token already reviewed (AISRE_AUTH_CACHE_SECONDS) passes
 * without spending the address's budget, so one client's forged flood does not lock out the
 * authenticated users behind the same address. Authenticated callers then spend a budget of
 * their own, keyed by username. Both are @fastify/rate-limit limiters.
 */
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { HttpError } from "../errors.ts";
import { bearerToken, tokenKey } from "./bearer.ts";
import { authenticate } from "./guard.ts";
import type { Authorizer } from "./kube-auth.ts";

/** The two budgets, in requests per window (one minute unless set). */
export interface RateLimits {
  /** Requests per authenticated user (AISRE_RATE_LIMIT). */
  perUser: number;
  /** Requests that need a TokenReview, per client address (AISRE_RATE_LIMIT_UNAUTHENTICATED). */
  perAddress?: number;
  /** How long a TokenReview is reused (AISRE_AUTH_CACHE_SECONDS). */
  reviewSeconds: number;
  windowMs?: number;
}

/** Default of AISRE_RATE_LIMIT_UNAUTHENTICATED. */
export const DEFAULT_UNAUTHENTICATED_PER_MINUTE = 120;

type Limiter = ReturnType<FastifyInstance["createRateLimit"]>;

/** Throws 429 (with Retry-After) when the request is over the limiter's budget. */
async function spend(limiter: Limiter, request: FastifyRequest, reply: FastifyReply, what: string) {
  const verdict = await limiter(request);
  if (verdict.isAllowed) return;
  reply.header("x-ratelimit-limit", verdict.max);
  reply.header("x-ratelimit-remaining", verdict.remaining);
  if (!verdict.isExceeded) return;
  reply.header("retry-after", verdict.ttlInSeconds);
  const window = verdict.timeWindow === 60_000 ? "minute" : `${verdict.timeWindow / 1000} s`;
  throw new HttpError(
    429,
    `rate limit of ${verdict.max} ${what} per ${window} exceeded; retry in ${verdict.ttlInSeconds} s`,
  );
}

/**
 * Tokens this sidecar authenticated lately (by hash), for as long as their TokenReview is cached:
 * a request with one costs no review, so it is not counted against its address.
 */
class Reviewed {
  private readonly until = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly max: number;

  constructor(ttlMs: number, max = 10_000) {
    this.ttlMs = ttlMs;
    this.max = max;
  }

  add(token: string): void {
    if (this.ttlMs <= 0) return;
    const key = tokenKey(token);
    this.until.delete(key);
    this.until.set(key, Date.now() + this.ttlMs);
    if (this.until.size > this.max) this.until.delete(this.until.keys().next().value!);
  }

  has(token: string | undefined): boolean {
    if (token === undefined) return false;
    const until = this.until.get(tokenKey(token));
    return until !== undefined && until > Date.now();
  }
}

/**
 * Adds the per-address limit, authentication and the per-user limit to every route of api
 * (call before the routes are registered).
 */
export async function limitAndAuthenticate(
  api: FastifyInstance,
  authorizer: Authorizer,
  limits: RateLimits,
): Promise<void> {
  await api.register(rateLimit, { global: false });
  const timeWindow = limits.windowMs ?? 60_000;
  const reviewed = new Reviewed(limits.reviewSeconds * 1000);
  const byAddress = api.createRateLimit({
    max: limits.perAddress ?? DEFAULT_UNAUTHENTICATED_PER_MINUTE,
    timeWindow,
    keyGenerator: (request) => `address:${request.ip}`,
  });
  const byUser = api.createRateLimit({
    max: limits.perUser,
    timeWindow,
    keyGenerator: (request) => `user:${request.user?.username ?? ""}`,
  });
  // onRequest: before the body is read and before preParsing authenticates.
  api.addHook("onRequest", async (request, reply) => {
    if (reviewed.has(bearerToken(request.headers.authorization))) return;
    await spend(byAddress, request, reply, "unauthenticated requests from this address");
  });
  const identify = authenticate(authorizer);
  api.addHook("preParsing", async function (request, reply, payload) {
    await identify.call(this, request, reply, payload);
    reviewed.add(bearerToken(request.headers.authorization)!);
    await spend(byUser, request, reply, "requests");
    return payload;
  });
}
