/** metav1.ConditionStatus. */
export type ConditionStatus = "True" | "False" | "Unknown";

/** metav1.Condition: what `kubectl describe` and `kubectl wait --for=condition=` read. */
export interface Condition {
  type: string;
  status: ConditionStatus;
  /** CamelCase machine-readable reason. */
  reason: string;
  message: string;
  /** RFC 3339, second precision; changes only when status flips. */
  lastTransitionTime: string;
  /** The metadata.generation the condition was computed from. */
  observedGeneration?: number;
}

/** A condition to set; lastTransitionTime defaults to now when the status changes. */
export type NewCondition = Omit<Condition, "lastTransitionTime"> & { lastTransitionTime?: string };

/** Formats a time like metav1.Time (RFC 3339, whole seconds, UTC). */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * Returns conditions with `next` set, with meta.SetStatusCondition semantics:
 * lastTransitionTime is kept unless the status flips, so rewriting an unchanged
 * condition is a no-op (and the status writer skips the write).
 */
export function setCondition(
  conditions: Condition[] | undefined,
  next: NewCondition,
  now = Date.now(),
): Condition[] {
  const list = conditions ?? [];
  const existing = list.find((c) => c.type === next.type);
  if (!existing)
    return [...list, { ...next, lastTransitionTime: next.lastTransitionTime ?? formatTime(now) }];
  const lastTransitionTime =
    existing.status === next.status
      ? existing.lastTransitionTime
      : (next.lastTransitionTime ?? formatTime(now));
  const updated: Condition = { ...next, lastTransitionTime };
  if (next.observedGeneration === undefined) delete updated.observedGeneration;
  return list.map((c) => (c === existing ? updated : c));
}

/** Returns conditions without the given type. */
export function removeCondition(conditions: Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/** Returns the condition of the given type. */
export function findCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}

/** True when the condition exists with status "True". */
export function isTrue(conditions: Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === "True";
}

/** True when the condition exists with status "False". */
export function isFalse(conditions: Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === "False";
}

/** True when the condition is missing or "Unknown". */
export function isUnknown(conditions: Condition[] | undefined, type: string): boolean {
  const c = findCondition(conditions, type);
  return !c || c.status === "Unknown";
}
