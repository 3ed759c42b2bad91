/**
 * The alert-grouping settings of an AgentConfig (docs/alert-storms.md) and the timings derived
 * from them. Grouping is on when the AgentConfig has spec.alertGrouping (its fields default to
 * enabled and 300 s); an AgentConfig without it keeps one notification per alert.
 */
import type { AgentConfig, SreTask } from "../../crds/index.ts";

/** The effective grouping settings, or undefined when grouping is off. */
export interface GroupingSettings {
  windowMs: number;
  /** How long a primary's first notification waits for the rest of its storm. */
  graceMs: number;
}

/** The longest a primary's first notification is held: a storm arriving together is sent once. */
export const MAX_GRACE_MS = 30_000;

/** The grouping settings of an AgentConfig; undefined when it is absent, disabled or has no alertGrouping. */
export function groupingSettings(config: AgentConfig | undefined): GroupingSettings | undefined {
  const spec = config?.spec.alertGrouping;
  if (!spec || spec.enabled === false) return undefined;
  const windowMs = (spec.windowSeconds ?? 300) * 1000;
  return { windowMs, graceMs: Math.min(windowMs, MAX_GRACE_MS) };
}

/** When a task's alert arrived (ms): its creation, which orders a storm as it came in; else status.startTime. */
export function taskStart(task: SreTask): number {
  const at = Date.parse(String(task.metadata.creationTimestamp ?? task.status?.startTime ?? ""));
  return Number.isNaN(at) ? 0 : at;
}

/** True for tasks born of an alert (Alertmanager or a monitor check): only these group. */
export function isAlertTask(task: SreTask): boolean {
  return task.spec.alert !== undefined;
}
