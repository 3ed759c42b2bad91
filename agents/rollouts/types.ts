/** The shapes rollout verification passes around: one revision's golden signals, the settings, the verdict. */

/** One revision's golden signals over its window; undefined when the TSDB had no series. */
export interface GoldenSignals {
  /** Requests per second, all pods of the revision. */
  requestRate?: number;
  /** 5xx share of requests, 0..1. */
  errorRatio?: number;
  /** p99 request latency in seconds. */
  latencyP99?: number;
  /** Container restarts of the revision's pods in the window. */
  restarts?: number;
  /** CPU cores per pod. */
  cpu?: number;
  /** Working-set bytes per pod. */
  memory?: number;
}

/** spec.monitoring.rollouts with its defaults applied. */
export interface RolloutSettings {
  windowMinutes: number;
  errorRatioIncrease: number;
  latencyRatio: number;
  minRequestRate: number;
}

/** The CRD defaults (crds/agentconfig-monitoring.ts). */
export const DEFAULT_SETTINGS: RolloutSettings = {
  windowMinutes: 10,
  errorRatioIncrease: 0.05,
  latencyRatio: 1.5,
  minRequestRate: 0.1,
};

/** What a comparison concluded. */
export type VerdictKind = "regression" | "healthy" | "not-enough-traffic";

/** One signal that moved, in numbers and in words. */
export interface Delta {
  signal: keyof GoldenSignals;
  previous?: number;
  current?: number;
  /** "5xx 12.0% on revision 7 vs 0.3% on revision 6". */
  text: string;
  /** This delta alone is a regression. */
  regression: boolean;
}

/** The verdict on a new revision against the previous one. */
export interface Verdict {
  kind: VerdictKind;
  /** Every signal both revisions have, regressions first. */
  deltas: Delta[];
  /** One sentence: the regressions, or why the revision passed. */
  summary: string;
}
