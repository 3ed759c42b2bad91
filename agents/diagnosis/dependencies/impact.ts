/** Groups the symptoms one failing dependency explains ("5 workloads fail because orders-db is down"). */
import type { Fault } from "../fault.ts";
import { publicRef, refKey, showRef } from "../refs.ts";
import type { Impact, ResourceRef } from "../types.ts";
import type { ClusterView } from "../view.ts";
import { linkOf } from "./links.ts";

function unique(refs: ResourceRef[]): ResourceRef[] {
  return [...new Map(refs.filter((r) => r.name).map((r) => [refKey(r), r])).values()];
}

function nameOf(dep: ResourceRef): string {
  return dep.kind === "Service" && dep.namespace && dep.name ? dep.name : dep.name || showRef(dep);
}

/** The impact of the root cause's dependency on other workloads, or undefined when it explains only itself. */
export function impactOf(_view: ClusterView, root: Fault, faults: Fault[]): Impact | undefined {
  const link = linkOf(root);
  if (!link) return undefined;
  const dep = refKey(link.dependency);
  // Every caller of the same dependency, whichever fault stands for it (one per caller when
  // each caller has its own DependencyUnavailable).
  const callers: ResourceRef[] = [];
  for (const f of faults) {
    const l = linkOf(f);
    if (l && (f === root || refKey(l.dependency) === dep)) callers.push(...l.callers);
  }
  const own = root.category === "DependencyUnavailable" ? [root.subject] : link.workloads;
  const ownKeys = new Set(own.map(refKey));
  const others = unique(callers).filter((c) => !ownKeys.has(refKey(c)));
  // A DependencyUnavailable with one caller explains only that caller.
  if (others.length === 0) return undefined;
  const n = root.category === "DependencyUnavailable" ? others.length + 1 : others.length;
  return {
    dependency: publicRef(link.dependency),
    affected: unique([...own, ...others]).map(publicRef),
    summary: `${n} workload${n === 1 ? " fails" : "s fail"} because ${nameOf(link.dependency)} ${link.state || "is down"}`,
  };
}
