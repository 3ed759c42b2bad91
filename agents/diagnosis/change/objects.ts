/**
 * Changes to the objects around the failing pods: the ConfigMaps and Secrets they read
 * (data writes in managedFields), NetworkPolicies selecting them, the RBAC objects of their
 * ServiceAccount, and their nodes (joined, taints written).
 */
import type { K8sObject, Node, Pod } from "../k8s.ts";
import { toMs } from "../k8s.ts";
import type { Binding } from "../rbac.ts";
import { key, refOf } from "../refs.ts";
import { matches } from "../selectors.ts";
import type { LabelSelector } from "../k8s.ts";
import type { ClusterView } from "../view.ts";
import type { Candidate, ChangeClass } from "./candidate.ts";
import { DATA_PATHS, RBAC_PATHS, SPEC_PATHS, TAINT_PATHS, writeTimes } from "./managed-fields.ts";
import type { Scope } from "./scope.ts";

/** A write within this long after creation is the creation itself (kubectl create, then apply). */
const CREATION_SLACK_MS = 5_000;

/** Creation, then every later write of the paths, as candidates. */
function lifecycle(
  obj: K8sObject,
  cls: ChangeClass,
  paths: readonly (readonly string[])[],
  edited: string,
  created = "created",
): Candidate[] {
  const born = toMs(obj.metadata?.creationTimestamp);
  const out: Candidate[] = [];
  if (born !== undefined) out.push({ ref: refOf(obj), at: born, what: created, cls });
  for (const t of writeTimes(obj, paths))
    if (born === undefined || t > born + CREATION_SLACK_MS)
      out.push({ ref: refOf(obj), at: t, what: edited, cls });
  return out;
}

/** Configuration created with its workload is part of the deployment, not a change to it. */
const DEPLOYED_WITH_MS = 60_000;

/** ConfigMaps and Secrets the failing pods read. */
export function configChanges(view: ClusterView, scope: Scope): Candidate[] {
  const out: Candidate[] = [];
  const born = Math.min(...scope.workloads.map((w) => toMs(w.metadata?.creationTimestamp) ?? Infinity));
  for (const k of scope.configs) {
    const [kind, ns, ...rest] = k.split("/");
    const obj = view.get(kind === "secret" ? "Secret" : "ConfigMap", ns ?? "", rest.join("/"));
    if (!obj) continue;
    out.push(
      ...lifecycle(obj, "config", DATA_PATHS, "data changed").filter(
        (c) => c.what !== "created" || c.at > born + DEPLOYED_WITH_MS,
      ),
    );
  }
  return out;
}

interface NetworkPolicy extends K8sObject {
  spec?: { podSelector?: LabelSelector };
}

/** NetworkPolicies that select a failing pod, and the subject itself when it is a policy. */
export function netpolChanges(view: ClusterView, scope: Scope): Candidate[] {
  const namespaces = new Set(scope.pods.map((p) => p.metadata?.namespace ?? ""));
  const policies = new Set<K8sObject>();
  if (scope.subject?.kind === "NetworkPolicy") policies.add(scope.subject);
  for (const ns of namespaces)
    for (const p of view.list<NetworkPolicy>("NetworkPolicy", ns))
      if (
        scope.pods.some(
          (pod) => pod.metadata?.namespace === ns && matches(p.spec?.podSelector ?? {}, pod.metadata?.labels),
        )
      )
        policies.add(p);
  return [...policies].flatMap((p) => lifecycle(p, "netpol", SPEC_PATHS, "rules changed"));
}

function bindsServiceAccount(b: Binding, accounts: Set<string>): boolean {
  const ns = b.metadata?.namespace ?? "";
  return (b.subjects ?? []).some(
    (s) => s.kind === "ServiceAccount" && accounts.has(`${s.namespace ?? ns}/${s.name}`),
  );
}

/** The Roles and ClusterRoles the bindings grant, as far as the snapshot has them. */
function grantedRoles(view: ClusterView, bindings: Binding[]): K8sObject[] {
  const roles = new Map<string, K8sObject>();
  for (const b of bindings) {
    const r = b.roleRef;
    if (!r) continue;
    const ns = r.kind === "Role" ? (b.metadata?.namespace ?? "") : "";
    const role = view.get(r.kind, ns, r.name);
    if (role) roles.set(key(r.kind, ns, r.name), role);
  }
  return [...roles.values()];
}

/**
 * Role and ClusterRole bindings of the pods' ServiceAccounts, and the roles they grant. With
 * `wholeNamespace` (an RBACForbidden root), every RoleBinding of the ServiceAccount's
 * namespace counts: an edit that dropped the account no longer names it.
 */
export function rbacChanges(view: ClusterView, scope: Scope, wholeNamespace: boolean): Candidate[] {
  const accountNs = new Set([...scope.serviceAccounts].map((a) => a.split("/")[0] ?? ""));
  const binds = (b: Binding) => bindsServiceAccount(b, scope.serviceAccounts);
  const bindings = [
    ...[...accountNs].flatMap((ns) =>
      view.list<Binding>("RoleBinding", ns).filter((b) => wholeNamespace || binds(b)),
    ),
    ...view.list<Binding>("ClusterRoleBinding").filter(binds),
  ];
  return [
    ...bindings.flatMap((b) => lifecycle(b, "rbac", RBAC_PATHS, "subjects changed")),
    ...grantedRoles(view, bindings).flatMap((r) => lifecycle(r, "rbac", RBAC_PATHS, "rules changed")),
  ];
}

function tolerated(pod: Pod, taint: { key: string; effect?: string }): boolean {
  return (pod.spec?.tolerations ?? []).some(
    (t) =>
      (t.operator === "Exists" && (!t.key || t.key === taint.key)) ||
      (t.key === taint.key && (!t.effect || t.effect === taint.effect)),
  );
}

function taintText(n: Node, pods: readonly Pod[]): string {
  const hard = (n.spec?.taints ?? []).filter((t) => t.effect === "NoSchedule" || t.effect === "NoExecute");
  const blocking = hard.filter((t) => pods.length === 0 || pods.some((p) => !tolerated(p, t)));
  const shown = (blocking.length ? blocking : hard).map(
    (t) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`,
  );
  return shown.length ? `taint ${shown.join(", ")} added` : "taints changed";
}

/**
 * Nodes of the failing pods (or the Node subject): joined (creation) and taints written.
 * With `pending` pods (an Unschedulable root), every node whose taints one of them does not
 * tolerate counts, since the pods never reached a node.
 */
export function nodeChanges(view: ClusterView, scope: Scope, pending: readonly Pod[]): Candidate[] {
  const names = new Set(scope.nodes);
  for (const n of view.list<Node>("Node"))
    if (
      (n.spec?.taints ?? []).some(
        (t) => t.effect !== "PreferNoSchedule" && pending.some((p) => !tolerated(p, t)),
      )
    )
      names.add(n.metadata?.name ?? "");
  const out: Candidate[] = [];
  for (const name of names) {
    const n = view.get<Node>("Node", "", name);
    if (!n) continue;
    const born = toMs(n.metadata?.creationTimestamp);
    if (born !== undefined) out.push({ ref: refOf(n), at: born, what: "joined the cluster", cls: "node" });
    for (const t of writeTimes(n, TAINT_PATHS))
      if (born === undefined || t > born + CREATION_SLACK_MS)
        out.push({ ref: refOf(n), at: t, what: taintText(n, pending), cls: "node" });
  }
  return out;
}

/** Spec edits of the subject itself (a Service's selector, an Ingress, an HPA), when it is no workload. */
export function subjectChanges(scope: Scope): Candidate[] {
  const s = scope.subject;
  if (!s || ["Deployment", "StatefulSet", "DaemonSet", "Node", "NetworkPolicy"].includes(s.kind ?? ""))
    return [];
  const born = toMs(s.metadata?.creationTimestamp);
  return writeTimes(s, SPEC_PATHS)
    .filter((t) => born === undefined || t > born + CREATION_SLACK_MS)
    .map((t) => ({ ref: refOf(s), at: t, what: "spec changed", cls: "spec" as const }));
}
