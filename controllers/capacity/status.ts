/**
 * status.monitoring.capacity of an AgentConfig: when the capacity loop last ran, how many
 * Capacity tasks it has open, how many forecasts fell inside the horizon, and its evidence gaps.
 * Only this sub-field is touched: the checks, anomaly and rollout loops share status.monitoring.
 */
import type { AgentConfigStatus } from "../../crds/index.ts";
import { LIMITS } from "../../crds/index.ts";
import { redactText } from "../../redact/index.ts";
import { formatTime } from "../../runtime/index.ts";

/** One cycle of the capacity loop. */
export interface CapacityCycle {
  at: number;
  open: number;
  found: number;
  gaps: readonly string[];
}

const cut = (text: string, max = LIMITS.message): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** Writes the cycle into status.monitoring.capacity, leaving every other field as it is. */
export function recordCapacity(status: AgentConfigStatus, c: CapacityCycle): void {
  status.monitoring = {
    ...status.monitoring,
    capacity: {
      lastEvaluation: formatTime(c.at),
      open: c.open,
      found: c.found,
      gaps: c.gaps.slice(0, 20).map((g) => cut(redactText(g))),
    },
  };
}

/** Removes status.monitoring.capacity (the loop was disabled); status.monitoring goes when empty. */
export function clearCapacity(status: AgentConfigStatus): void {
  if (!status.monitoring?.capacity) return;
  const { capacity: _gone, ...rest } = status.monitoring;
  if (Object.keys(rest).length) status.monitoring = rest;
  else delete status.monitoring;
}
