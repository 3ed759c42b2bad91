/** The golden signals the anomaly detector watches, which way is bad, and how to say a value. */

/** A golden signal of a workload. */
export type Signal = "requestRate" | "errorRatio" | "latencyP99" | "cpu" | "memory" | "restarts";

/** How a signal is judged: the bad direction and the smallest spread that counts as noise. */
export interface SignalSpec {
  /** "up": only rises are anomalies (errors, latency); "down": only drops (traffic lost). */
  bad: "up" | "down";
  /** Absolute floor of the spread, so a flat series does not turn noise into 50 MADs. */
  floor: number;
  /** Floor as a fraction of the expected value. */
  relativeFloor: number;
  /** Needs enough traffic to mean anything (ratios and percentiles of a few requests). */
  needsTraffic: boolean;
  /** A rise that follows a rise in traffic is load, not a fault. */
  followsTraffic: boolean;
  label: string;
  format: (v: number) => string;
}

const sig = (v: number, unit: string) => `${Number(v.toPrecision(2))}${unit}`;

/** Every signal's spec. */
export const SIGNALS: Record<Signal, SignalSpec> = {
  requestRate: {
    bad: "down",
    floor: 0.05,
    relativeFloor: 0.1,
    needsTraffic: true,
    followsTraffic: false,
    label: "request rate",
    format: (v) => sig(v, " req/s"),
  },
  errorRatio: {
    bad: "up",
    floor: 0.003,
    relativeFloor: 0.1,
    needsTraffic: true,
    followsTraffic: false,
    label: "5xx ratio",
    format: (v) => sig(v * 100, " %"),
  },
  latencyP99: {
    bad: "up",
    floor: 0.02,
    relativeFloor: 0.1,
    needsTraffic: true,
    followsTraffic: true,
    label: "p99",
    format: (v) => sig(v, " s"),
  },
  cpu: {
    bad: "up",
    floor: 0.02,
    relativeFloor: 0.1,
    needsTraffic: false,
    followsTraffic: true,
    label: "CPU",
    format: (v) => sig(v, " cores"),
  },
  memory: {
    bad: "up",
    floor: 16 * 2 ** 20,
    relativeFloor: 0.05,
    needsTraffic: false,
    followsTraffic: false,
    label: "memory",
    format: (v) => sig(v / 2 ** 20, " MiB"),
  },
  restarts: {
    bad: "up",
    // Two restarts in a window where there were none is 8 MADs; one alone is not a page.
    floor: 0.25,
    relativeFloor: 0,
    needsTraffic: false,
    followsTraffic: false,
    label: "restarts",
    format: (v) => sig(v, ""),
  },
};
