import { describe, expect, it } from "vitest";
import { capacityQueries, namespaceQueries } from "./queries.ts";

describe("namespaceQueries", () => {
  it("reads only the namespace's quota and volumes, every selector narrowed to it", () => {
    const qs = namespaceQueries("shop");
    expect(qs.map((q) => q.scope)).toEqual(["namespace", "volume"]);
    for (const q of qs)
      for (const expr of [q.used, q.capacity]) {
        const selectors = expr.match(/(kube_resourcequota|kubelet_volume_stats_\w+)\{[^}]*\}/g) ?? [];
        expect(selectors.length).toBeGreaterThan(0);
        for (const s of selectors) expect(s).toContain('namespace="shop"');
      }
    expect(qs[0]!.used).toContain('kube_resourcequota{namespace="shop",type="used"}');
    expect(capacityQueries().some((q) => q.scope === "node")).toBe(true);
  });

  it("refuses a name that could smuggle PromQL", () => {
    expect(() => namespaceQueries('shop"} or vector(1) #')).toThrow(/namespace/);
  });
});
