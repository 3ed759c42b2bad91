import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { raceTimeout, sleep, systemClock, type Clock } from "./clock.ts";
import { isNotFound } from "../kube/kube-api.ts";

/** The Lease calls an elector makes; injectable for tests. */
export interface LeaseClient {
  get(namespace: string, name: string): Promise<V1Lease | undefined>;
  create(lease: V1Lease): Promise<V1Lease>;
  /** PUT guarded by metadata.resourceVersion: a stale write fails with 409. */
  update(lease: V1Lease): Promise<V1Lease>;
}

/** The real LeaseClient on coordination.k8s.io/v1. */
export function coordinationLeaseClient(kc: KubeConfig): LeaseClient {
  const api = kc.makeApiClient(CoordinationV1Api);
  return {
    get: (namespace, name) =>
      api.readNamespacedLease({ namespace, name }).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      }),
    create: (body) => api.createNamespacedLease({ namespace: body.metadata?.namespace as string, body }),
    update: (body) =>
      api.replaceNamespacedLease({
        namespace: body.metadata?.namespace as string,
        name: body.metadata?.name as string,
        body,
      }),
  };
}

/** A unique identity per process: hostname_pid-random (the pod name is the hostname in a cluster). */
export function defaultIdentity(): string {
  return `${hostname()}_${process.pid}-${randomBytes(4).toString("hex")}`;
}

/** Why leading stopped: the lease could not be renewed in time, or stop() released it. */
export type StopReason = "lost" | "released";

/** Options of a LeaderElector; durations follow controller-runtime's defaults. */
export interface LeaderElectionOptions {
  client: LeaseClient;
  namespace: string;
  name: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
  /** Called once on becoming leader; the signal aborts when leading stops. */
  onStartedLeading?: (signal: AbortSignal) => void;
  /** Called once when leading stops; "lost" should normally end the process with a non-zero code. */
  onStoppedLeading?: (reason: StopReason) => void;
  /** Called with the holder's identity whenever an observed holder changes. */
  onNewLeader?: (identity: string) => void;
  /** Reports leader status (a gauge). */
  onLeaderStatus?: (leading: boolean) => void;
}

/**
 * Lease-based leader election with client-go semantics: a lease held by someone else is
 * respected until leaseDuration has passed since *this* process last saw it change
 * (immune to clock skew); the leader renews every retryPeriod and gives up when it
 * could not renew for renewDeadline; stop() releases the lease so a standby takes over
 * at its next retry instead of waiting for expiry.
 */
export class LeaderElector {
  readonly identity: string;
  private readonly opts: LeaderElectionOptions;
  private readonly clock: Clock;
  private readonly log: Logger | undefined;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly random: () => number;
  private observed: V1Lease | undefined;
  private observedJson = "";
  private observedTime = 0;
  private leading = false;
  private stopping = new AbortController();
  private leadership = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(opts: LeaderElectionOptions) {
    this.opts = opts;
    this.identity = opts.identity ?? defaultIdentity();
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger?.child({ lease: `${opts.namespace}/${opts.name}`, identity: this.identity });
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
    this.random = opts.random ?? Math.random;
    if (this.renewDeadlineMs >= this.leaseDurationMs)
      throw new Error("renewDeadline must be shorter than leaseDuration");
  }

  /** True while this process holds the lease. */
  isLeader(): boolean {
    return this.leading;
  }

  /** Starts competing for the lease in the background. */
  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.opts.onLeaderStatus?.(false);
    this.loop = this.run()
      .catch((err: unknown) => this.log?.error({ err }, "Leader election loop failed"))
      .finally(() => (this.loop = undefined));
  }

  /** Stops competing; releases the lease when leading. Resolves when done. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    if (!this.leading) return;
    await this.release();
    this.stepDown("released");
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    this.log?.info("Started leader election");
    while (!signal.aborted && !(await this.tryAcquireOrRenew())) {
      // client-go jitters by up to 120%; 20% keeps a standby's takeover after a crash under 20 s.
      await sleep(this.clock, this.retryPeriodMs * (1 + 0.2 * this.random()), signal);
    }
    if (signal.aborted) return;
    this.leading = true;
    this.leadership = new AbortController();
    this.opts.onLeaderStatus?.(true);
    this.log?.info("Became leader");
    this.opts.onStartedLeading?.(this.leadership.signal);
    await this.renewLoop(signal);
  }

  private async renewLoop(signal: AbortSignal): Promise<void> {
    let lastRenew = this.clock.now();
    while (!signal.aborted) {
      await sleep(this.clock, this.retryPeriodMs, signal);
      if (signal.aborted) return;
      const left = this.renewDeadlineMs - (this.clock.now() - lastRenew);
      // A hung request must not outlive the renew deadline: past it, another process may lead.
      if (left > 0 && (await raceTimeout(this.clock, this.tryAcquireOrRenew(), left, false))) {
        lastRenew = this.clock.now();
      } else if (this.clock.now() - lastRenew >= this.renewDeadlineMs) {
        this.log?.error(
          { renewDeadlineMs: this.renewDeadlineMs },
          "Lost leadership: lease not renewed in time",
        );
        this.stepDown("lost");
        return;
      }
    }
  }

  private stepDown(reason: StopReason): void {
    this.leading = false;
    this.leadership.abort();
    this.opts.onLeaderStatus?.(false);
    this.opts.onStoppedLeading?.(reason);
  }

  /** One attempt to create, take over or renew the lease; false when someone else holds it or the write failed. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    try {
      const now = this.clock.now();
      const lease = await this.opts.client.get(this.opts.namespace, this.opts.name);
      if (!lease) return this.observe(await this.opts.client.create(this.desired(undefined, now)));
      this.observe(lease);
      const holder = lease.spec?.holderIdentity ?? "";
      const durationMs = (lease.spec?.leaseDurationSeconds ?? this.leaseDurationMs / 1000) * 1000;
      if (holder && holder !== this.identity && this.observedTime + durationMs > now) return false;
      return this.observe(await this.opts.client.update(this.desired(lease, now)));
    } catch (err) {
      this.log?.debug({ err }, "Failed to acquire or renew lease");
      return false;
    }
  }

  private desired(lease: V1Lease | undefined, now: number): V1Lease {
    const spec = lease?.spec ?? {};
    const renewing = spec.holderIdentity === this.identity;
    return {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { ...lease?.metadata, name: this.opts.name, namespace: this.opts.namespace },
      spec: {
        holderIdentity: this.identity,
        leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
        // MicroTime: the API server wants microsecond precision; a plain Date serializes milliseconds.
        acquireTime: renewing && spec.acquireTime ? spec.acquireTime : new V1MicroTime(now),
        renewTime: new V1MicroTime(now),
        leaseTransitions: renewing ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? -1) + 1,
      },
    };
  }

  // Records when this process last saw the lease record change (client-go's observedTime).
  private observe(lease: V1Lease): true {
    const json = JSON.stringify(lease.spec ?? {});
    if (json !== this.observedJson) {
      const before = this.observed?.spec?.holderIdentity;
      this.observed = lease;
      this.observedJson = json;
      this.observedTime = this.clock.now();
      const holder = lease.spec?.holderIdentity;
      if (holder && holder !== before) {
        this.log?.info({ leader: holder }, "Observed new leader");
        this.opts.onNewLeader?.(holder);
      }
    }
    return true;
  }

  private async release(): Promise<void> {
    try {
      const lease = await this.opts.client.get(this.opts.namespace, this.opts.name);
      if (!lease || lease.spec?.holderIdentity !== this.identity) return;
      const now = new V1MicroTime(this.clock.now());
      await this.opts.client.update({
        ...lease,
        spec: {
          ...lease.spec,
          holderIdentity: "",
          leaseDurationSeconds: 1,
          acquireTime: now,
          renewTime: now,
        },
      });
      this.log?.info("Released lease");
    } catch (err) {
      this.log?.warn({ err }, "Failed to release lease; a standby takes over when it expires");
    }
  }
}
