/**
 * When a metric is a fault. The defaults follow the kube-prometheus alerting rules
 * (CPUThrottlingHigh 25 %, KubePersistentVolumeFillingUp 4 days and 15 % free) and common
 * SLO practice for request errors and latency.
 */
export const THRESHOLDS = {
  /** Rate window of the request, latency and throttling queries. */
  rateWindow: "5m",
  /** Below this many requests per second an error ratio says little. */
  minRequestsPerSecond: 0.1,
  errorRatioWarning: 0.05,
  errorRatioCritical: 0.5,
  latencyP99WarningSeconds: 1,
  latencyP99CriticalSeconds: 5,
  throttledShareWarning: 0.25,
  throttledShareCritical: 0.75,
  /** Memory history read for the leak trend, and its resolution. */
  memoryWindowSeconds: 3600,
  memoryStepSeconds: 60,
  /** A leak must explain the growth well (coefficient of determination of the linear fit). */
  memoryMinR2: 0.85,
  /** ...and grow by at least this share of the limit over the window. */
  memoryMinGrowthOfLimit: 0.1,
  /** ...and reach the limit within this many seconds (critical below one hour). */
  memoryHorizonSeconds: 12 * 3600,
  memoryCriticalSeconds: 3600,
  /** Without a limit, steady growth by this factor over the window is still a leak. */
  memoryUnlimitedGrowthFactor: 1.5,
  diskWindowSeconds: 6 * 3600,
  diskStepSeconds: 300,
  diskMinR2: 0.8,
  /** Forecast horizon of KubePersistentVolumeFillingUp, and the free share it also requires. */
  diskHorizonSeconds: 4 * 24 * 3600,
  diskMaxFreeShare: 0.15,
  /** A volume filling within a day is critical, whatever its free share. */
  diskCriticalSeconds: 24 * 3600,
} as const;

/** The thresholds an analyzer run uses (tests and AgentConfig may override some). */
export type Thresholds = {
  -readonly [K in keyof typeof THRESHOLDS]: (typeof THRESHOLDS)[K] extends string ? string : number;
};
