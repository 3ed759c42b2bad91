/**
 * The root-cause walk (docs/diagnosis.md §3). With a focus, the candidates are the
 * faults reachable from it on the dependency graph, and the deepest one wins
 * (a Service without endpoints loses to the CrashLoop of its pods; a pod fault
 * attributed to its Node or PVC already names that deeper subject). Without a
 * focus, every fault is walked to its own deepest cause and the independent
 * causes are ranked by severity and blast radius.
 */
import { factsOf } from "./analyzers/registry.ts";
import type { Fault } from "./fault.ts";
import { severityRank } from "./fault.ts";
import type { FocusRefs } from "./focus.ts";
import { reachable } from "./graph.ts";
import { refKey } from "./refs.ts";
import { CATEGORIES } from "./types.ts";
import type { Category } from "./types.ts";
import type { ClusterView } from "./view.ts";

/** Position on the chain Ingress → Service → workload → pod/container → storage/node; deeper wins. */
export const LAYER = Object.fromEntries(CATEGORIES.map((c) => [c, factsOf(c).depth])) as Record<
  Category,
  number
>;

/** Faults that can be a root cause: not absorbed by a higher-level explanation. */
function eligible(faults: Fault[]): Fault[] {
  return faults.filter((f) => !f.absorbedBy);
}

function touches(f: Fault, keys: Set<string>): boolean {
  return keys.has(refKey(f.subject)) || keys.has(refKey(f.resource)) || f.pods.some((p) => keys.has(p));
}

function deeperFirst(a: Fault, b: Fault): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    LAYER[b.category] - LAYER[a.category] ||
    b.strength - a.strength ||
    b.pods.length - a.pods.length
  );
}

/** The deepest fault reachable from the starting keys (info faults only when they sit on a start). */
function deepestFrom(view: ClusterView, faults: Fault[], starts: Fault["subject"][]): Fault | undefined {
  const keys = reachable(view, starts);
  const startKeys = new Set(starts.map(refKey));
  const candidates = faults.filter(
    (f) => touches(f, keys) && (f.severity !== "info" || touches(f, startKeys)),
  );
  return candidates.sort(deeperFirst)[0];
}

export interface Ranked {
  root?: Fault;
  /** Other independent causes, best first (for findings order and confidence). */
  others: Fault[];
}

function impact(f: Fault, served: Set<string>): number {
  const userFacing = f.pods.some((p) => served.has(p)) ? 5 : 0;
  return Math.min(f.pods.length, 1000) + userFacing;
}

/** Keys of pods some Service selects (user-facing pods). */
function servedPods(view: ClusterView): Set<string> {
  const out = new Set<string>();
  for (const svc of view.list<{ spec?: { selector?: Record<string, string> } }>("Service")) {
    const ns = (svc as { metadata?: { namespace?: string } }).metadata?.namespace ?? "";
    for (const p of view.podsSelected(ns, svc.spec?.selector))
      out.add(refKey({ kind: "Pod", namespace: ns, name: p.metadata?.name ?? "" }));
  }
  return out;
}

function globalRank(view: ClusterView, faults: Fault[], namespace?: string): Ranked {
  const roots = new Map<string, Fault>();
  const pool = faults.filter(
    (f) =>
      f.severity !== "info" &&
      (!namespace || f.subject.namespace === namespace || f.resource.namespace === namespace),
  );
  for (const f of pool) {
    const root = deepestFrom(view, faults, [f.subject, f.resource]) ?? f;
    const use = severityRank(root.severity) >= severityRank(f.severity) ? root : f;
    roots.set(`${use.category}|${refKey(use.subject)}`, use);
  }
  const served = servedPods(view);
  const ranked = [...roots.values()].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      impact(b, served) - impact(a, served) ||
      LAYER[b.category] - LAYER[a.category] ||
      b.strength - a.strength,
  );
  return { root: ranked[0], others: ranked.slice(1) };
}

/** Picks the root cause: deepest from the focus when there is one, else the top independent cause. */
export function rankRootCause(view: ClusterView, faults: Fault[], focus: FocusRefs): Ranked {
  const usable = eligible(faults);
  if (focus.refs.length > 0) {
    const root = deepestFrom(view, usable, focus.refs);
    if (root) return { root, others: globalRank(view, usable).others.filter((f) => f !== root) };
  }
  if (focus.namespace) {
    const scoped = globalRank(view, usable, focus.namespace);
    if (scoped.root) return scoped;
  }
  return globalRank(view, usable);
}
