import type { KubernetesObject } from "@kubernetes/client-node";

/** The annotation `kubectl apply` writes: a full copy of the object as last applied. */
export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * Returns the object without the fields no reader of a cache needs and that often weigh
 * more than the object itself: metadata.managedFields and the last-applied annotation.
 * A shallow copy: the input is never mutated.
 */
export function stripMetadata<T extends KubernetesObject>(obj: T): T {
  const meta = obj.metadata;
  if (!meta) return obj;
  const { managedFields: _managed, annotations, ...rest } = meta;
  const slim: KubernetesObject["metadata"] = rest;
  if (annotations) {
    const { [LAST_APPLIED]: _applied, ...kept } = annotations;
    if (Object.keys(kept).length > 0) slim.annotations = kept;
  }
  return { ...obj, metadata: slim };
}

/** One metadata.managedFields entry as kept by compactManagedFields. */
export interface CompactManagedEntry {
  manager?: string;
  operation?: string;
  time?: string;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}

// Two levels of fieldsV1 ("f:spec" → "f:approval") say which part a manager wrote; deeper levels
// (one key per list item of a large status) weigh most.
function shallow(fields: unknown, depth = 2): Record<string, unknown> | undefined {
  if (!fields || typeof fields !== "object") return undefined;
  if (depth === 0) return {};
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, shallow(v, depth - 1) ?? {}]));
}

/** managedFields reduced to who wrote which top-level part when; undefined when there are none. */
export function compactManagedFields(obj: KubernetesObject): CompactManagedEntry[] | undefined {
  type Raw = Omit<CompactManagedEntry, "time"> & { time?: string | Date };
  const list = (obj.metadata as { managedFields?: Raw[] } | undefined)?.managedFields;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.map(({ manager, operation, time, subresource, fieldsV1 }) => ({
    manager,
    operation,
    time: time instanceof Date ? time.toISOString() : time,
    ...(subresource ? { subresource } : {}),
    fieldsV1: shallow(fieldsV1),
  }));
}

/**
 * stripMetadata that keeps the managedFields of client writes compacted (compactManagedFields)
 * and drops those of subresources (the operator's own status writes, as large as the status):
 * the default cache transform of the operator's own kinds, whose readers ask only who wrote a
 * part of the object itself (which channel wrote a RemediationPlan's spec.approval).
 */
export function compactMetadata<T extends KubernetesObject>(obj: T): T {
  const slim = stripMetadata(obj);
  const managed = compactManagedFields(obj)?.filter((e) => !e.subresource);
  if (!managed?.length || !slim.metadata) return slim;
  return { ...slim, metadata: { ...slim.metadata, managedFields: managed } } as T;
}
