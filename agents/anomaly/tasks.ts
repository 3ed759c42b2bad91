/**
 * The SreTask an anomaly becomes (source Monitor, alertname AnomalyDetected), and the
 * hysteresis that resolves it: a workload's signal that a cycle no longer flags stays open
 * until CLEAR_CYCLES cycles in a row did not flag it, so one quiet cycle does not close and
 * reopen the incident. The workload is named in the alert labels the diagnosis focuses on
 * (deployment / statefulset, as kube-state-metrics names them), not as spec.target: a target
 * would replace the alert as the DiagnosisRun's focus and drop the anomaly's evidence.
 */
import { createHash } from "node:crypto";
import type { Alert, SreTask } from "../../crds/index.ts";
import { LIMITS, typeMeta } from "../../crds/index.ts";
import { redactText } from "../../redact/index.ts";
import type { WorkloadAnomaly } from "./cycle.ts";
import type { Signal } from "./signals.ts";
import { SIGNALS } from "./signals.ts";

/** The alertname of anomaly tasks: the diagnosis reads its evidence (monitor-evidence.ts). */
export const ANOMALY_ALERTNAME = "AnomalyDetected";
/** Consecutive cycles without the anomaly before its task resolves. */
export const CLEAR_CYCLES = 3;

/** Label keys on anomaly tasks (selectable with kubectl -l). */
export const ANOMALY_LABELS = {
  config: "aisre.io/anomaly-config",
  signal: "aisre.io/anomaly-signal",
  workload: "aisre.io/workload",
  alertname: "aisre.io/alertname",
  severity: "aisre.io/severity",
} as const;

/** The kinds an anomaly's workload can be; undefined when the API server has neither. */
export type WorkloadKind = "Deployment" | "StatefulSet";

/** Everything an anomaly task is built from besides the anomaly. */
export interface AnomalyTaskInput {
  namespace: string;
  config: string;
  severity?: "critical" | "warning" | "info";
  kind?: WorkloadKind;
}

const MAX_NAME = 63;
const PREFIX = "anomaly-";
const HEX = 16;

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const iso = (s: number): string => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The identity of a workload's signal: "namespace/workload/signal". */
export const anomalyKey = (a: WorkloadAnomaly): string => `${a.namespace}/${a.workload}/${a.anomaly.signal}`;

/** `anomaly-<workload>-<16 hex of SHA-256(config, namespace, workload, signal)>`, a DNS label. */
export function anomalyTaskName(config: string, namespace: string, workload: string, signal: Signal): string {
  const hex = createHash("sha256")
    .update(`${config}\0${namespace}\0${workload}\0${signal}`)
    .digest("hex")
    .slice(0, HEX);
  const room = MAX_NAME - PREFIX.length - 1 - HEX;
  const slug = workload
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(0, room)
    .replace(/^-+|-+$/g, "");
  return `${PREFIX}${slug ? `${slug}-` : ""}${hex}`;
}

/** A label value valid in Kubernetes (≤ 63, alphanumeric ends), or undefined. */
function labelValue(text: string): string | undefined {
  const v = text
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  return v || undefined;
}

/** Only the AgentConfig's own namespace: a tenant never opens work about another namespace. */
export function ownAnomalies(found: readonly WorkloadAnomaly[], namespace: string): WorkloadAnomaly[] {
  return found.filter((a) => a.namespace === namespace && a.workload !== "");
}

/** spec.alert of an anomaly: who, which signal, and the numbers that explain it. */
export function anomalyAlert(a: WorkloadAnomaly, input: AnomalyTaskInput): Alert {
  const { anomaly, workload } = a;
  const spec = SIGNALS[anomaly.signal];
  const who = input.kind ? `${input.kind} ${a.namespace}/${workload}` : `workload ${a.namespace}/${workload}`;
  const labels: Record<string, string> = {
    alertname: ANOMALY_ALERTNAME,
    severity: input.severity ?? "warning",
    signal: anomaly.signal,
    namespace: a.namespace,
    workload,
  };
  if (input.kind) labels[input.kind.toLowerCase()] = workload;
  for (const k of Object.keys(labels)) labels[k] = cut(redactText(labels[k]!), 1024);
  return {
    fingerprint: anomalyTaskName(input.config, a.namespace, workload, anomaly.signal).slice(-HEX),
    status: "firing",
    labels,
    annotations: {
      summary: cut(redactText(`${workload}: ${anomaly.message}`), LIMITS.text),
      description: cut(
        redactText(
          `The ${spec.label} of ${who} left its seasonal baseline (same time of day, same kind of day): ${anomaly.message}. Detected at ${iso(anomaly.detectedAt)}.`,
        ),
        LIMITS.text,
      ),
      value: spec.format(anomaly.value),
      expected: spec.format(anomaly.expected),
      score: `${anomaly.score.toFixed(1)} MAD`,
      detectedAt: iso(anomaly.detectedAt),
    },
    startsAt: iso(anomaly.start),
  };
}

/** The SreTask of an anomaly, in the AgentConfig's namespace (callers pass ownAnomalies only). */
export function anomalyTask(a: WorkloadAnomaly, input: AnomalyTaskInput): SreTask {
  const alert = anomalyAlert(a, input);
  const labels: Record<string, string> = {};
  const put = (key: string, value: string) => {
    const v = labelValue(value);
    if (v) labels[key] = v;
  };
  put(ANOMALY_LABELS.config, input.config);
  put(ANOMALY_LABELS.signal, a.anomaly.signal);
  put(ANOMALY_LABELS.workload, a.workload);
  put(ANOMALY_LABELS.alertname, ANOMALY_ALERTNAME);
  put(ANOMALY_LABELS.severity, input.severity ?? "warning");
  return {
    ...typeMeta("SreTask"),
    metadata: {
      name: anomalyTaskName(input.config, a.namespace, a.workload, a.anomaly.signal),
      namespace: input.namespace,
      labels,
    },
    spec: {
      type: "Diagnose",
      source: "Monitor",
      description: alert.annotations!.summary!,
      alert,
      agentConfigRef: { name: input.config },
    },
  };
}

/** One open anomaly task as the loop tracks it. */
export interface OpenAnomaly {
  task: string;
  signal: Signal;
  /** Consecutive evaluated cycles that did not flag it. */
  misses: number;
}

/** Open anomalies by anomalyKey. */
export type AnomalyStates = Map<string, OpenAnomaly>;

/** What one cycle asks the controller to do. */
export interface AnomalySteps {
  open: WorkloadAnomaly[];
  resolve: Array<{ key: string; state: OpenAnomaly }>;
}

/**
 * Steps the hysteresis: flagged anomalies not yet open are opened (and open ones reset their
 * misses); an open one counts a miss per cycle that evaluated its signal without flagging it,
 * and resolves at CLEAR_CYCLES. A signal the cycle could not read (a gap) counts no miss.
 */
export function stepAnomalies(
  states: AnomalyStates,
  found: readonly WorkloadAnomaly[],
  gapped: ReadonlySet<Signal>,
  clearCycles = CLEAR_CYCLES,
): AnomalySteps {
  const steps: AnomalySteps = { open: [], resolve: [] };
  const flagged = new Set<string>();
  for (const a of found) {
    const key = anomalyKey(a);
    if (flagged.has(key)) continue;
    flagged.add(key);
    const open = states.get(key);
    if (open) open.misses = 0;
    else steps.open.push(a);
  }
  for (const [key, state] of states) {
    if (flagged.has(key) || gapped.has(state.signal)) continue;
    state.misses++;
    if (state.misses >= clearCycles) steps.resolve.push({ key, state });
  }
  return steps;
}

/** The signals a cycle's gaps name ("5xx ratio: …" is errorRatio), which count no misses. */
export function gappedSignals(gaps: readonly string[]): Set<Signal> {
  const out = new Set<Signal>();
  for (const [signal, spec] of Object.entries(SIGNALS) as Array<[Signal, (typeof SIGNALS)[Signal]]>)
    if (gaps.some((g) => g.startsWith(`${spec.label}:`))) out.add(signal);
  return out;
}
