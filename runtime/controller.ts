import { randomUUID } from "node:crypto";
import type { KubernetesObject } from "@kubernetes/client-node";
import { pino, type Logger } from "pino";
import { raceTimeout, systemClock, type Clock } from "./clock.ts";
import { isTerminalError } from "./errors.ts";
import {
  controllerOwnerOf,
  mappingHandler,
  requestFor,
  type MapFunc,
  type Predicate,
  type Request,
} from "./handlers.ts";
import type { Informer } from "./informer.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import { objectKey, splitKey } from "./store.ts";
import { WorkQueue, type WorkQueueMetrics } from "./workqueue.ts";

/** What a reconcile asks for next; nothing (or {}) means done until the next event. */
export interface Result {
  /** Requeue with the rate limiter's backoff. */
  requeue?: boolean;
  /** Requeue after this many ms (and reset the backoff). Wins over requeue. */
  requeueAfter?: number;
}

/** Passed to every reconcile: aborted when a stop's drain timeout expires. */
export interface ReconcileContext {
  signal: AbortSignal;
  logger: Logger;
}

/** Converges one object towards its spec; level-based and idempotent. Throw to retry with backoff. */
export type Reconciler = (req: Request, ctx: ReconcileContext) => Promise<Result | void>;

/** The outcome label of one reconcile (controller-runtime's reconcile_total result label). */
export type ReconcileOutcome = "success" | "error" | "requeue" | "requeue_after";

/** Hooks a controller reports to; durations are in seconds. */
export interface ControllerMetrics {
  reconciled(outcome: ReconcileOutcome, seconds: number): void;
  failed(terminal: boolean): void;
  workers(active: number, max: number): void;
}

/** Metrics that record nothing. */
export const noopControllerMetrics: ControllerMetrics = {
  reconciled: () => {},
  failed: () => {},
  workers: () => {},
};

/** Options of a Controller; `name`, `for` and `reconcile` are required. */
export interface ControllerOptions<T extends KubernetesObject> {
  name: string;
  /** The informer of the reconciled kind; its events enqueue the object's own key. */
  for: Informer<T>;
  reconcile: Reconciler;
  predicate?: Predicate<T>;
  maxConcurrentReconciles?: number;
  /** Built per start, since a stopped queue cannot restart. Default: 5 ms..1000 s per key + 10 qps. */
  rateLimiter?: () => RateLimiter;
  /**
   * Events queue the key this many ms later (default 0: at once); a key already waiting keeps
   * its time, so a burst of one object's changes costs one reconcile. For projections whose
   * writes may lag the object a little and would otherwise repeat for every intermediate state.
   */
  coalesceMs?: number;
  logger?: Logger;
  clock?: Clock;
  metrics?: ControllerMetrics;
  queueMetrics?: WorkQueueMetrics;
}

interface Source {
  informer: Informer<KubernetesObject>;
  map: MapFunc<KubernetesObject>;
  predicate?: Predicate<KubernetesObject>;
}

/**
 * informers → work queue → N workers → reconcile, with controller-runtime's result
 * handling: error → rate-limited requeue; TerminalError → no retry; requeueAfter →
 * forget + delayed add; success → forget. A key is never reconciled by two workers at once.
 */
export class Controller<T extends KubernetesObject = KubernetesObject> {
  readonly name: string;
  private readonly sources: Source[] = [];
  private readonly reconciler: Reconciler;
  private readonly maxWorkers: number;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly metrics: ControllerMetrics;
  private readonly opts: ControllerOptions<T>;
  private queue: WorkQueue | undefined;
  private workers: Promise<void>[] = [];
  private removers: Array<() => void> = [];
  private abort = new AbortController();
  private active = 0;
  private running = false;

  constructor(opts: ControllerOptions<T>) {
    this.opts = opts;
    this.name = opts.name;
    this.reconciler = opts.reconcile;
    this.maxWorkers = Math.max(1, opts.maxConcurrentReconciles ?? 1);
    this.log = (opts.logger ?? pino({ level: "silent" })).child({ controller: opts.name });
    this.clock = opts.clock ?? systemClock;
    this.metrics = opts.metrics ?? noopControllerMetrics;
    this.sources.push({
      informer: opts.for as unknown as Informer<KubernetesObject>,
      map: (obj) => [requestFor(obj)],
      predicate: opts.predicate as Predicate<KubernetesObject> | undefined,
    });
  }

  /** Reconciles the controlling owner (given group and kind) when an owned child changes. */
  owns<U extends KubernetesObject>(
    informer: Informer<U>,
    owner: { group: string; kind: string },
    predicate?: Predicate<U>,
  ): this {
    return this.watches(informer, controllerOwnerOf(owner.group, owner.kind) as MapFunc<U>, predicate);
  }

  /** Reconciles whatever `map` returns when an object of another kind changes. */
  watches<U extends KubernetesObject>(
    informer: Informer<U>,
    map: MapFunc<U>,
    predicate?: Predicate<U>,
  ): this {
    this.sources.push({
      informer: informer as unknown as Informer<KubernetesObject>,
      map: map as MapFunc<KubernetesObject>,
      predicate: predicate as Predicate<KubernetesObject> | undefined,
    });
    return this;
  }

  /** Returns the informers this controller reads, so a manager can start and sync them. */
  informers(): Informer<KubernetesObject>[] {
    return [...new Set(this.sources.map((s) => s.informer))];
  }

  /** Adds a request by hand (e.g. from a webhook). Ignored while stopped. */
  enqueue(req: Request): void {
    this.queue?.add(objectKey(req.namespace, req.name));
  }

  /** True between start() and stop(). */
  isRunning(): boolean {
    return this.running;
  }

  /** True once the caches are synced and the workers run. */
  workersStarted(): boolean {
    return this.workers.length > 0;
  }

  /** Returns the number of keys waiting to be reconciled. */
  queueLength(): number {
    return this.queue?.len() ?? 0;
  }

  /** True when no key waits and no reconcile is in progress. */
  idle(): boolean {
    return this.queueLength() === 0 && this.active === 0;
  }

  /** Subscribes to the informers, waits for their caches, then starts the workers. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    const queue = new WorkQueue({
      rateLimiter: this.opts.rateLimiter?.(),
      clock: this.clock,
      metrics: this.opts.queueMetrics,
    });
    this.queue = queue;
    const coalesceMs = this.opts.coalesceMs ?? 0;
    const enqueue = (r: Request): void => queue.addAfter(objectKey(r.namespace, r.name), coalesceMs);
    this.removers = this.sources.map((s) =>
      s.informer.addEventHandler(mappingHandler(s.map, enqueue, s.predicate)),
    );
    const synced = await Promise.all(this.informers().map((i) => i.waitForSync(this.abort.signal)));
    if (!synced.every(Boolean) || !this.running) return;
    this.workers = Array.from({ length: this.maxWorkers }, () => this.work(queue));
    this.metrics.workers(0, this.maxWorkers);
    this.log.info({ workers: this.maxWorkers }, "Started workers");
  }

  /**
   * Stops taking new keys and waits up to drainTimeoutMs for reconciles in flight;
   * then aborts their signal. Resolves true when everything finished in time.
   */
  async stop(drainTimeoutMs = 30_000): Promise<boolean> {
    if (!this.running) return true;
    this.running = false;
    this.removers.splice(0).forEach((r) => r());
    const queue = this.queue as WorkQueue;
    const drained = await raceTimeout(
      this.clock,
      queue.shutDownWithDrain().then(() => true),
      drainTimeoutMs,
      false,
    );
    this.abort.abort();
    if (drained) await Promise.all(this.workers);
    else
      this.log.warn(
        { drainTimeoutMs, active: this.active },
        "Aborted reconciles still running at drain timeout",
      );
    this.workers = [];
    this.log.info({ drained }, "Stopped controller");
    return drained;
  }

  private async work(queue: WorkQueue): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      this.metrics.workers(++this.active, this.maxWorkers);
      try {
        await this.reconcileKey(queue, key);
      } finally {
        this.metrics.workers(--this.active, this.maxWorkers);
        queue.done(key);
      }
    }
  }

  private async reconcileKey(queue: WorkQueue, key: string): Promise<void> {
    const req = splitKey(key);
    const logger = this.log.child({
      namespace: req.namespace || undefined,
      name: req.name,
      reconcileID: randomUUID(),
    });
    const started = this.clock.now();
    let outcome: ReconcileOutcome = "success";
    try {
      const result = (await this.reconciler(req, { signal: this.abort.signal, logger })) ?? {};
      if (result.requeueAfter && result.requeueAfter > 0) {
        outcome = "requeue_after";
        queue.forget(key);
        queue.addAfter(key, result.requeueAfter);
      } else if (result.requeue) {
        outcome = "requeue";
        queue.addRateLimited(key);
      } else queue.forget(key);
    } catch (err) {
      outcome = "error";
      this.handleError(queue, key, err, logger);
    } finally {
      this.metrics.reconciled(outcome, (this.clock.now() - started) / 1000);
    }
  }

  private handleError(queue: WorkQueue, key: string, err: unknown, logger: Logger): void {
    const terminal = isTerminalError(err);
    this.metrics.failed(terminal);
    if (terminal) {
      // controller-runtime keeps the backoff history here; forgetting it frees the entry of a key that may never return.
      queue.forget(key);
      logger.error({ err }, "Reconcile failed with a terminal error; not retrying");
      return;
    }
    queue.addRateLimited(key);
    logger.error({ err, retries: queue.numRequeues(key) }, "Reconcile failed; requeued with backoff");
  }
}
