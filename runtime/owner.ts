import type { KubernetesObject, V1OwnerReference } from "@kubernetes/client-node";

/** Thrown when a child is already controlled by another owner (controller-runtime AlreadyOwnedError). */
export class AlreadyOwnedError extends Error {
  constructor(child: KubernetesObject, owner: V1OwnerReference) {
    super(
      `${child.kind ?? "object"} ${child.metadata?.name} is already controlled by ${owner.kind} ${owner.name}`,
    );
    this.name = "AlreadyOwnedError";
  }
}

/** Returns the controller owner reference to put on a child: controller and blockOwnerDeletion set. */
export function controllerRef(owner: KubernetesObject): V1OwnerReference {
  const { apiVersion, kind } = owner;
  const { name, uid } = owner.metadata ?? {};
  if (!apiVersion || !kind || !name || !uid)
    throw new Error("owner needs apiVersion, kind, metadata.name and uid");
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/** Returns the owner reference with controller=true, if any. */
export function getControllerOf(obj: KubernetesObject): V1OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** True when obj's controller reference points at owner (by uid). */
export function isControlledBy(obj: KubernetesObject, owner: KubernetesObject): boolean {
  return getControllerOf(obj)?.uid === owner.metadata?.uid;
}

/**
 * Returns a copy of child whose ownerReferences include owner as controller, so the
 * garbage collector deletes it with the owner and watches map it back to the owner.
 * Owner and child must share a namespace (or the owner be cluster-scoped).
 */
export function setControllerReference<T extends KubernetesObject>(owner: KubernetesObject, child: T): T {
  const ref = controllerRef(owner);
  const ownerNs = owner.metadata?.namespace;
  if (ownerNs && child.metadata?.namespace !== ownerNs) {
    throw new Error(
      `cross-namespace owner references are not allowed: ${ownerNs} vs ${child.metadata?.namespace}`,
    );
  }
  const existing = getControllerOf(child);
  if (existing && existing.uid !== ref.uid) throw new AlreadyOwnedError(child, existing);
  const others = (child.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
  return { ...child, metadata: { ...child.metadata, ownerReferences: [...others, ref] } };
}
