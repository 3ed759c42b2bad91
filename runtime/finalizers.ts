import { PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import type { KubeClient } from "../kube/kube-api.ts";

/** The finalizer this operator puts on objects whose deletion needs cleanup first. */
export const CLEANUP_FINALIZER = "aisre.io/cleanup";

/** The KubeClient calls finalizer helpers need; a narrow type so tests can fake it. */
export type FinalizerClient = Pick<KubeClient, "request" | "pathOf">;

/** True when obj carries the finalizer. */
export function hasFinalizer(obj: KubernetesObject, finalizer = CLEANUP_FINALIZER): boolean {
  return obj.metadata?.finalizers?.includes(finalizer) ?? false;
}

/** True when obj is being deleted (deletionTimestamp set), i.e. finalizers are running. */
export function isBeingDeleted(obj: KubernetesObject): boolean {
  return Boolean(obj.metadata?.deletionTimestamp);
}

/** Adds the finalizer unless present; returns the updated object (or obj when no write was needed). */
export async function addFinalizer<T extends KubernetesObject>(
  client: FinalizerClient,
  obj: T,
  finalizer = CLEANUP_FINALIZER,
): Promise<T> {
  if (hasFinalizer(obj, finalizer)) return obj;
  return writeFinalizers(client, obj, [...(obj.metadata?.finalizers ?? []), finalizer]);
}

/** Removes the finalizer if present; returns the updated object (or obj when no write was needed). */
export async function removeFinalizer<T extends KubernetesObject>(
  client: FinalizerClient,
  obj: T,
  finalizer = CLEANUP_FINALIZER,
): Promise<T> {
  if (!hasFinalizer(obj, finalizer)) return obj;
  return writeFinalizers(
    client,
    obj,
    (obj.metadata?.finalizers ?? []).filter((f) => f !== finalizer),
  );
}

// A merge patch replaces the whole list; the resourceVersion precondition turns a race
// with another writer into a 409 (retried by the reconcile) instead of a lost finalizer.
async function writeFinalizers<T extends KubernetesObject>(
  client: FinalizerClient,
  obj: T,
  finalizers: string[],
) {
  const patch = { metadata: { finalizers, resourceVersion: obj.metadata?.resourceVersion } };
  return client.request<T>("PATCH", await client.pathOf(obj), {
    body: patch,
    contentType: PatchStrategy.MergePatch,
  });
}
