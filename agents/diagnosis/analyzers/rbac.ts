/**
 * RBACForbidden: an application's API calls are refused because its ServiceAccount lacks a
 * permission. Read from the API server's forbidden message in the pod's logs; offline, the
 * snapshot's Roles, ClusterRoles and bindings are evaluated for that ServiceAccount: a
 * permission they do grant (the log is older than the fix) raises nothing. Live, a
 * SubjectAccessReview would confirm it; the engine is pure and does not issue one.
 */
import { rec } from "../catalog.ts";
import type { Fault } from "../fault.ts";
import { worse } from "../fault.ts";
import type { Pod } from "../k8s.ts";
import { workloadOf } from "../owners.ts";
import type { BoundRole, Forbidden } from "../rbac.ts";
import { bindingsFor, hasRbac, parseForbidden, showBinding, showPermission } from "../rbac.ts";
import { refKey, refOf } from "../refs.ts";
import type { Recommendation } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer, AnalyzerInput } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { excerpt, isFailing, matchingLines, unescapeQuotes } from "./pod-logs.ts";

const FORBIDDEN = /cannot [a-z]+ .*(in the namespace|at the cluster scope|in API group)/;

function fixText(f: Forbidden): string {
  const rule = `{apiGroups: ["${f.group}"], resources: ["${f.resource}${f.subresource ? `/${f.subresource}` : ""}"], verbs: ["${f.verb}"]}`;
  const where = f.scope
    ? `a Role in namespace ${f.scope} with rule ${rule} and a RoleBinding in ${f.scope}`
    : `a ClusterRole with rule ${rule} and a ClusterRoleBinding`;
  return `grant ServiceAccount ${f.namespace}/${f.serviceAccount} the missing permission: ${where} naming the ServiceAccount as subject; then restart the workload`;
}

function evidenceOf(view: ClusterView, f: Forbidden, bound: BoundRole[]): string[] {
  const out = [
    `missing permission: ${showPermission(f)}`,
    `ServiceAccount ${f.namespace}/${f.serviceAccount}`,
  ];
  if (!hasRbac(view))
    return [...out, "the snapshot carries no Roles or bindings: the permission was not evaluated"];
  if (bound.length === 0) return [...out, "no RoleBinding or ClusterRoleBinding names this ServiceAccount"];
  for (const b of bound) out.push(`bound by ${showBinding(b)}: does not grant it`);
  return out;
}

interface Hit {
  pod: Pod;
  forbidden: Forbidden;
  line: string;
}

function hitsOf(view: ClusterView): Hit[] {
  const hits: Hit[] = [];
  for (const pod of view.list<Pod>("Pod")) {
    const lines = matchingLines(view, pod, FORBIDDEN, 3);
    for (const l of lines) {
      const forbidden = parseForbidden(l.line);
      if (forbidden) {
        hits.push({
          pod,
          forbidden,
          line: `${l.container}${l.previous ? " (previous run)" : ""}: ${excerpt(unescapeQuotes(l.line), /User "system:/)}`,
        });
        break;
      }
    }
  }
  return hits;
}

/** RBACForbidden faults, one per workload and missing permission. */
export function analyzeRbac(view: ClusterView): Fault[] {
  const groups = new Map<string, Fault>();
  for (const h of hitsOf(view)) {
    const bound = hasRbac(view) ? bindingsFor(view, h.forbidden) : [];
    if (bound.some((b) => b.grants)) continue;
    const subject = workloadOf(view, h.pod);
    const failing = isFailing(h.pod);
    const key = `${refKey(subject)}|${showPermission(h.forbidden)}`;
    const known = groups.get(key);
    if (known) {
      known.pods.push(refKey(refOf(h.pod)));
      if (failing) known.severity = worse(known.severity, "critical");
      continue;
    }
    groups.set(key, {
      category: "RBACForbidden",
      severity: failing ? "critical" : "warning",
      resource: refOf(h.pod),
      subject,
      message: `${subject.name} is refused by the API server: ServiceAccount ${h.forbidden.namespace}/${h.forbidden.serviceAccount} cannot ${showPermission(h.forbidden)}`,
      evidence: [h.line, ...evidenceOf(view, h.forbidden, bound)],
      pods: [refKey(refOf(h.pod))],
      facts: { detail: fixText(h.forbidden), object: showPermission(h.forbidden), lastLog: h.line },
      strength: hasRbac(view) ? 0.9 : 0.7,
    });
  }
  return [...groups.values()];
}

/** The pod faults this cause explains: the same workload's crash loop or failing probes. */
function absorb(input: AnalyzerInput, faults: Fault[]): Fault[] {
  const subjects = new Set(faults.map((f) => refKey(f.subject)));
  for (const f of input.faultsOf("pods"))
    if (["CrashLoop", "ProbeFailure"].includes(f.category) && subjects.has(refKey(f.subject)))
      f.absorbedBy = "RBACForbidden";
  return faults;
}

function grant(f: Fault): Recommendation[] {
  return f.facts.detail ? [rec("RunbookOnly", f.subject, f.facts.detail)] : [];
}

/** Applications refused by RBAC. */
export const rbacAnalyzer: Analyzer = {
  name: "rbac",
  categories: ["RBACForbidden"],
  needs: ["pods"],
  owns: [
    {
      category: "RBACForbidden",
      depth: DEPTH.infrastructure,
      runbook:
        "find the verb and resource in the forbidden message, then add a Role/ClusterRole rule and a binding for the workload's ServiceAccount (kubectl auth can-i VERB RESOURCE --as=system:serviceaccount:NS:SA checks it)",
      actions: grant,
    },
  ],
  analyze: (input) => absorb(input, analyzeRbac(input.view)),
};
