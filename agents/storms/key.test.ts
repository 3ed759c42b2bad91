import { describe, expect, it } from "vitest";
import type { RootCause } from "../../crds/index.ts";
import { groupingKey, keyLabel } from "./key.ts";

const api = { kind: "Deployment", namespace: "shop", name: "api" };
const cause = (over: Partial<RootCause>): RootCause => ({
  category: "CrashLoop",
  resource: api,
  summary: "x",
  confidence: 0.9,
  ...over,
});

describe("groupingKey", () => {
  it("keys node failures by node and DNS failures as cluster DNS", () => {
    const node = { kind: "Node", name: "worker-3" };
    expect(groupingKey({ rootCause: cause({ category: "NodeNotReady", resource: node }), target: api })).toBe(
      "node:worker-3",
    );
    expect(groupingKey({ rootCause: cause({ category: "NodePressure", resource: node }) })).toBe(
      "node:worker-3",
    );
    expect(
      groupingKey({
        rootCause: cause({
          category: "DNSFailure",
          resource: { kind: "Deployment", namespace: "kube-system", name: "coredns" },
        }),
      }),
    ).toBe("dns:cluster");
  });

  it("keys a dependency chain by the dependency the engine names, whatever the deepest cause", () => {
    const pvc = { kind: "PersistentVolumeClaim", namespace: "shop", name: "data-orders-db-0" };
    const dependency = { kind: "Service", namespace: "shop", name: "orders-db" };
    expect(
      groupingKey({ rootCause: cause({ category: "PVCPending", resource: pvc }), dependency, target: api }),
    ).toBe("dependency:Service/shop/orders-db");
    expect(
      groupingKey({ rootCause: cause({ category: "DependencyUnavailable" }), dependency, target: api }),
    ).toBe("dependency:Service/shop/orders-db");
    // Without the engine's impact, a cause outside the alerted workload is the dependency.
    expect(groupingKey({ rootCause: cause({ category: "PVCPending", resource: pvc }), target: api })).toBe(
      "dependency:PersistentVolumeClaim/shop/data-orders-db-0",
    );
  });

  it("gives the workload's own failure no key, so unrelated causes never group", () => {
    expect(groupingKey({})).toBeUndefined();
    expect(groupingKey({ rootCause: cause({}), target: api })).toBeUndefined();
    expect(
      groupingKey({
        rootCause: cause({ resource: { kind: "Pod", namespace: "shop", name: "api-5d8f-b1" } }),
        target: api,
      }),
    ).toBeUndefined();
    expect(
      groupingKey({ rootCause: cause({ category: "DependencyUnavailable" }), target: api }),
    ).toBeUndefined();
  });

  it("labels keys for people", () => {
    expect(keyLabel("dependency:Service/shop/orders-db")).toBe("orders-db");
    expect(keyLabel("node:worker-3")).toBe("node worker-3");
    expect(keyLabel("dns:cluster")).toBe("cluster DNS");
  });
});
