/**
 * Kubernetes RBAC, read offline: the API server's "forbidden" message parsed into who was
 * refused what, and the Roles/ClusterRoles and bindings of a snapshot evaluated for a
 * ServiceAccount the way the RBAC authorizer does (a request is allowed when any rule of any
 * role bound to the subject covers it; there are no deny rules). Pure: no I/O.
 */
import type { K8sObject } from "./k8s.ts";
import type { ClusterView } from "./view.ts";

/** What the API server refused. */
export interface Forbidden {
  namespace: string;
  serviceAccount: string;
  verb: string;
  resource: string;
  subresource?: string;
  group: string;
  /** The namespace of the request; undefined at the cluster scope. */
  scope?: string;
  resourceName?: string;
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface RoleObject extends K8sObject {
  rules?: PolicyRule[];
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

export interface Binding extends K8sObject {
  subjects?: Subject[];
  roleRef?: { kind: string; name: string; apiGroup?: string };
}

const SA = String.raw`User "system:serviceaccount:([^:"]+):([^"]+)" cannot ([a-z]+)`;
// Since Kubernetes 1.14: cannot VERB resource "R[/SUB]" in API group "G" (in the namespace "NS" | at the cluster scope)
const MODERN = new RegExp(
  `${SA} resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)"| at the cluster scope)?`,
);
// Before 1.14: cannot VERB RESOURCE in the namespace "NS" / at the cluster scope
const LEGACY = new RegExp(`${SA} ([a-z0-9./-]+)(?: in the namespace "([^"]+)"| at the cluster scope)`);
const NAMED = /(\S+) "([^"]+)" is forbidden: User/;

/** Parses the API server's forbidden message (any client's wording around it) or undefined. */
export function parseForbidden(line: string): Forbidden | undefined {
  const text = line.replace(/\\+"/g, '"');
  const m = MODERN.exec(text);
  const l = m ? undefined : LEGACY.exec(text);
  if (!m && !l) return undefined;
  const [, ns, sa, verb, res] = (m ?? l)!;
  const [resource, subresource] = res!.split("/");
  const named = NAMED.exec(text);
  const out: Forbidden = {
    namespace: ns!,
    serviceAccount: sa!,
    verb: verb!,
    resource: resource!,
    group: m ? m[5]! : "",
  };
  const scope = m ? m[6] : l![5];
  if (scope) out.scope = scope;
  if (subresource) out.subresource = subresource;
  if (named && named[2]) out.resourceName = named[2];
  return out;
}

/** "list pods" / "get apps/deployments" / "create pods/exec" as people write it. */
export function showPermission(f: Forbidden): string {
  const res = `${f.group ? `${f.group}/` : ""}${f.resource}${f.subresource ? `/${f.subresource}` : ""}`;
  const name = f.resourceName ? ` "${f.resourceName}"` : "";
  return `${f.verb} ${res}${name} ${f.scope ? `in namespace ${f.scope}` : "at the cluster scope"}`;
}

function covers(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((v) => v === "*" || v === value);
}

/** True when the rule grants the request. */
export function ruleAllows(rule: PolicyRule, f: Forbidden): boolean {
  const res = f.subresource ? `${f.resource}/${f.subresource}` : f.resource;
  const resources = rule.resources ?? [];
  const resOk = resources.some(
    (r) => r === "*" || r === res || (f.subresource !== undefined && r === `*/${f.subresource}`),
  );
  if (!resOk || !covers(rule.apiGroups, f.group) || !covers(rule.verbs, f.verb)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (f.resourceName !== undefined && names.includes(f.resourceName));
}

function names(s: Subject, f: Forbidden): boolean {
  if (s.kind === "ServiceAccount") return s.name === f.serviceAccount && (s.namespace ?? "") === f.namespace;
  if (s.kind === "Group")
    return [
      "system:serviceaccounts",
      `system:serviceaccounts:${f.namespace}`,
      "system:authenticated",
    ].includes(s.name);
  return s.kind === "User" && s.name === `system:serviceaccount:${f.namespace}:${f.serviceAccount}`;
}

/** One binding of the ServiceAccount, with the role it points at (undefined when missing). */
export interface BoundRole {
  binding: Binding;
  role?: RoleObject;
  grants: boolean;
}

/** The bindings naming the ServiceAccount that apply to the request's scope, and whether each grants it. */
export function bindingsFor(view: ClusterView, f: Forbidden): BoundRole[] {
  const out: BoundRole[] = [];
  const consider = (b: Binding, roleNs: string | undefined, inScope: boolean): void => {
    if (!(b.subjects ?? []).some((s) => names(s, f))) return;
    const ref = b.roleRef;
    const role = ref
      ? ref.kind === "ClusterRole"
        ? view.get<RoleObject>("ClusterRole", "", ref.name)
        : view.get<RoleObject>("Role", roleNs ?? "", ref.name)
      : undefined;
    const grants = inScope && !!role && (role.rules ?? []).some((r) => ruleAllows(r, f));
    out.push({ binding: b, role, grants });
  };
  for (const b of view.list<Binding>("ClusterRoleBinding")) consider(b, undefined, true);
  // A RoleBinding grants only inside its own namespace: one outside the request's scope is listed too,
  // because it is what people misplace, but it never grants.
  for (const b of view.list<Binding>("RoleBinding")) {
    const ns = b.metadata?.namespace ?? "";
    if (ns !== f.scope && ns !== f.namespace) continue;
    consider(b, ns, ns === f.scope);
  }
  return out;
}

/** True when the snapshot carries RBAC objects at all (else nothing can be evaluated). */
export function hasRbac(view: ClusterView): boolean {
  return ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"].some((k) => view.list(k).length > 0);
}

/** "RoleBinding shop/reader -> Role pod-reader" for evidence. */
export function showBinding(b: BoundRole): string {
  const bind = `${b.binding.kind} ${b.binding.metadata?.namespace ? `${b.binding.metadata.namespace}/` : ""}${b.binding.metadata?.name}`;
  const ref = b.binding.roleRef;
  const role = ref ? `${ref.kind} ${ref.name}` : "no roleRef";
  return `${bind} -> ${role}${b.role ? "" : " (not found)"}`;
}
