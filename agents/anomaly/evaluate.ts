/** Precision, recall and detection delay of the detector on labelled workloads. */
import type { Anomaly, DetectOptions } from "./detect.ts";
import { detectAnomalies } from "./detect.ts";
import type { LabelledWorkload } from "./labelled.ts";
import type { Signal } from "./signals.ts";
import { SIGNALS } from "./signals.ts";

/** The scores, and every false alarm for a person to look at. */
export interface Evaluation {
  injected: number;
  detected: number;
  alarms: number;
  truePositives: number;
  precision: number;
  recall: number;
  delaysMinutes: number[];
  falseAlarms: Array<{ workload: string; anomaly: Anomaly }>;
}

/** A detection counts when it names the injected signal within the anomaly or 30 minutes after. */
const LATE_SECONDS = 1800;

/** Runs the detector on every signal of every workload from `from` on and scores it. */
export function evaluate(
  workloads: readonly LabelledWorkload[],
  from: (w: LabelledWorkload) => number,
  opts: DetectOptions = {},
): Evaluation {
  const out: Evaluation = {
    injected: 0,
    detected: 0,
    alarms: 0,
    truePositives: 0,
    precision: 1,
    recall: 1,
    delaysMinutes: [],
    falseAlarms: [],
  };
  for (const w of workloads) {
    if (w.anomaly) out.injected++;
    let found = false;
    for (const signal of Object.keys(SIGNALS) as Signal[]) {
      const alarms = detectAnomalies(signal, w.signals[signal], from(w), {
        ...opts,
        traffic: w.signals.requestRate,
        rollouts: w.rollouts,
      });
      for (const a of alarms) {
        out.alarms++;
        const a0 = w.anomaly;
        if (
          a0 &&
          a.signal === a0.signal &&
          a.detectedAt >= a0.start &&
          a.detectedAt <= a0.end + LATE_SECONDS
        ) {
          out.truePositives++;
          if (!found) out.delaysMinutes.push((a.detectedAt - a0.start) / 60);
          found = true;
        } else out.falseAlarms.push({ workload: w.name, anomaly: a });
      }
    }
    if (found) out.detected++;
  }
  out.precision = out.alarms ? out.truePositives / out.alarms : 1;
  out.recall = out.injected ? out.detected / out.injected : 1;
  return out;
}
