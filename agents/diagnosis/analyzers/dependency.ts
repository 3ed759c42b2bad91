/**
 * Dependencies (docs/diagnosis-dependencies.md): a failing workload whose logs end on a failed
 * call continues the walk into what it calls. The dependency's own deepest failure explains
 * it (the caller's crash loop is absorbed, its pods join that fault); a dependency that shows
 * no failure of its own (a missing Service, no ready endpoint, an external host) makes
 * DependencyUnavailable on the caller. Policies, DNS, RBAC and certificates keep their answer.
 */
import { rec } from "../catalog.ts";
import type { Fault } from "../fault.ts";
import { severityRank, worse } from "../fault.ts";
import type { Caller, FailedCall } from "../dependencies/callers.ts";
import { failingCallers } from "../dependencies/callers.ts";
import type { DependencyLink } from "../dependencies/links.ts";
import { addCaller, linkOf } from "../dependencies/links.ts";
import { unavailability } from "../dependencies/reason.ts";
import type { Outcome } from "../dependencies/walk.ts";
import { dependencyRef, DependencyWalk, targetWorkloads } from "../dependencies/walk.ts";
import { refKey, refOf, showRef } from "../refs.ts";
import type { Category, Recommendation, Severity } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer, AnalyzerInput } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { isPodReady } from "./util.ts";

/** The caller's own faults a dependency explains. */
const ABSORBED: readonly Category[] = ["CrashLoop", "ProbeFailure", "InitContainerFailure", "JobFailed"];

/** The analyzers whose faults can be a dependency's own failure (or explain the caller). */
const NEEDS = [
  "rollouts",
  "jobs",
  "pods",
  "nodes",
  "pvcs",
  "creation",
  "hpas",
  "services",
  "ingresses",
  "webhooks",
  "rbac",
  "dns",
  "networkpolicies",
  "certificates",
] as const;

function ownFaults(faults: Fault[], caller: Caller): Fault[] {
  const k = refKey(caller.workload);
  return faults.filter((f) => !f.absorbedBy && ABSORBED.includes(f.category) && refKey(f.subject) === k);
}

function unavailable(view: ClusterView, faults: Fault[], caller: Caller, call: FailedCall): Fault {
  const r = unavailability(view, caller, call);
  const own = ownFaults(faults, caller);
  const anyReady = caller.pods.some(isPodReady);
  const start: Severity = anyReady ? "warning" : "critical";
  const severity = own.reduce<Severity>((s, f) => worse(s, f.severity), start);
  return {
    category: "DependencyUnavailable",
    severity,
    resource: refOf(call.pod),
    subject: caller.workload,
    message: `${caller.workload.name} cannot reach ${r.host}: ${r.why}`,
    evidence: r.evidence,
    pods: caller.pods.map((p) => refKey(refOf(p))),
    facts: { detail: r.fix, lastLog: call.line, object: r.host },
    strength: r.strength,
  };
}

function linkBase(view: ClusterView, caller: Caller, o: Outcome): Omit<DependencyLink, "callers"> {
  const r = o.terminal[0]!;
  const scale =
    r.category === "DependencyUnavailable" ? unavailability(view, caller, o.call).scaleTarget : undefined;
  return {
    dependency: dependencyRef(o.target),
    state: r.category === "DependencyUnavailable" ? stateOf(r) : "is down",
    workloads: targetWorkloads(view, o.target),
    ...(scale ? { scaleTarget: scale } : {}),
  };
}

function stateOf(f: Fault): string {
  if (/does not exist/.test(f.message)) return "does not exist";
  if (/scaled to 0/.test(f.message)) return "is scaled to zero";
  if (/external host/.test(f.message)) return "is unreachable";
  return "has no ready endpoint";
}

/** The caller's faults join the cause that explains them: absorbed, their pods and a line added to it. */
function apply(view: ClusterView, faults: Fault[], caller: Caller, o: Outcome): void {
  const own = ownFaults(faults, caller);
  const key = refKey(caller.workload);
  const base = linkBase(view, caller, o);
  for (const f of own) f.absorbedBy = o.terminal[0]!.category;
  for (const t of o.terminal) {
    addCaller(t, base, caller.workload);
    if (refKey(t.subject) === key) continue;
    const known = new Set(t.pods);
    t.pods.push(...caller.pods.map((p) => refKey(refOf(p))).filter((p) => !known.has(p)));
    for (const f of own) if (severityRank(f.severity) > severityRank(t.severity)) t.severity = f.severity;
    if (t.evidence.length < 12)
      t.evidence.push(`explains ${showRef(caller.workload)}: ${(o.via ?? o.call).line}`);
  }
}

/** DependencyUnavailable faults, after walking every failing caller into what it calls. */
export function analyzeDependencies(input: AnalyzerInput): Fault[] {
  const view = input.view;
  const callers = failingCallers(view);
  if (callers.size === 0) return [];
  const faults = NEEDS.flatMap((n) => input.faultsOf(n));
  const created: Fault[] = [];
  const make = (caller: Caller, call: FailedCall): Fault => {
    const f = unavailable(view, faults, caller, call);
    created.push(f);
    return f;
  };
  const walk = new DependencyWalk(view, faults, callers, make);
  const outcomes = [...callers.keys()].map((k) => [k, walk.outcome(k)] as const);
  for (const [k, o] of outcomes) if (o) apply(view, faults, callers.get(k)!, o);
  return created;
}

function actions(f: Fault): Recommendation[] {
  const out: Recommendation[] = [];
  const scale = linkOf(f)?.scaleTarget;
  if (scale)
    out.push(
      rec("ScaleWorkload", scale, `${showRef(scale)} is scaled to 0, so nothing serves ${f.facts.object}`, {
        replicas: 1,
      }),
    );
  if (f.facts.detail) out.push(rec("RunbookOnly", f.subject, f.facts.detail));
  return out;
}

/** Workloads failing because a service they call is down, missing or outside the cluster. */
export const dependencyAnalyzer: Analyzer = {
  name: "dependencies",
  categories: ["DependencyUnavailable"],
  needs: NEEDS,
  owns: [
    {
      category: "DependencyUnavailable",
      depth: DEPTH.infrastructure,
      runbook:
        "check the dependency the failing workload calls: that its Service exists in the namespace the client resolves, has ready endpoints on the port called (kubectl get endpointslices -l kubernetes.io/service-name=NAME), and for an outside host that it answers from the cluster (egress, firewall, the provider's status); then fix the host in the workload's configuration or bring the dependency back",
      actions,
    },
  ],
  analyze: analyzeDependencies,
};
