/**
 * Bounds the diagnosis's Event cache: a busy cluster holds tens of thousands of Events and
 * the analyzers read only recent ones, never the operator's own (about aisre.io objects, about
 * three per task), which never enter the cache. An Event older than maxAge never enters it either
 * and leaves it on a sweep; past perObject Events about one object, or perNamespace in one
 * namespace, the oldest are evicted on insert. Eviction trims the cache only (no delete is
 * delivered); an evicted Event that is repeated comes back with its new timestamp.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { API_GROUP } from "../../crds/api.ts";
import type { ClusterEvent } from "../../agents/diagnosis/events.ts";
import { EVENT_REGARDING_INDEX, eventOf, regardingKeys } from "../../agents/diagnosis/live/indexes.ts";
import type { K8sObject } from "../../agents/diagnosis/k8s.ts";
import { toMs } from "../../agents/diagnosis/k8s.ts";
import { keyOf, systemClock, type Clock, type Informer, type TimerHandle } from "../../runtime/index.ts";

/** The limits of the Event cache. */
export interface EventBounds {
  maxAgeMinutes: number;
  perObject: number;
  perNamespace: number;
}

/** Defaults: the API server's own default event TTL (1 h), and room for every analyzer's lookback. */
export const DEFAULT_EVENT_BOUNDS: EventBounds = { maxAgeMinutes: 60, perObject: 50, perNamespace: 2000 };

/** The variable that overrides the bounds, e.g. "maxAgeMinutes=120,perObject=20,perNamespace=5000". */
export const EVENT_BOUNDS_ENV = "AISRE_EVENT_CACHE";

/** Parses "maxAgeMinutes=60,perObject=50,perNamespace=2000" (any subset); throws naming the bad part. */
export function parseEventBounds(text: string | undefined): EventBounds {
  const out = { ...DEFAULT_EVENT_BOUNDS };
  for (const part of (text ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name = "", raw = ""] = part.split("=").map((s) => s.trim());
    const value = Number(raw);
    if (!(name in out))
      throw new Error(
        `${EVENT_BOUNDS_ENV}: unknown setting "${name}" (maxAgeMinutes, perObject, perNamespace)`,
      );
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${EVENT_BOUNDS_ENV}: ${name}=${raw} is not a positive integer`);
    out[name as keyof EventBounds] = value;
  }
  return out;
}

// Events about the operator's own objects are never evidence for a diagnosis, and there are
// about three per task: only the raw Event says which API group its object belongs to.
function aboutOwnKind(obj: KubernetesObject): boolean {
  const ref = obj as { involvedObject?: { apiVersion?: string }; regarding?: { apiVersion?: string } };
  const apiVersion = ref.regarding?.apiVersion ?? ref.involvedObject?.apiVersion ?? "";
  return apiVersion.startsWith(`${API_GROUP}/`);
}

function lastSeen(obj: K8sObject, e: ClusterEvent): number {
  return e.lastSeen ?? toMs(obj.metadata?.creationTimestamp) ?? 0;
}

/** Keeps an Event cache within bounds; `admit` belongs in the informer's transform. */
export class EventCacheBounds {
  private readonly maxAgeMs: number;
  private readonly informer: Informer<KubernetesObject>;
  private readonly bounds: EventBounds;
  private readonly clock: Clock;
  private timer: TimerHandle | undefined;

  constructor(
    informer: Informer<KubernetesObject>,
    bounds = DEFAULT_EVENT_BOUNDS,
    clock: Clock = systemClock,
  ) {
    this.informer = informer;
    this.bounds = bounds;
    this.clock = clock;
    this.maxAgeMs = bounds.maxAgeMinutes * 60_000;
  }

  /** True when the Event is recent enough to cache and is not about one of the operator's own objects. */
  admit(obj: KubernetesObject): boolean {
    if (aboutOwnKind(obj)) return false;
    const o = obj as K8sObject;
    return this.clock.now() - lastSeen(o, eventOf(o)) <= this.maxAgeMs;
  }

  /** Enforces the count bounds after an insert; registered as the informer's add/update handler. */
  onStored(obj: KubernetesObject): void {
    const o = obj as K8sObject;
    const keys = regardingKeys(eventOf(o));
    const about = keys[keys.length - 1];
    if (about) this.trim(this.informer.byIndex(EVENT_REGARDING_INDEX, about), this.bounds.perObject);
    const ns = o.metadata?.namespace ?? "";
    if (this.informer.store.countIn(ns) > this.bounds.perNamespace)
      // Down to 90 % at once, so a namespace at its limit is not re-sorted on every insert.
      this.trim(this.informer.list(ns), Math.floor(this.bounds.perNamespace * 0.9));
  }

  /** Evicts every Event older than maxAge; returns how many. */
  sweep(): number {
    let evicted = 0;
    for (const obj of this.informer.list())
      if (!this.admit(obj) && this.informer.evict(keyOf(obj))) evicted++;
    return evicted;
  }

  /** Registers the handler and sweeps every sweepMs until stop. */
  start(sweepMs = 60_000): void {
    this.informer.addEventHandler({
      onAdd: (o) => this.onStored(o),
      onUpdate: (_old, o) => this.onStored(o),
    });
    const tick = (): void => {
      this.sweep();
      this.timer = this.clock.setTimeout(tick, sweepMs);
    };
    this.timer = this.clock.setTimeout(tick, sweepMs);
  }

  /** Stops the sweep timer. */
  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private trim(events: KubernetesObject[], keep: number): void {
    if (events.length <= keep) return;
    const oldest = events
      .map((o) => ({ o, at: lastSeen(o as K8sObject, eventOf(o as K8sObject)) }))
      .sort((a, b) => a.at - b.at);
    for (const { o } of oldest.slice(0, events.length - keep)) this.informer.evict(keyOf(o));
  }
}
