/**
 * The root-cause walk through dependencies (docs/diagnosis-dependencies.md): a failing caller
 * whose logs end on a failed call continues into the dependency. A dependency that serves
 * (ready pods) explains nothing; one that is down explains the caller by its own deepest
 * visible failure (followed through callers of callers); one that shows none, or is missing or
 * external, makes the caller's own DependencyUnavailable (built by the analyzer).
 */
import { isPodReady } from "../analyzers/util.ts";
import type { Fault } from "../fault.ts";
import { reachable } from "../graph.ts";
import type { Pod } from "../k8s.ts";
import { workloadOf } from "../owners.ts";
import { ref, refKey, refOf } from "../refs.ts";
import { workloadsSelectedBy } from "../selection.ts";
import type { Category, ResourceRef } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Caller, FailedCall } from "./callers.ts";
import type { Target } from "./resolve.ts";
import { manualEndpoints } from "./resolve.ts";

/** The caller's own failures a dependency can explain (a process that exits or turns unready on it). */
const EXPLAINABLE: readonly Category[] = ["CrashLoop", "ProbeFailure", "InitContainerFailure", "JobFailed"];
/** Symptoms of a dependency, never its cause. */
const SYMPTOMS: readonly Category[] = ["ServiceNoEndpoints", "DependencyUnavailable"];

/** Where one caller's walk ended. */
export interface Outcome {
  /** The faults that explain the caller: the dependency's deepest failures, or the caller's DependencyUnavailable. */
  terminal: Fault[];
  /** The call that ended the walk (at the last caller) and what it designates. */
  call: FailedCall;
  target: Target;
  /** The first caller's own failed call, when the walk went through other callers. */
  via?: FailedCall;
}

/** Builds the caller's DependencyUnavailable when the dependency shows no failure of its own. */
export type MakeUnavailable = (caller: Caller, call: FailedCall) => Fault;

/** True when the dependency has a ready pod (or address) on the port called: it is up. */
export function isUp(view: ClusterView, t: Target): boolean {
  if (t.kind === "pod") return isPodReady(t.pod);
  if (t.kind !== "service") return false;
  if (!t.portKnown) return false;
  if (t.pods.length === 0 && !t.pod) return manualEndpoints(view, t.service) > 0;
  return t.pods.some(isPodReady);
}

/** The workloads behind a Service or pod target (selected templates when no pod runs). */
export function targetWorkloads(view: ClusterView, t: Target): ResourceRef[] {
  if (t.kind === "pod") return [workloadOf(view, t.pod)];
  if (t.kind !== "service") return [];
  const ns = t.service.metadata?.namespace ?? "";
  const refs =
    t.pods.length > 0
      ? t.pods.map((p: Pod) => workloadOf(view, p))
      : workloadsSelectedBy(view, ns, t.service.spec?.selector).map(refOf);
  return [...new Map(refs.map((r) => [refKey(r), r])).values()];
}

function startOf(t: Target): ResourceRef | undefined {
  if (t.kind === "pod") return refOf(t.pod);
  if (t.kind !== "service") return undefined;
  return t.pod ? refOf(t.pod) : refOf(t.service);
}

function touches(f: Fault, keys: Set<string>): boolean {
  return keys.has(refKey(f.subject)) || keys.has(refKey(f.resource)) || f.pods.some((p) => keys.has(p));
}

/** The walk over every caller; the analyzer applies the outcomes. */
export class DependencyWalk {
  private readonly memo = new Map<string, Outcome | undefined>();
  private readonly visiting = new Set<string>();
  private readonly view: ClusterView;
  private readonly faults: Fault[];
  private readonly callers: Map<string, Caller>;
  private readonly makeUnavailable: MakeUnavailable;

  constructor(view: ClusterView, faults: Fault[], callers: Map<string, Caller>, make: MakeUnavailable) {
    this.view = view;
    this.faults = faults;
    this.callers = callers;
    this.makeUnavailable = make;
  }

  /** Where the walk from one caller ends, or undefined when its dependencies explain nothing. */
  outcome(key: string): Outcome | undefined {
    if (this.memo.has(key)) return this.memo.get(key);
    if (this.visiting.has(key)) return undefined;
    this.visiting.add(key);
    const caller = this.callers.get(key)!;
    let result: Outcome | undefined;
    if (!this.explained(caller))
      for (const call of caller.calls) if ((result = this.follow(key, caller, call))) break;
    this.visiting.delete(key);
    this.memo.set(key, result);
    return result;
  }

  /**
   * True when another cause already explains the caller: a policy, DNS, RBAC or a certificate
   * (their analyzers decide), a bad rollout, or a failure of its own that no dependency causes
   * (an OOM kill, an image that cannot be pulled, a node that is down).
   */
  private explained(caller: Caller): boolean {
    const pods = new Set(caller.pods.map((p) => refKey(refOf(p))));
    const k = refKey(caller.workload);
    return this.faults.some(
      (f) =>
        !f.absorbedBy &&
        f.severity !== "info" &&
        !EXPLAINABLE.includes(f.category) &&
        !SYMPTOMS.includes(f.category) &&
        (refKey(f.subject) === k || f.pods.some((p) => pods.has(p))),
    );
  }

  private follow(key: string, caller: Caller, call: FailedCall): Outcome | undefined {
    const t = call.target;
    if (t.kind === "service" || t.kind === "pod") {
      if (isUp(this.view, t)) return undefined;
      for (const w of targetWorkloads(this.view, t)) {
        const wk = refKey(w);
        const deeper = wk !== key && this.callers.has(wk) ? this.outcome(wk) : undefined;
        if (deeper) return { ...deeper, via: call };
      }
      const seen = this.visible(t, key);
      if (seen.length > 0) return { terminal: seen, call, target: t };
    }
    return { terminal: [this.makeUnavailable(caller, call)], call, target: t };
  }

  /** The dependency's own failures: faults on what it needs, symptoms and the caller left out. */
  private visible(t: Target, callerKey: string): Fault[] {
    const start = startOf(t);
    if (!start) return [];
    const keys = reachable(this.view, [start]);
    return this.faults.filter(
      (f) =>
        !f.absorbedBy &&
        f.severity !== "info" &&
        !SYMPTOMS.includes(f.category) &&
        refKey(f.subject) !== callerKey &&
        touches(f, keys),
    );
  }
}

/** The reference the grouping names for a target: the Service (present or not), pod, or external host. */
export function dependencyRef(t: Target): ResourceRef {
  switch (t.kind) {
    case "service":
      return t.pod ? refOf(t.pod) : refOf(t.service);
    case "pod":
      return refOf(t.pod);
    case "missing":
      return ref("Service", t.namespace, t.name);
    case "external":
      return { kind: "ExternalHost", namespace: "", name: t.port ? `${t.host}:${t.port}` : t.host };
    default:
      return { kind: "Pod", namespace: "", name: "" };
  }
}
