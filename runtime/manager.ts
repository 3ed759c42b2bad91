import { KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import { pino, type Logger } from "pino";
import { startHealthServer } from "./health/server.ts";
import { createRuntimeMetrics, type RuntimeMetrics } from "./metrics/runtime-metrics.ts";
import { startMetricsServer, type RunningServer } from "./metrics/server.ts";
import { raceTimeout, systemClock, type Clock } from "./clock.ts";
import { Controller, type ControllerOptions } from "./controller.ts";
import { EventRecorder, coreEventClient } from "./events.ts";
import { Informer } from "./informer.ts";
import { MemoryRelease } from "./memory-release.ts";
import { compactMetadata } from "./transform.ts";
import { StringInterner } from "./intern.ts";
import { StructureSharer } from "./share.ts";
import { API_GROUP } from "../crds/api.ts";
import { shareConnections } from "../kube/connections.ts";
import { KubeClient, type ResourceType } from "../kube/kube-api.ts";
import { LeaderElector, coordinationLeaseClient, type StopReason } from "./leader-election.ts";
import { kubeListWatcher, type KubeListWatchOptions } from "../kube/list-watch.ts";
import type { ManagerOptions } from "./manager-options.ts";
import { onShutdownSignals } from "./signals.ts";
import { StatusWriter, customObjectsStatusClient } from "./status.ts";

export type { LeaderElectionConfig, ManagerOptions } from "./manager-options.ts";

/** The longest a deferred informer waits for the others to list (deferStart). */
export const DEFERRED_START_MS = 10_000;

/**
 * Runs controllers the controller-runtime way: shared informers start on every replica
 * (warm standby), workers only while this replica leads; serves /metrics and
 * /healthz, /readyz; stops gracefully (drain, release the lease, exit 0) on SIGTERM.
 */
export class Manager {
  readonly logger: Logger;
  readonly metrics: RuntimeMetrics;
  private readonly opts: ManagerOptions;
  private readonly clock: Clock;
  private readonly informers = new Map<string, Informer<KubernetesObject>>();
  /** One copy of each short string value across all caches (runtime/intern.ts). */
  private readonly interner = new StringInterner();
  /** One frozen copy of each repeated part, for the caches that opt in (runtime/share.ts). */
  readonly sharer = new StructureSharer(this.interner);
  private readonly controllers: Controller<KubernetesObject>[] = [];
  /** Informers started only once the others have listed (deferStart). */
  private readonly deferred = new Set<Informer<KubernetesObject>>();
  private readonly servers: RunningServer[] = [];
  private readonly memoryRelease: MemoryRelease | undefined;
  private kc: KubeConfig | undefined;
  private lazyClient: KubeClient | undefined;
  private lazyRecorder: EventRecorder | undefined;
  private lazyStatus: StatusWriter | undefined;
  private elector: LeaderElector | undefined;
  private state: "new" | "running" | "stopping" | "stopped" = "new";
  private leading = false;
  private stopped: Promise<void> | undefined;
  private finish: (code: number) => void = () => {};
  private readonly done: Promise<number>;
  metricsPort: number | undefined;
  healthPort: number | undefined;

  constructor(opts: ManagerOptions = {}) {
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? pino({ level: "silent" });
    this.metrics = opts.metrics ?? createRuntimeMetrics();
    this.kc = opts.kubeConfig;
    this.done = new Promise((resolve) => (this.finish = resolve));
    if (opts.memoryRelease)
      this.memoryRelease = new MemoryRelease({
        // Not during a start: the first lists are the busiest time, whatever the queues say.
        idle: () => this.isReady() && this.controllers.every((c) => c.idle()),
        idleMs: opts.memoryRelease.idleMs,
        onReleased: (bytes, seconds) => this.metrics.memoryReleased(bytes, seconds),
        clock: this.clock,
        logger: this.logger,
      });
  }

  /** The kubeconfig, loaded from the default places on first use; its requests share connections. */
  get kubeConfig(): KubeConfig {
    if (!this.kc) {
      this.kc = new KubeConfig();
      this.kc.loadFromDefault();
    }
    return shareConnections(this.kc);
  }

  /** A dynamic raw-JSON client (apply, finalizers, reads). */
  get client(): KubeClient {
    return (this.lazyClient ??= KubeClient.fromKubeConfig(this.kubeConfig));
  }

  /** The shared Event recorder. */
  get recorder(): EventRecorder {
    return (this.lazyRecorder ??= new EventRecorder({
      client: coreEventClient(this.kubeConfig),
      logger: this.logger,
    }));
  }

  /** The shared /status writer. */
  get statusWriter(): StatusWriter {
    return (this.lazyStatus ??= new StatusWriter({
      client: customObjectsStatusClient(this.kubeConfig),
      logger: this.logger,
    }));
  }

  /** Returns the shared informer of a kind (one per kind, namespace and selectors), starting it if running. */
  informer<T extends KubernetesObject>(rt: ResourceType, opts: KubeListWatchOptions = {}): Informer<T> {
    const key = [rt.group, rt.version, rt.kind, opts.namespace, opts.labelSelector, opts.fieldSelector].join(
      "|",
    );
    let informer = this.informers.get(key);
    if (!informer) {
      const factory =
        this.opts.listWatcherFactory ?? ((r, o) => kubeListWatcher(this.kubeConfig, this.client, r, o));
      informer = new Informer({
        ...this.opts.informerDefaults,
        listWatcher: factory(rt, opts),
        name: opts.namespace ? `${rt.kind}/${opts.namespace}` : rt.kind,
        logger: this.logger,
        clock: this.clock,
        // The operator's own kinds: a finished DiagnosisRun's managedFields weigh as much as its status.
        transform: rt.group === API_GROUP ? compactMetadata : undefined,
        interner: this.interner,
      });
      this.informers.set(key, informer);
      if (this.state === "running") informer.start();
    }
    return informer as unknown as Informer<T>;
  }

  /**
   * Starts an informer only once every other informer has listed, or after DEFERRED_START_MS:
   * a large cluster's pods and Events take seconds to list, and the controllers' own caches (and
   * so their workers) need not wait behind them on the API server. Only before start().
   */
  deferStart(informer: Informer<KubernetesObject>): void {
    if (this.state === "new") this.deferred.add(informer);
  }

  /** Creates a controller wired to the manager's logger, metrics and clock; started while leading. */
  addController<T extends KubernetesObject>(opts: ControllerOptions<T>): Controller<T> {
    const controller = new Controller<T>({
      logger: this.logger,
      clock: this.clock,
      metrics: this.metrics.controller(opts.name),
      queueMetrics: this.metrics.workqueue(opts.name),
      ...opts,
    });
    this.controllers.push(controller as unknown as Controller<KubernetesObject>);
    if (this.leading && this.state === "running")
      this.startController(controller as unknown as Controller<KubernetesObject>);
    return controller;
  }

  /** True while this replica leads (always true without leader election once started). */
  isLeader(): boolean {
    return this.leading;
  }

  /** Ready: running, informers synced and, when leading, every controller's workers started. */
  isReady(): boolean {
    const synced = [...this.allInformers()].every((i) => i.hasSynced());
    const working = !this.leading || this.controllers.every((c) => c.workersStarted());
    return this.state === "running" && synced && working;
  }

  /** Starts servers, informers and leader election (or the controllers directly without it). */
  async start(): Promise<void> {
    if (this.state !== "new") throw new Error(`manager cannot start when ${this.state}`);
    this.state = "running";
    try {
      await this.startServers();
    } catch (err) {
      this.state = "stopped";
      await Promise.all(this.servers.splice(0).map((s) => s.close()));
      throw err;
    }
    for (const informer of this.informers.values()) if (!this.deferred.has(informer)) informer.start();
    for (const c of this.controllers) for (const i of c.informers()) i.start();
    void this.startDeferred();
    this.memoryRelease?.start();
    const le = this.opts.leaderElection;
    if (!le) return this.becomeLeader("");
    this.elector = new LeaderElector({
      ...le,
      client: le.client ?? coordinationLeaseClient(this.kubeConfig),
      clock: this.clock,
      logger: this.logger,
      onStartedLeading: () => this.becomeLeader(this.elector?.identity ?? ""),
      onStoppedLeading: (reason) => void this.leadershipEnded(reason),
      onLeaderStatus: (on) => this.metrics.leaderStatus(le.name, on),
    });
    this.elector.start();
  }

  /** Starts, stops gracefully on SIGTERM/SIGINT, and resolves the exit code: 0 graceful, 1 leadership lost. */
  async run(): Promise<number> {
    const source = this.opts.signals === undefined ? process : this.opts.signals;
    const off = source
      ? onShutdownSignals(source, (signal, count) => {
          if (count > 1) {
            this.logger.warn({ signal }, "Received a second signal; exiting without waiting");
            return this.finish(1);
          }
          this.logger.info({ signal }, "Received shutdown signal; stopping gracefully");
          void this.stop().then(() => this.finish(0));
        })
      : () => {};
    try {
      await this.start();
      return await this.done;
    } finally {
      off();
    }
  }

  /** Stops gracefully: drain controllers, release the lease, stop informers, flush events, close servers. */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    if (this.state !== "running") return void (this.state = "stopped");
    this.state = "stopping";
    this.logger.info("Stopping manager");
    this.memoryRelease?.stop();
    const drainMs = this.opts.drainTimeoutMs ?? 20_000;
    const drained = await Promise.all(this.controllers.map((c) => c.stop(drainMs)));
    // Release only after the workers stopped, so the next leader never overlaps with them.
    if (this.elector) await raceTimeout(this.clock, this.elector.stop(), 5_000, undefined);
    this.leading = false;
    await Promise.all([...this.allInformers()].map((i) => i.stop()));
    if (this.lazyRecorder) await raceTimeout(this.clock, this.lazyRecorder.flush(), 2_000, undefined);
    await Promise.all(this.servers.splice(0).map((s) => s.close()));
    this.state = "stopped";
    this.logger.info({ drained: drained.every(Boolean) }, "Stopped manager");
  }

  private async startDeferred(): Promise<void> {
    if (this.deferred.size === 0) return;
    const first = [...this.allInformers()].filter((i) => !this.deferred.has(i));
    await raceTimeout(
      this.clock,
      Promise.all(first.map((i) => i.waitForSync())),
      DEFERRED_START_MS,
      undefined,
    );
    if (this.state !== "running") return;
    for (const informer of this.deferred) informer.start();
  }

  private allInformers(): Set<Informer<KubernetesObject>> {
    return new Set([...this.informers.values(), ...this.controllers.flatMap((c) => c.informers())]);
  }

  private becomeLeader(identity: string): void {
    if (this.state !== "running") return;
    this.leading = true;
    if (identity) this.opts.onStartedLeading?.(identity);
    for (const c of this.controllers) this.startController(c);
  }

  private startController(c: Controller<KubernetesObject>): void {
    for (const i of c.informers()) i.start();
    c.start().catch((err: unknown) =>
      this.logger.error({ err, controller: c.name }, "Failed to start controller"),
    );
  }

  private async leadershipEnded(reason: StopReason): Promise<void> {
    this.leading = false;
    if (reason === "lost") {
      // Another replica may already lead: abort reconciles at once rather than drain.
      await Promise.all(this.controllers.map((c) => c.stop(0)));
    }
    this.opts.onStoppedLeading?.(reason);
    if (reason === "lost") await this.stop().then(() => this.finish(1));
  }

  private async startServers(): Promise<void> {
    const host = this.opts.host;
    const metricsPort = this.opts.metricsPort === undefined ? 8080 : this.opts.metricsPort;
    const healthPort = this.opts.healthPort === undefined ? 8081 : this.opts.healthPort;
    if (metricsPort !== null) {
      const s = await startMetricsServer({
        registry: this.metrics.registry,
        port: metricsPort,
        host,
        logger: this.logger,
      });
      this.servers.push(s);
      this.metricsPort = s.port;
    }
    if (healthPort !== null) {
      const s = await startHealthServer({
        port: healthPort,
        host,
        logger: this.logger,
        liveness: { ping: () => true },
        readiness: {
          running: () => this.state === "running",
          "informers-synced": () => [...this.allInformers()].every((i) => i.hasSynced()),
          "workers-started": () => !this.leading || this.controllers.every((c) => c.workersStarted()),
        },
      });
      this.servers.push(s);
      this.healthPort = s.port;
    }
  }
}
