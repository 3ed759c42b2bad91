/**
 * Replay protection for WeCom callbacks: a timestamp window, a cache of (timestamp, nonce) pairs
 * already seen, and MsgId deduplication.
 *
 * The sidecar is stateless, so both caches are per replica: a replay sent to another replica
 * inside the window passes this check. That is acceptable because the signature still binds
 * the request to our token, and because SreTask creation is itself idempotent: the task name is
 * derived from the MsgId (taskNameForMessage), so a retried message creates one task whichever
 * replica receives it.
 */
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import { lruClock } from "../tasks/lru.ts";
import { CallbackError } from "./callback-crypto.ts";

/** A bounded map that forgets entries after a TTL and evicts the least recently used when full (lru-cache). */
export class TtlLru<V> {
  // Boxed: lru-cache values cannot be undefined.
  readonly #entries: LRUCache<string, { value: V }>;

  constructor(max: number, ttlMs: number, now: () => number = Date.now) {
    this.#entries = new LRUCache<string, { value: V }>({ max, ttl: ttlMs, ...lruClock(now) });
  }

  /** The live value of a key (refreshing its recency), or undefined. */
  get(key: string): V | undefined {
    return this.#entries.get(key)?.value;
  }

  /** Stores a value, evicting the least recently used entry when full. */
  set(key: string, value: V): void {
    this.#entries.set(key, { value });
  }

  /** Number of entries held, expired or not. */
  get size(): number {
    return this.#entries.size;
  }
}

/** Tuning of the replay guard. */
export interface ReplayOptions {
  /** Largest accepted clock difference, in seconds, either way. Default 300. */
  windowSeconds?: number;
  /** Most (timestamp, nonce) pairs remembered. Default 10000. */
  maxNonces?: number;
  /** Most MsgIds remembered. Default 5000. */
  maxMessageIds?: number;
  /** How long a MsgId is remembered, in seconds. Default 3600 (WeCom retries within seconds). */
  messageIdTtlSeconds?: number;
  /** Clock, in milliseconds (tests). */
  now?: () => number;
}

/** Rejects stale or replayed callbacks and remembers the MsgIds already handled. */
export class ReplayGuard<T = unknown> {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #nonces: TtlLru<true>;
  readonly #messages: TtlLru<T>;

  constructor(options: ReplayOptions = {}) {
    this.#windowMs = (options.windowSeconds ?? 300) * 1000;
    this.#now = options.now ?? Date.now;
    // A nonce only has to be remembered while its timestamp is inside the window.
    this.#nonces = new TtlLru(options.maxNonces ?? 10_000, 2 * this.#windowMs, this.#now);
    this.#messages = new TtlLru(
      options.maxMessageIds ?? 5000,
      (options.messageIdTtlSeconds ?? 3600) * 1000,
      this.#now,
    );
  }

  /**
   * Throws CallbackError Stale for a timestamp outside the window and Replayed for a
   * (timestamp, nonce) pair seen before. Call only after the signature verified, so an
   * unauthenticated request cannot fill the cache.
   */
  admit(timestamp: string, nonce: string): void {
    if (!/^\d{1,12}$/.test(timestamp)) throw new CallbackError("Malformed", "timestamp is not a number");
    const skew = Math.abs(this.#now() - Number(timestamp) * 1000);
    if (skew > this.#windowMs) throw new CallbackError("Stale", "timestamp outside the accepted window");
    const key = `${timestamp}:${nonce}`;
    if (this.#nonces.get(key)) throw new CallbackError("Replayed", "nonce already used");
    this.#nonces.set(key, true);
  }

  /** What was recorded for a MsgId already handled by this replica, or undefined. */
  seenMessage(msgId: string): T | undefined {
    return this.#messages.get(msgId);
  }

  /** Records that a MsgId was handled, with what the duplicate should be answered with. */
  rememberMessage(msgId: string, value: T): void {
    this.#messages.set(msgId, value);
  }
}

/**
 * The SreTask name of a WeCom message: deterministic in the CorpID and MsgId, so a retried
 * message (on this replica or another) maps to the same task and creation is create-or-get.
 */
export function taskNameForMessage(corpId: string, msgId: string): string {
  const digest = createHash("sha256").update(`${corpId}\n${msgId}`).digest("hex").slice(0, 16);
  return `wecom-${digest}`;
}
