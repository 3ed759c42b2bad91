/**
 * Console sessions, server-side and in memory only: a random id in the cookie maps to the user
 * TokenReview named, their bearer token (kept here, never written anywhere, used for the user's
 * own writes) and the CSRF token. A session ends after its lifetime or when idle too long,
 * whichever comes first, or on sign-out; a restart of the sidecar ends them all.
 */
import { randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { UserInfo } from "../auth/kube-auth.ts";

/** One signed-in user. */
export interface Session {
  id: string;
  user: UserInfo;
  /** The bearer token the user signed in with: memory only, never logged or sent back. */
  token: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

/** Lifetimes of sessions, in seconds. */
export interface SessionLimits {
  /** Absolute lifetime (AISRE_CONSOLE_SESSION_TTL, default 8 h). */
  ttlSeconds: number;
  /** Ends a session not used for this long (AISRE_CONSOLE_SESSION_IDLE, default 1 h). */
  idleSeconds: number;
  /** Most sessions kept; the least recently used goes first (default 10000). */
  max?: number;
}

/** Default lifetime: a working day. */
export const DEFAULT_SESSION_TTL_SECONDS = 8 * 3600;
/** Default idle limit. */
export const DEFAULT_SESSION_IDLE_SECONDS = 3600;

const secret = (): string => randomBytes(32).toString("base64url");

/** The sessions of one sidecar process. */
export class SessionStore {
  private readonly sessions: LRUCache<string, Session>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(limits: SessionLimits, now: () => number = Date.now) {
    this.ttlMs = limits.ttlSeconds * 1000;
    this.now = now;
    // The cache's own TTL, renewed on every read, is the idle limit; expiresAt the absolute one.
    this.sessions = new LRUCache<string, Session>({
      max: limits.max ?? 10_000,
      ttl: Math.min(limits.idleSeconds, limits.ttlSeconds) * 1000,
      updateAgeOnGet: true,
      // No cached clock: an idle session must end at its exact time.
      ttlResolution: 0,
      perf: { now },
    });
  }

  /** Starts a session for a user TokenReview accepted. */
  create(user: UserInfo, token: string): Session {
    const createdAt = this.now();
    const session: Session = {
      id: secret(),
      user,
      token,
      csrfToken: secret(),
      createdAt,
      expiresAt: createdAt + this.ttlMs,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of this id (renewing its idle time), or undefined. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** Ends a session. */
  delete(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** How many sessions are live (for tests and metrics). */
  get size(): number {
    return this.sessions.size;
  }
}
