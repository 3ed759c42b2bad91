/**
 * When an object's content last changed, read from `metadata.managedFields`: each entry
 * records the time a field manager last wrote the fields it owns, so an entry owning
 * `f:data` says when the data was last written (docs/diagnosis-change.md).
 */
import type { K8sObject } from "../k8s.ts";
import { toMs } from "../k8s.ts";

/** One `metadata.managedFields` entry as the API server returns it. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  time?: string | Date;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}

/** The managedFields of an object (an empty list when the snapshot dropped them). */
export function managedFields(obj: K8sObject): ManagedFieldsEntry[] {
  const list = (obj.metadata as { managedFields?: unknown } | undefined)?.managedFields;
  return Array.isArray(list) ? (list as ManagedFieldsEntry[]) : [];
}

/** True when fieldsV1 owns the path, e.g. ["f:spec", "f:taints"]. */
function owns(fields: Record<string, unknown> | undefined, path: readonly string[]): boolean {
  let at: unknown = fields;
  for (const step of path) {
    if (!at || typeof at !== "object" || !(step in at)) return false;
    at = (at as Record<string, unknown>)[step];
  }
  return true;
}

/**
 * The times (ms, newest first) at which a client (operation Update or Apply, not a status
 * subresource) wrote any of the given field paths. Creation writes count too: callers compare
 * with creationTimestamp when they need "edited after creation".
 */
export function writeTimes(obj: K8sObject, paths: readonly (readonly string[])[]): number[] {
  const out: number[] = [];
  for (const e of managedFields(obj)) {
    if (e.operation !== "Update" && e.operation !== "Apply") continue;
    if (e.subresource) continue;
    if (!paths.some((p) => owns(e.fieldsV1, p))) continue;
    const t = toMs(e.time);
    if (t !== undefined) out.push(t);
  }
  return out.sort((a, b) => b - a);
}

/** The newest write time of the given paths not after `notAfter`, or undefined. */
export function lastWriteBefore(
  obj: K8sObject,
  paths: readonly (readonly string[])[],
  notAfter: number,
): number | undefined {
  return writeTimes(obj, paths).find((t) => t <= notAfter);
}

/** Field paths of the data of a ConfigMap or Secret. */
export const DATA_PATHS = [["f:data"], ["f:stringData"], ["f:binaryData"]] as const;
/** Field paths of a node's taints. */
export const TAINT_PATHS = [["f:spec", "f:taints"]] as const;
/** Field paths of an object's spec. */
export const SPEC_PATHS = [["f:spec"]] as const;
/** Field paths of RBAC objects' content. */
export const RBAC_PATHS = [["f:rules"], ["f:subjects"], ["f:roleRef"], ["f:aggregationRule"]] as const;
