import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { ChangeJournal, fingerprint, parseJournalBounds } from "./change-journal.ts";

const T0 = Date.parse("2026-12-06T10:00:00Z");

function deployment(opts: { image?: string; env?: string; replicas?: number; restartedAt?: string } = {}) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      namespace: "shop",
      name: "api",
      resourceVersion: String(Math.random()),
      generation: 3,
      managedFields: [
        { manager: "kubectl", operation: "Update", time: "2026-12-06T10:01:00Z" },
        { manager: "kcm", operation: "Update", subresource: "status", time: "2026-12-06T10:05:00Z" },
      ],
    },
    spec: {
      replicas: opts.replicas ?? 2,
      template: {
        metadata: opts.restartedAt
          ? { annotations: { "kubectl.kubernetes.io/restartedAt": opts.restartedAt } }
          : {},
        spec: {
          containers: [
            {
              name: "app",
              image: opts.image ?? "api:1",
              env: [{ name: "DB_PASSWORD", value: opts.env ?? "s1" }],
            },
          ],
        },
      },
    },
  } as unknown as KubernetesObject;
}

const cm = (data: Record<string, string>, rv: string) =>
  ({
    kind: "ConfigMap",
    metadata: { namespace: "shop", name: "cfg", resourceVersion: rv },
    data,
  }) as KubernetesObject;

describe("ChangeJournal", () => {
  it("records template parts, replicas and restarts of a workload, timed by the last client write", () => {
    const j = new ChangeJournal({ max: 100, minutes: 60 }, () => T0 + 10 * 60_000);
    j.observe("Deployment", deployment());
    expect(j.size).toBe(0);
    j.observe("Deployment", deployment({ image: "api:2" }));
    j.observe("Deployment", deployment({ image: "api:2", env: "s2" }));
    j.observe("Deployment", deployment({ image: "api:2", env: "s2", replicas: 5 }));
    j.observe("Deployment", deployment({ image: "api:2", env: "s2", replicas: 5, restartedAt: "x" }));
    j.observe("Deployment", deployment({ image: "api:2", env: "s2", replicas: 5, restartedAt: "x" }));
    const recs = j.recordsFor("shop");
    expect(recs.map((r) => r.fields)).toEqual([
      ["spec.template.spec.containers[app].image"],
      ["spec.template.spec.containers[app].env"],
      ["spec.replicas"],
      ["spec.template.metadata.annotations[kubectl.kubernetes.io/restartedAt]"],
    ]);
    // The status write at 10:05 is not the change; the client's write at 10:01 is.
    expect(recs[0]).toMatchObject({ kind: "Deployment", namespace: "shop", name: "api", generation: 3 });
    expect(recs[0]!.at).toBe("2026-12-06T10:01:00.000Z");
  });

  it("records ConfigMap data changes by hash, never the values", () => {
    const j = new ChangeJournal({ max: 100, minutes: 60 }, () => T0);
    j.observe("ConfigMap", cm({ url: "postgres://u:hunter2@db" }, "1"));
    j.observe("ConfigMap", cm({ url: "postgres://u:hunter2@db" }, "2"));
    expect(j.size).toBe(0);
    j.observe("ConfigMap", cm({ url: "postgres://u:hunter3@db" }, "3"));
    expect(j.recordsFor("shop")).toEqual([
      {
        kind: "ConfigMap",
        namespace: "shop",
        name: "cfg",
        at: new Date(T0).toISOString(),
        resourceVersion: "3",
        fields: ["data"],
      },
    ]);
    expect(JSON.stringify(fingerprint("ConfigMap", cm({ url: "hunter2" }, "1")))).not.toContain("hunter2");
    expect(JSON.stringify(j)).not.toMatch(/hunter/);
  });

  it("records creations after the cache synced, deletions of policies and bindings, node taints", () => {
    const j = new ChangeJournal({ max: 100, minutes: 60 }, () => T0);
    const np = {
      kind: "NetworkPolicy",
      metadata: { namespace: "shop", name: "deny", creationTimestamp: "2026-12-06T09:59:00Z" },
      spec: {},
    };
    j.observe("NetworkPolicy", np as unknown as KubernetesObject, false);
    expect(j.size).toBe(0);
    const rb = { kind: "RoleBinding", metadata: { namespace: "shop", name: "rb" }, subjects: [] };
    j.observe("RoleBinding", rb as KubernetesObject, true);
    j.deleted("RoleBinding", rb as KubernetesObject);
    j.deleted("RoleBinding", rb as KubernetesObject);
    const node = (taints: unknown[]) =>
      ({ kind: "Node", metadata: { name: "n1" }, spec: { taints } }) as KubernetesObject;
    j.observe("Node", node([]), false);
    j.observe("Node", node([{ key: "k", effect: "NoSchedule" }]));
    j.observe("ReplicaSet", { kind: "ReplicaSet", metadata: { namespace: "other", name: "rs" } }, true);
    expect(
      j.recordsFor("shop").map((r) => `${r.kind} ${r.namespace}/${r.name} ${r.fields.join(",")}`),
    ).toEqual(["RoleBinding shop/rb created", "RoleBinding shop/rb deleted", "Node /n1 spec.taints"]);
    expect(j.recordsFor(undefined)).toHaveLength(4);
  });

  it("keeps at most max records and none older than the age bound", () => {
    let now = T0;
    const j = new ChangeJournal({ max: 3, minutes: 10 }, () => now);
    const rec = (name: string, at: number) => ({
      kind: "ConfigMap",
      namespace: "a",
      name,
      at: new Date(at).toISOString(),
      fields: ["data"],
    });
    for (let i = 0; i < 5; i++) j.add(rec(`c${i}`, T0));
    expect(j.recordsFor("a").map((r) => r.name)).toEqual(["c2", "c3", "c4"]);
    now = T0 + 5 * 60_000;
    j.add(rec("late", now));
    now = T0 + 11 * 60_000;
    expect(j.recordsFor("a").map((r) => r.name)).toEqual(["late"]);
    expect(j.size).toBe(1);
  });

  it("reads its bounds from the environment and names a bad variable", () => {
    expect(parseJournalBounds({})).toEqual({ max: 5000, minutes: 120 });
    expect(parseJournalBounds({ AISRE_CHANGE_JOURNAL_MAX: "10", AISRE_CHANGE_JOURNAL_MINUTES: "5" })).toEqual(
      { max: 10, minutes: 5 },
    );
    expect(() => parseJournalBounds({ AISRE_CHANGE_JOURNAL_MAX: "0" })).toThrow(/AISRE_CHANGE_JOURNAL_MAX/);
    expect(() => parseJournalBounds({ AISRE_CHANGE_JOURNAL_MINUTES: "soon" })).toThrow(
      /AISRE_CHANGE_JOURNAL_MINUTES/,
    );
  });
});
