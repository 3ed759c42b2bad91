// The forbidden message in the wordings clients print it, and the offline RBAC evaluation.
import { describe, expect, it } from "vitest";
import type { K8sObject } from "./k8s.ts";
import { bindingsFor, parseForbidden, ruleAllows, showPermission } from "./rbac.ts";
import { MemoryView } from "./view.ts";

const GO = `pods is forbidden: User "system:serviceaccount:ops:reaper" cannot list resource "pods" in API group "" at the cluster scope`;
const PY = `HTTP response body: {"message":"jobs.batch is forbidden: User \\"system:serviceaccount:ci:builder\\" cannot create resource \\"jobs\\" in API group \\"batch\\" in the namespace \\"ci\\"","code":403}`;
const JAVA = `Message: Forbidden!Configured service account doesn't have access. configmaps "app-config" is forbidden: User "system:serviceaccount:shop:default" cannot get resource "configmaps" in API group "" in the namespace "shop".`;
const SUB = `pods "web-0" is forbidden: User "system:serviceaccount:ci:runner" cannot create resource "pods/exec" in API group "" in the namespace "web"`;
const LEGACY = `User "system:serviceaccount:kube-system:old" cannot list pods in the namespace "default"`;

describe("parseForbidden", () => {
  it.each([
    [GO, { namespace: "ops", serviceAccount: "reaper", verb: "list", resource: "pods", group: "" }],
    [
      PY,
      {
        namespace: "ci",
        serviceAccount: "builder",
        verb: "create",
        resource: "jobs",
        group: "batch",
        scope: "ci",
      },
    ],
    [
      JAVA,
      {
        serviceAccount: "default",
        verb: "get",
        resource: "configmaps",
        scope: "shop",
        resourceName: "app-config",
      },
    ],
    [SUB, { verb: "create", resource: "pods", subresource: "exec", scope: "web", resourceName: "web-0" }],
    [
      LEGACY,
      { namespace: "kube-system", serviceAccount: "old", verb: "list", resource: "pods", scope: "default" },
    ],
  ])("reads %s", (line, want) => {
    expect(parseForbidden(line)).toMatchObject(want);
  });

  it("ignores other lines and users that are not ServiceAccounts", () => {
    expect(parseForbidden("GET /healthz 200")).toBeUndefined();
    expect(
      parseForbidden(`User "alice" cannot list resource "pods" in API group "" at the cluster scope`),
    ).toBeUndefined();
  });

  it("says the permission as people write it", () => {
    expect(showPermission(parseForbidden(PY)!)).toBe("create batch/jobs in namespace ci");
    expect(showPermission(parseForbidden(GO)!)).toBe("list pods at the cluster scope");
  });
});

describe("offline RBAC evaluation", () => {
  const f = parseForbidden(PY)!;
  const obj = (o: K8sObject) => o;
  const role = (kind: string, name: string, ns: string | undefined, rules: object[]) =>
    obj({ kind, metadata: { name, ...(ns ? { namespace: ns } : {}) }, rules });
  const bind = (kind: string, name: string, ns: string | undefined, roleKind: string, roleName: string) =>
    obj({
      kind,
      metadata: { name, ...(ns ? { namespace: ns } : {}) },
      roleRef: { kind: roleKind, name: roleName },
      subjects: [{ kind: "ServiceAccount", name: "builder", namespace: "ci" }],
    });

  it("matches wildcards, groups, subresources and resourceNames", () => {
    expect(ruleAllows({ apiGroups: ["batch"], resources: ["jobs"], verbs: ["create"] }, f)).toBe(true);
    expect(ruleAllows({ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }, f)).toBe(true);
    expect(ruleAllows({ apiGroups: [""], resources: ["jobs"], verbs: ["create"] }, f)).toBe(false);
    expect(ruleAllows({ apiGroups: ["batch"], resources: ["jobs"], verbs: ["get"] }, f)).toBe(false);
    const sub = parseForbidden(SUB)!;
    expect(ruleAllows({ apiGroups: [""], resources: ["pods"], verbs: ["create"] }, sub)).toBe(false);
    expect(ruleAllows({ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }, sub)).toBe(true);
    expect(
      ruleAllows(
        { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"], resourceNames: ["web-1"] },
        sub,
      ),
    ).toBe(false);
  });

  it("grants through a RoleBinding in the request's namespace or a ClusterRoleBinding", () => {
    const rule = [{ apiGroups: ["batch"], resources: ["jobs"], verbs: ["create"] }];
    const granted = new MemoryView([
      role("Role", "jobs", "ci", rule),
      bind("RoleBinding", "b", "ci", "Role", "jobs"),
    ]);
    expect(bindingsFor(granted, f).map((b) => b.grants)).toEqual([true]);
    const cluster = new MemoryView([
      role("ClusterRole", "jobs", undefined, rule),
      bind("ClusterRoleBinding", "b", undefined, "ClusterRole", "jobs"),
    ]);
    expect(bindingsFor(cluster, f).some((b) => b.grants)).toBe(true);
  });

  it("does not grant through a binding to a missing role or a role without the verb", () => {
    const missing = new MemoryView([bind("RoleBinding", "b", "ci", "Role", "job-creator")]);
    expect(bindingsFor(missing, f)).toMatchObject([{ grants: false, role: undefined }]);
    const weak = new MemoryView([
      role("Role", "jobs", "ci", [{ apiGroups: ["batch"], resources: ["jobs"], verbs: ["get", "list"] }]),
      bind("RoleBinding", "b", "ci", "Role", "jobs"),
    ]);
    expect(bindingsFor(weak, f).map((b) => b.grants)).toEqual([false]);
  });
});
