import type { KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { jitter, sleep, systemClock, type Clock, type TimerHandle } from "./clock.ts";
import { statusCode } from "../kube/kube-api.ts";
import type { ListWatcher, WatchParams } from "../kube/list-watch.ts";
import { Store, keyOf, type IndexFunc } from "./store.ts";
import type { StringInterner } from "./intern.ts";
import { openWatch, type WatchEnd } from "./watch-session.ts";

/** Callbacks for cache changes; a resync calls onUpdate(obj, obj). */
export interface EventHandler<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

/** Options of an Informer; all but listWatcher have defaults. */
export interface InformerOptions<T> {
  listWatcher: ListWatcher<T>;
  /** Name used in logs, e.g. the kind. */
  name?: string;
  logger?: Logger;
  clock?: Clock;
  /** Re-deliver every cached object as an update this often; 0 disables. Default 10 min. */
  resyncMs?: number;
  /** Restart a watch that delivered nothing (not even a bookmark) for this long. Default 2 min. */
  watchdogMs?: number;
  /** Retry backoff after a failed list or watch. Default 1 s doubling to 10 s. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Server-side watch timeout is randomized in [min, 2*min] seconds (client-go reflector). Default 300. */
  minWatchTimeoutSeconds?: number;
  random?: () => number;
  /** Reshapes every object before it is stored (client-go SetTransform); see setTransform. */
  transform?: Transform<T>;
  /** Shares the string values of stored objects with every other cache using the same interner. */
  interner?: StringInterner;
}

/**
 * Reshapes an object before it enters the cache: drop what no reader needs (managedFields,
 * ConfigMap data). Returning undefined keeps the object out of the cache altogether. It must
 * not mutate its argument (the watch may share it) and must keep metadata.namespace/name.
 */
export type Transform<T> = (obj: T) => T | undefined;

/**
 * A supervised list+watch cache of one kind (client-go reflector + indexer + shared
 * informer). It never gives up: a failed list or watch is retried with backoff, 410 Gone
 * triggers a relist, a silent watch is restarted by a watchdog, and every cached object
 * is re-delivered periodically (resync) so level-based reconcilers converge even if an
 * event was missed.
 */
export class Informer<T extends KubernetesObject> {
  readonly store = new Store<T>();
  private readonly lw: ListWatcher<T>;
  private readonly name: string;
  private readonly log: Logger | undefined;
  private readonly clock: Clock;
  private readonly resyncMs: number;
  private readonly watchdogMs: number;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private readonly minWatchTimeoutSeconds: number;
  private readonly random: () => number;
  private readonly handlers = new Set<EventHandler<T>>();
  private syncWaiters: Array<() => void> = [];
  private resourceVersion = "";
  private synced = false;
  private failures = 0;
  private loop: Promise<void> | undefined;
  private abort = new AbortController();
  private endWatch: (() => void) | undefined;
  private resyncTimer: TimerHandle | undefined;
  private transform: Transform<T> | undefined;
  private readonly interner: StringInterner | undefined;

  constructor(opts: InformerOptions<T>) {
    this.lw = opts.listWatcher;
    this.name = opts.name ?? "informer";
    this.log = opts.logger?.child({ informer: this.name });
    this.clock = opts.clock ?? systemClock;
    this.resyncMs = opts.resyncMs ?? 10 * 60_000;
    this.watchdogMs = opts.watchdogMs ?? 120_000;
    this.backoffInitialMs = opts.backoff?.initialMs ?? 1000;
    this.backoffMaxMs = opts.backoff?.maxMs ?? 10_000;
    this.minWatchTimeoutSeconds = opts.minWatchTimeoutSeconds ?? 300;
    this.random = opts.random ?? Math.random;
    this.transform = opts.transform;
    this.interner = opts.interner;
  }

  /**
   * Sets the transform applied to every object before it is stored. Objects already cached
   * are reshaped at once (without events), so it may be set after start on a shared informer.
   */
  setTransform(transform: Transform<T>): void {
    this.transform = transform;
    for (const key of this.store.keys()) {
      const obj = this.store.getByKey(key) as T;
      const shaped = this.reshape(obj);
      if (shaped) this.store.upsert(this.interner?.intern(shaped) ?? shaped);
      else this.store.remove(key);
    }
  }

  /** Drops a cached object without a delete event: a cache trim (e.g. old Events), not a deletion. */
  evict(key: string): T | undefined {
    return this.store.remove(key);
  }

  /** Returns a cached object; namespace is "" for cluster-scoped kinds. */
  get(namespace: string, name: string): T | undefined {
    return this.store.get(namespace, name);
  }

  /** Lists cached objects, all or of one namespace. */
  list(namespace?: string): T[] {
    return this.store.list(namespace);
  }

  /** Registers a secondary index (see ownerUidIndex). */
  addIndex(name: string, fn: IndexFunc<T>): void {
    this.store.addIndex(name, fn);
  }

  /** Returns the cached objects whose index `name` yields `value`. */
  byIndex(name: string, value: string): T[] {
    return this.store.byIndex(name, value);
  }

  /** Adds a handler; objects already cached are delivered to it as adds. Returns its removal. */
  addEventHandler(handler: EventHandler<T>): () => void {
    this.handlers.add(handler);
    if (this.synced) for (const obj of this.store.list()) this.call(handler, "onAdd", obj);
    return () => void this.handlers.delete(handler);
  }

  /** True once the first list has been stored and delivered to handlers. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced, or false if the signal aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => resolve(false);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve(true);
      });
    });
  }

  /** Returns the resourceVersion the next watch resumes from ("" means relist). */
  lastSyncResourceVersion(): string {
    return this.resourceVersion;
  }

  /** Starts listing and watching in the background; a no-op when already running. */
  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.resourceVersion = "";
    this.log?.info("Started informer");
    this.loop = this.run()
      .catch((err: unknown) => this.log?.error({ err }, "Informer loop failed"))
      .finally(() => (this.loop = undefined));
    this.scheduleResync();
  }

  /** Stops the watch and the resync and waits for the loop to exit; the cache is kept. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.abort.abort();
    this.endWatch?.();
    if (this.resyncTimer !== undefined) this.clock.clearTimeout(this.resyncTimer);
    this.resyncTimer = undefined;
    await this.loop;
    this.log?.info("Stopped informer");
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      let end: WatchEnd;
      try {
        if (!this.resourceVersion) await this.relist();
        end = await this.watchOnce();
      } catch (err) {
        end = { kind: "error", err };
      }
      await this.handleEnd(end);
    }
  }

  private async handleEnd(end: WatchEnd): Promise<void> {
    if (this.abort.signal.aborted) return;
    if (end.kind === "expired") {
      this.log?.info({ resourceVersion: this.resourceVersion }, "Relisting after resourceVersion expired");
      this.resourceVersion = "";
    } else if (end.kind === "timeout") {
      this.log?.debug("Re-watching after client-side inactivity timeout");
    } else if (end.kind === "watchdog") {
      this.log?.warn({ silentMs: this.watchdogMs }, "Restarted watch that was silent too long");
    } else if (end.kind === "error") {
      this.failures++;
      const base = Math.min(this.backoffMaxMs, this.backoffInitialMs * 2 ** (this.failures - 1));
      const delay = jitter(base, 0.1, this.random);
      const err = end.err instanceof Error ? end.err.message : end.err;
      this.log?.warn(
        { err, status: statusCode(end.err), retryInMs: Math.round(delay) },
        "List or watch failed",
      );
      await sleep(this.clock, delay, this.abort.signal);
    }
  }

  private async relist(): Promise<void> {
    // Shaped page by page: 10,200 raw pods held at once set a peak heap that V8 never returns.
    const result = await this.lw.list(this.abort.signal, (raw) => this.shape(raw));
    if (this.abort.signal.aborted) return;
    const seen = new Set<string>();
    for (const obj of result.items) {
      seen.add(keyOf(obj));
      if (result.shaped) this.put(obj);
      else this.apply(obj);
    }
    for (const key of this.store.keys()) {
      const old = seen.has(key) ? undefined : this.store.remove(key);
      if (old) this.emit("onDelete", old);
    }
    this.resourceVersion = result.resourceVersion;
    this.failures = 0;
    this.log?.debug({ count: result.items.length, resourceVersion: this.resourceVersion }, "Listed objects");
    if (!this.synced) {
      this.synced = true;
      this.log?.info({ count: result.items.length }, "Synced informer cache");
      this.syncWaiters.splice(0).forEach((w) => w());
    }
  }

  private watchOnce(): Promise<WatchEnd> {
    const params: WatchParams = {
      resourceVersion: this.resourceVersion,
      timeoutSeconds: Math.floor(this.minWatchTimeoutSeconds * (1 + this.random())),
      allowWatchBookmarks: true,
    };
    const session = openWatch(this.lw, params, {
      clock: this.clock,
      watchdogMs: this.watchdogMs,
      onEvent: (type, obj) => {
        this.failures = 0;
        return this.handleEvent(type, obj);
      },
    });
    this.endWatch = session.stop;
    return session.ended.finally(() => (this.endWatch = undefined));
  }

  private handleEvent(type: string, obj: T): WatchEnd | undefined {
    if (type === "ERROR") {
      const code = statusCode(obj);
      return code === 410 ? { kind: "expired" } : { kind: "error", err: obj };
    }
    if (type === "ADDED" || type === "MODIFIED") this.apply(obj);
    else if (type === "DELETED") {
      const old = this.store.remove(keyOf(obj));
      if (old) this.emit("onDelete", this.reshape(obj) ?? old);
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    return undefined;
  }

  // A transform that throws drops the object: storing it raw could keep what the transform removes.
  private reshape(obj: T): T | undefined {
    if (!this.transform) return obj;
    try {
      return this.transform(obj);
    } catch (err) {
      this.log?.error({ err, key: keyOf(obj) }, "Dropped an object the transform failed on");
      return undefined;
    }
  }

  /** The object as the cache keeps it (transform, then shared strings), or undefined when dropped. */
  private shape(raw: T): T | undefined {
    const obj = this.reshape(raw);
    this.interner?.intern(obj);
    return obj;
  }

  private apply(raw: T): void {
    const obj = this.shape(raw);
    if (!obj) {
      const gone = this.store.remove(keyOf(raw));
      if (gone) this.emit("onDelete", gone);
      return;
    }
    this.put(obj);
  }

  /** Stores a shaped object and tells the handlers. */
  private put(obj: T): void {
    const old = this.store.upsert(obj);
    if (!old) this.emit("onAdd", obj);
    else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit("onUpdate", old, obj);
  }

  private scheduleResync(): void {
    if (this.resyncMs <= 0) return;
    this.resyncTimer = this.clock.setTimeout(() => {
      if (this.synced) {
        this.log?.debug({ count: this.store.size() }, "Resynced informer cache");
        for (const obj of this.store.list()) this.emit("onUpdate", obj, obj);
      }
      this.scheduleResync();
    }, this.resyncMs);
  }

  private emit(event: keyof EventHandler<T>, a: T, b?: T): void {
    for (const h of this.handlers) this.call(h, event, a, b);
  }

  // A throwing handler must not break the informer or starve the other handlers.
  private call(h: EventHandler<T>, event: keyof EventHandler<T>, a: T, b?: T): void {
    try {
      if (event === "onUpdate") h.onUpdate?.(a, b as T);
      else h[event]?.(a);
    } catch (err) {
      this.log?.error({ err, event }, "Event handler failed");
    }
  }
}
