import { hostname } from "node:os";
import {
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Event,
  type KubeConfig,
  type KubernetesObject,
} from "@kubernetes/client-node";
import type { Logger } from "pino";
import { systemClock, type Clock } from "./clock.ts";
import { FIELD_MANAGER, isNotFound } from "../kube/kube-api.ts";
import { redactText } from "../redact/index.ts";

/** Event severity, as `kubectl describe` shows it. */
export type EventType = "Normal" | "Warning";

/** The calls an EventRecorder makes; injectable for tests. */
export interface EventClient {
  create(namespace: string, event: CoreV1Event): Promise<unknown>;
  /** JSON merge patch of an existing Event. */
  patch(namespace: string, name: string, patch: object): Promise<unknown>;
}

/** The real EventClient: core/v1 Events, the ones `kubectl describe` lists under the object. */
export function coreEventClient(kc: KubeConfig): EventClient {
  const api = kc.makeApiClient(CoreV1Api);
  // client-node defaults PATCH to json-patch+json; events are merge-patched.
  const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
  return {
    create: (namespace, body) => api.createNamespacedEvent({ namespace, body }),
    patch: (namespace, name, body) => api.patchNamespacedEvent({ namespace, name, body }, mergePatch),
  };
}

/** Options of an EventRecorder. */
export interface EventRecorderOptions {
  client: EventClient;
  /** Reporting controller / source component. Default "aisre-operator". */
  component?: string;
  /** Reporting instance. Default the host name (the pod name in a cluster). */
  instance?: string;
  clock?: Clock;
  logger?: Logger;
  /** Distinct events remembered for aggregation. Default 4096 (client-go's LRU size). */
  cacheSize?: number;
}

interface Seen {
  namespace: string;
  name: string;
  count: number;
}

const MAX_MESSAGE = 1024;

// What makes two events repeats of one another (client-go's EventCorrelator key, roughly).
function eventKey(obj: KubernetesObject, type: EventType, reason: string, message: string): string {
  const meta = obj.metadata ?? {};
  return [meta.namespace, obj.kind, meta.name, meta.uid, type, reason, message].join("\u0000");
}

/**
 * Records core/v1 Events on objects. A repeat of the same object, type, reason and
 * message bumps count and lastTimestamp of the existing Event (client-go's
 * EventCorrelator) instead of creating a new one. Recording never throws: an Event is
 * best-effort and must not fail a reconcile.
 */
export class EventRecorder {
  private readonly client: EventClient;
  private readonly component: string;
  private readonly instance: string;
  private readonly clock: Clock;
  private readonly log: Logger | undefined;
  private readonly cacheSize: number;
  private readonly seen = new Map<string, Seen>();
  /** The last write of each event key still in flight. */
  private readonly writing = new Map<string, Promise<void>>();
  private seq = 0;

  constructor(opts: EventRecorderOptions) {
    this.client = opts.client;
    this.component = opts.component ?? FIELD_MANAGER;
    this.instance = opts.instance ?? hostname();
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger;
    this.cacheSize = opts.cacheSize ?? 4096;
  }

  /** Records a Normal event. */
  normal(obj: KubernetesObject, reason: string, message: string): Promise<void> {
    return this.event(obj, "Normal", reason, message);
  }

  /** Records a Warning event. */
  warning(obj: KubernetesObject, reason: string, message: string): Promise<void> {
    return this.event(obj, "Warning", reason, message);
  }

  /** Records an event (its message redacted of secrets); resolves when written (or when writing failed and was logged). */
  event(obj: KubernetesObject, type: EventType, reason: string, message: string): Promise<void> {
    // Anyone who may list Events reads this: no secret from a log or a status goes in.
    const safe = redactText(message);
    const msg = safe.length > MAX_MESSAGE ? `${safe.slice(0, MAX_MESSAGE - 3)}...` : safe;
    const at = new Date(this.clock.now());
    const key = eventKey(obj, type, reason, msg);
    // Repeats of one event are serialized so two cannot both create it; other events are written
    // concurrently (one chain for all of them capped the operator at a few tasks per second).
    const next = (this.writing.get(key) ?? Promise.resolve()).then(() =>
      this.write(obj, type, reason, msg, at),
    );
    const settled = next.catch(() => undefined);
    this.writing.set(key, settled);
    void settled.then(() => {
      if (this.writing.get(key) === settled) this.writing.delete(key);
    });
    return next.catch((err: unknown) => {
      this.log?.warn({ err, reason, object: obj.metadata?.name }, "Failed to record event");
    });
  }

  /** Resolves once every event recorded so far is written. */
  async flush(): Promise<void> {
    await Promise.all(this.writing.values());
  }

  private async write(obj: KubernetesObject, type: EventType, reason: string, message: string, now: Date) {
    const key = eventKey(obj, type, reason, message);
    const prior = this.seen.get(key);
    if (prior) {
      try {
        await this.client.patch(prior.namespace, prior.name, {
          count: prior.count + 1,
          lastTimestamp: now.toISOString(),
        });
        prior.count++;
        this.remember(key, prior);
        return;
      } catch (err) {
        // The Event expired (API server TTL, 1 h by default): start a new one.
        if (!isNotFound(err)) throw err;
      }
    }
    const event = this.build(obj, type, reason, message, now);
    await this.client.create(event.metadata.namespace as string, event);
    this.remember(key, {
      namespace: event.metadata.namespace as string,
      name: event.metadata.name as string,
      count: 1,
    });
  }

  private build(
    obj: KubernetesObject,
    type: EventType,
    reason: string,
    message: string,
    now: Date,
  ): CoreV1Event {
    const meta = obj.metadata ?? {};
    // Like client-go: name.<unix nanos in hex>; the sequence keeps names unique within a millisecond.
    const nanos = BigInt(now.getTime()) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    return {
      metadata: { name: `${meta.name}.${nanos.toString(16)}`, namespace: meta.namespace || "default" },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: meta.name,
        namespace: meta.namespace,
        uid: meta.uid,
        resourceVersion: meta.resourceVersion,
      },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: this.component, host: this.instance },
      reportingComponent: this.component,
      reportingInstance: this.instance,
    };
  }

  // Map order is insertion order: re-inserting marks an entry most recently used.
  private remember(key: string, seen: Seen): void {
    this.seen.delete(key);
    this.seen.set(key, seen);
    if (this.seen.size > this.cacheSize) this.seen.delete(this.seen.keys().next().value as string);
  }
}
