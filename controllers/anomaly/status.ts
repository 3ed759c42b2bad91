/**
 * What the anomaly loop writes on its AgentConfig: status.monitoring.anomaly only (the checks,
 * capacity and rollout loops write the other sub-fields of the same object).
 */
import type { AgentConfigStatus } from "../../crds/index.ts";
import { LIMITS } from "../../crds/index.ts";
import { redactText } from "../../redact/index.ts";
import { formatTime } from "../../runtime/index.ts";

/** One anomaly cycle as status shows it. */
export interface AnomalySummary {
  at: number;
  open: number;
  found: number;
  gaps: string[];
}

const MAX_GAPS = 20;
const cut = (text: string, max = LIMITS.message): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** Records a cycle in status.monitoring.anomaly, leaving the other loops' fields alone. */
export function recordAnomalyCycle(status: AgentConfigStatus, s: AnomalySummary): void {
  status.monitoring = {
    ...status.monitoring,
    anomaly: {
      lastEvaluation: formatTime(s.at),
      open: s.open,
      found: s.found,
      gaps: s.gaps.slice(0, MAX_GAPS).map((g) => cut(redactText(g))),
    },
  };
}

/** Removes status.monitoring.anomaly once detection is turned off. */
export function clearAnomalyStatus(status: AgentConfigStatus): void {
  if (!status.monitoring?.anomaly) return;
  const { anomaly: _gone, ...rest } = status.monitoring;
  if (Object.keys(rest).length) status.monitoring = rest;
  else delete status.monitoring;
}
