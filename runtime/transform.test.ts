import { describe, expect, it } from "vitest";
import { LAST_APPLIED, stripMetadata } from "./transform.ts";

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
