import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { RuntimeMetrics } from "./metrics/runtime-metrics.ts";
import type { Clock } from "./clock.ts";
import type { InformerOptions } from "./informer.ts";
import type { ResourceType } from "../kube/kube-api.ts";
import type { LeaseClient, StopReason } from "./leader-election.ts";
import type { KubeListWatchOptions, ListWatcher } from "../kube/list-watch.ts";
import type { SignalSource } from "./signals.ts";

/** Lease-based leader election settings; durations default to 15 s / 10 s / 2 s. */
export interface LeaderElectionConfig {
  namespace: string;
  name: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Injected Lease calls (tests); default coordination.k8s.io/v1 through the kubeconfig. */
  client?: LeaseClient;
}

/** Options of a Manager; everything has a default. */
export interface ManagerOptions {
  /** Default: KubeConfig.loadFromDefault() (in-cluster service account, else ~/.kube/config). */
  kubeConfig?: KubeConfig;
  logger?: Logger;
  /** Port of /metrics; 0 picks a free one, null disables. Default 8080. */
  metricsPort?: number | null;
  /** Port of /healthz and /readyz; 0 picks a free one, null disables. Default 8081. */
  healthPort?: number | null;
  host?: string;
  /** Off by default (like controller-runtime); turn on when running more than one replica. */
  leaderElection?: LeaderElectionConfig | false;
  /** How long a graceful stop waits for reconciles in flight. Default 20 s. */
  drainTimeoutMs?: number;
  /** Called when this process starts leading (e.g. to print it for tests and humans). */
  onStartedLeading?: (identity: string) => void;
  /** Called when leading stops; after "lost", run() resolves 1 so the process can exit non-zero. */
  onStoppedLeading?: (reason: StopReason) => void;
  /** Signals that trigger a graceful stop in run(); false installs none. Default process. */
  signals?: SignalSource | false;
  metrics?: RuntimeMetrics;
  /** Resync, watchdog and backoff for every informer the manager creates. */
  informerDefaults?: Pick<InformerOptions<KubernetesObject>, "resyncMs" | "watchdogMs" | "backoff">;
  /** Builds list/watch calls per kind (tests inject fakes). Default kubeListWatcher. */
  listWatcherFactory?: (rt: ResourceType, opts: KubeListWatchOptions) => ListWatcher<KubernetesObject>;
  clock?: Clock;
  /**
   * Give V8's pooled heap pages back once every controller has been idle this long after the RSS
   * grew (runtime/memory-release.ts; needs --expose-gc). Off by default.
   */
  memoryRelease?: { idleMs: number } | false;
}
