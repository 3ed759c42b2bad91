/**
 * What rollout verification writes on its AgentConfig: status.monitoring.rollouts only (other
 * loops write their own sub-fields of the same object), redacted gaps.
 */
import type { AgentConfigStatus } from "../../crds/index.ts";
import { LIMITS } from "../../crds/index.ts";
import { redactText } from "../../redact/index.ts";
import { formatTime } from "../../runtime/index.ts";

/** One evaluation as status shows it. */
export interface RolloutEvaluation {
  at: number;
  open: number;
  found: number;
  gaps: string[];
}

const cut = (text: string, max = LIMITS.message): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** Sets status.monitoring.rollouts, leaving every other field as it was. */
export function recordRollouts(status: AgentConfigStatus, e: RolloutEvaluation): void {
  status.monitoring = {
    ...status.monitoring,
    rollouts: {
      lastEvaluation: formatTime(e.at),
      open: e.open,
      found: e.found,
      gaps: e.gaps.slice(0, 20).map((g) => cut(redactText(g))),
    },
  };
}

/** Removes status.monitoring.rollouts once verification is switched off. */
export function clearRollouts(status: AgentConfigStatus): void {
  if (!status.monitoring?.rollouts) return;
  const { rollouts: _gone, ...rest } = status.monitoring;
  status.monitoring = rest;
}
