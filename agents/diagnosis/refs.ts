/** Resource references and the string keys the indexes use. */
import type { K8sObject } from "./k8s.ts";
import type { ObjectRef, ResourceRef } from "./types.ts";

/** Kinds without a namespace. */
const CLUSTER_SCOPED = new Set([
  "node",
  "persistentvolume",
  "storageclass",
  "ingressclass",
  "namespace",
  "validatingwebhookconfiguration",
  "mutatingwebhookconfiguration",
  "clusterrole",
  "clusterrolebinding",
  "priorityclass",
  "customresourcedefinition",
]);

/** True when objects of this kind live outside namespaces. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind.toLowerCase());
}

/** The index key of kind/namespace/name; kinds compare case-insensitively. */
export function key(kind: string, namespace: string | undefined, name: string): string {
  const ns = isClusterScoped(kind) ? "" : (namespace ?? "");
  return `${kind.toLowerCase()}/${ns}/${name}`;
}

/** The index key of a reference. */
export function refKey(ref: ResourceRef): string {
  return key(ref.kind, ref.namespace, ref.name);
}

/** The reference of an object. */
export function refOf(obj: K8sObject): ResourceRef {
  const kind = obj.kind ?? "Unknown";
  return {
    kind,
    namespace: isClusterScoped(kind) ? "" : (obj.metadata?.namespace ?? ""),
    name: obj.metadata?.name ?? "",
  };
}

/** Builds a reference, clearing the namespace of cluster-scoped kinds. */
export function ref(kind: string, namespace: string | undefined, name: string): ResourceRef {
  return { kind, namespace: isClusterScoped(kind) ? "" : (namespace ?? ""), name };
}

/** "Kind ns/name" or "Kind name" for people. */
export function showRef(r: ObjectRef): string {
  return r.namespace ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`;
}

/** True when two references name the same object. */
export function sameRef(a: ResourceRef, b: ResourceRef): boolean {
  return refKey(a) === refKey(b);
}

/** The printed form of a reference: no namespace for cluster-scoped kinds. */
export function publicRef(r: ResourceRef): ObjectRef {
  return r.namespace
    ? { kind: r.kind, namespace: r.namespace, name: r.name }
    : { kind: r.kind, name: r.name };
}
