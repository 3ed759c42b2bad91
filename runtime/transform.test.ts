import type { KubernetesObject, V1ManagedFieldsEntry, V1ObjectMeta } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { LAST_APPLIED, compactManagedFields, compactMetadata, stripMetadata } from "./transform.ts";

const heavy = () => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "p",
    namespace: "ns",
    managedFields: [{ manager: "kubectl", operation: "Apply" }],
    annotations: { [LAST_APPLIED]: "{...}", keep: "me" },
    labels: { app: "x" },
  },
  spec: { nodeName: "n1" },
  status: { phase: "Running" },
});

describe("stripMetadata", () => {
  it("drops managedFields and the last-applied annotation, keeps the rest, never mutates", () => {
    const o = heavy();
    const s = stripMetadata(o);
    expect(s.metadata).toEqual({
      name: "p",
      namespace: "ns",
      annotations: { keep: "me" },
      labels: { app: "x" },
    });
    expect(s.spec).toBe(o.spec);
    expect(o.metadata.managedFields).toHaveLength(1);
    expect(o.metadata.annotations[LAST_APPLIED]).toBe("{...}");
  });

  it("removes an annotations map left empty and passes objects without metadata through", () => {
    const o = { metadata: { name: "x", annotations: { [LAST_APPLIED]: "{}" } } };
    expect(stripMetadata(o).metadata).toEqual({ name: "x" });
    const bare = { kind: "X" };
    expect(stripMetadata(bare)).toBe(bare);
  });
});

// A DiagnosisRun as the API server returns it: the status writer's field set names every finding.
type Run = KubernetesObject & {
  metadata: V1ObjectMeta & { managedFields: V1ManagedFieldsEntry[]; annotations: Record<string, string> };
  status: unknown;
};
const run = (): Run => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "DiagnosisRun",
  metadata: {
    name: "r",
    namespace: "ns",
    resourceVersion: "7",
    annotations: { [LAST_APPLIED]: "{...}" },
    managedFields: [
      {
        manager: "aisre-sidecar-rest",
        operation: "Update",
        time: new Date("2026-12-01T10:00:00Z"),
        fieldsV1: { "f:spec": { "f:approval": { "f:decision": {}, "f:decidedBy": {} } } },
      },
      {
        manager: "aisre-operator",
        operation: "Update",
        subresource: "status",
        // As the watch delivers it: JSON, not the client's Date.
        time: "2026-12-01T10:01:00Z" as unknown as Date,
        fieldsV1: { "f:status": { "f:findings": { 'k:{"id":"a"}': { ".": {}, "f:evidence": {} } } } },
      },
    ],
  },
  status: { findings: [{ id: "a" }] },
});

describe("compactManagedFields", () => {
  it("keeps who wrote which top-level part when, two levels deep, with times as RFC 3339", () => {
    expect(compactManagedFields(run())).toEqual([
      {
        manager: "aisre-sidecar-rest",
        operation: "Update",
        time: "2026-12-01T10:00:00.000Z",
        fieldsV1: { "f:spec": { "f:approval": {} } },
      },
      {
        manager: "aisre-operator",
        operation: "Update",
        subresource: "status",
        // As the watch delivers it: JSON, not the client's Date.
        time: "2026-12-01T10:01:00Z" as unknown as Date,
        fieldsV1: { "f:status": { "f:findings": {} } },
      },
    ]);
    expect(compactManagedFields({ metadata: { name: "x", managedFields: [] } })).toBeUndefined();
    expect(compactManagedFields({ kind: "X" })).toBeUndefined();
  });
});

describe("compactMetadata", () => {
  it("drops last-applied and status writes' managedFields, compacts the rest, never mutates", () => {
    const o = run();
    const c = compactMetadata(o);
    expect(c.metadata?.annotations).toBeUndefined();
    expect(c.metadata?.managedFields).toEqual([compactManagedFields(o)?.[0]]);
    expect(c.metadata?.resourceVersion).toBe("7");
    expect(c.status).toBe(o.status);
    expect(JSON.stringify(o.metadata.managedFields[1]?.fieldsV1)).toContain("f:evidence");
    expect(o.metadata.annotations[LAST_APPLIED]).toBe("{...}");
  });

  it("equals stripMetadata when no client write is left", () => {
    const o = { kind: "SreTask", metadata: { name: "t", annotations: { [LAST_APPLIED]: "{}" } } };
    expect(compactMetadata(o)).toEqual(stripMetadata(o));
    const statusOnly = run();
    statusOnly.metadata.managedFields.splice(0, 1);
    expect(compactMetadata(statusOnly).metadata).toEqual({
      name: "r",
      namespace: "ns",
      resourceVersion: "7",
    });
  });
});
