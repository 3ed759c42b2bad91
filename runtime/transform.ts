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
