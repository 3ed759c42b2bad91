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

const matches = (a: Anomaly, truth: LabelledWorkload["anomaly"]): boolean =>
  truth !== undefined &&
  a.signal === truth.signal &&
  a.detectedAt >= truth.start &&
  a.detectedAt <= truth.end + LATE_SECONDS;

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
    const alarms = (Object.keys(SIGNALS) as Signal[]).flatMap((signal) =>
      detectAnomalies(signal, w.signals[signal], from(w), {
        ...opts,
        traffic: w.signals.requestRate,
        rollouts: w.rollouts,
      }),
    );
    let found = false;
    for (const a of alarms) {
      out.alarms++;
      if (!matches(a, w.anomaly)) {
        out.falseAlarms.push({ workload: w.name, anomaly: a });
        continue;
      }
      out.truePositives++;
      if (!found) out.delaysMinutes.push((a.detectedAt - w.anomaly!.start) / 60);
      found = true;
    }
    if (found) out.detected++;
  }
  out.precision = out.alarms ? out.truePositives / out.alarms : 1;
  out.recall = out.injected ? out.detected / out.injected : 1;
  return out;
}
