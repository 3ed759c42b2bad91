import { describe, expect, it } from "vitest";
import { MemoryView } from "../view.ts";
import type { K8sObject } from "../k8s.ts";
import type { ChangeRecord } from "./types.ts";
import { findChange, WINDOW_MS } from "./index.ts";
import { ago, crashingPod, deploymentWithRevisions, NOW, rootFault, written } from "./testing.ts";

const POD = "pod/shop/api-2-x1";
const withConfig = { volumes: [{ name: "cfg", configMap: { name: "api-config" } }] };

function configMap(name: string, editedMin: number | undefined, ns = "shop"): K8sObject {
  const managedFields = [written(3000, { "f:data": {} }, "kubectl-client-side-apply")];
  if (editedMin !== undefined) managedFields.push(written(editedMin, { "f:data": { "f:app.yaml": {} } }));
  const metadata = { name, namespace: ns, creationTimestamp: ago(3000), managedFields };
  return { apiVersion: "v1", kind: "ConfigMap", metadata, data: {} } as K8sObject;
}

const twoRevisions = (newMin: number) =>
  deploymentWithRevisions([
    { rev: 1, min: 3000, image: "reg/shop/api:v2.3.1" },
    { rev: 2, min: newMin, image: "reg/shop/api:v2.4.0" },
  ]);

function find(
  objects: K8sObject[],
  category: Parameters<typeof rootFault>[0] = "CrashLoop",
  journal: ChangeRecord[] = [],
) {
  return findChange(new MemoryView(objects, { now: NOW }), rootFault(category, [POD]), [], journal);
}

describe("findChange", () => {
  it("names the new image revision with both tags and its lead on the first crash", () => {
    const change = find([...twoRevisions(8), crashingPod(2, 5)]);
    expect(change).toEqual({
      kind: "Deployment",
      namespace: "shop",
      name: "api",
      at: ago(8),
      what: "image api:v2.3.1 → api:v2.4.0, 3 min before the first crash",
    });
  });

  it("names a ConfigMap the pods mount when its data changed after the rollout", () => {
    const objects = [...twoRevisions(600), crashingPod(2, 5, withConfig), configMap("api-config", 7)];
    expect(find(objects)).toMatchObject({
      kind: "ConfigMap",
      name: "api-config",
      at: ago(7),
      what: "data changed 2 min before the first crash",
    });
  });

  it("ignores changes after the onset, unrelated objects and changes older than the window", () => {
    const late = [...twoRevisions(600), crashingPod(2, 5, withConfig), configMap("api-config", 2)];
    expect(find(late)).toBeUndefined();
    const unrelated = [
      ...twoRevisions(600),
      crashingPod(2, 5, withConfig),
      configMap("api-config", undefined),
      configMap("other", 6),
    ];
    expect(find(unrelated)).toBeUndefined();
    const otherNs = [
      ...twoRevisions(600),
      crashingPod(2, 5, withConfig),
      configMap("api-config", 6, "staging"),
    ];
    expect(find(otherNs)).toBeUndefined();
    const old = [...twoRevisions(5 + WINDOW_MS / 60_000 + 1), crashingPod(2, 5)];
    expect(find(old)).toBeUndefined();
  });

  it("ignores sorts of change that cannot explain the category", () => {
    expect(find([...twoRevisions(8), crashingPod(2, 5)], "NetworkPolicyBlocked")).toBeUndefined();
    expect(find([...twoRevisions(8), crashingPod(2, 5)], "CertificateExpired")).toBeUndefined();
  });

  it("names the ConfigMap edit a rollout restart delivered", () => {
    const objects = [
      ...deploymentWithRevisions([
        { rev: 1, min: 3000, image: "api:1" },
        { rev: 2, min: 6, image: "api:1", restartedAt: ago(6) },
      ]),
      crashingPod(2, 5, withConfig),
      configMap("api-config", 9),
    ];
    expect(find(objects)).toMatchObject({
      kind: "ConfigMap",
      at: ago(9),
      what: "data changed 4 min before the first crash (applied by the rollout restart at 09:54 UTC)",
    });
  });

  it("takes the journal's record of a deleted RoleBinding for an RBACForbidden root", () => {
    const objects = [...twoRevisions(600), crashingPod(2, 5)];
    const journal = [
      { kind: "RoleBinding", namespace: "shop", name: "api-reader", at: ago(6), fields: ["deleted"] },
    ];
    expect(find(objects, "RBACForbidden", journal)).toMatchObject({
      kind: "RoleBinding",
      name: "api-reader",
      what: "deleted 1 min before the first failure",
    });
    const elsewhere = [{ ...journal[0]!, namespace: "other" }];
    expect(find(objects, "RBACForbidden", elsewhere)).toBeUndefined();
  });

  it("reads a scale from the workload's managedFields for a category a scale explains", () => {
    const objects = [...twoRevisions(600), crashingPod(2, 5)];
    const dep = objects[0] as K8sObject & { spec: { replicas?: number } };
    dep.spec.replicas = 12;
    (dep.metadata as Record<string, unknown>).managedFields = [
      written(7, { "f:spec": { "f:replicas": {} } }, "kubectl"),
    ];
    expect(find(objects, "OOMKilled")).toMatchObject({
      kind: "Deployment",
      name: "api",
      what: "replicas set to 12, 2 min before the first OOM kill",
    });
    expect(find(objects, "CrashLoop")).toBeUndefined();
  });
});
