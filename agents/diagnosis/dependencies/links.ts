/**
 * Which dependency a fault stands for and which workloads fail because of it: written by the
 * dependency walk, read by the grouping (impact.ts) and the DependencyUnavailable actions.
 * Keyed by the fault object, so it lives exactly as long as one diagnosis.
 */
import type { Fault } from "../fault.ts";
import { refKey } from "../refs.ts";
import type { ResourceRef } from "../types.ts";

/** The failing dependency behind a fault. */
export interface DependencyLink {
  /** The Service (present or not), pod, or `ExternalHost` the callers fail to reach. */
  dependency: ResourceRef;
  /** "is down", "does not exist", "has no ready endpoint", "is unreachable". */
  state: string;
  /** The workloads behind the dependency (they fail too), then the callers. */
  workloads: ResourceRef[];
  callers: ResourceRef[];
  /** A workload scaled to zero that would serve the dependency again with a replica. */
  scaleTarget?: ResourceRef;
}

const links = new WeakMap<Fault, DependencyLink>();

/** The dependency link of a fault, if the walk wrote one. */
export function linkOf(f: Fault): DependencyLink | undefined {
  return links.get(f);
}

/** Records that `caller` fails because of the dependency `fault` stands for. */
export function addCaller(f: Fault, base: Omit<DependencyLink, "callers">, caller: ResourceRef): void {
  const known = links.get(f);
  const l = known ?? { ...base, callers: [] };
  if (!l.callers.some((c) => refKey(c) === refKey(caller))) l.callers.push(caller);
  links.set(f, l);
}
