import { describe, expect, it } from "vitest";
import type { Resolution } from "./suggest.ts";
import { autoAllowed, suggestAutomations, suggestionId } from "./suggest.ts";

const checkout = { kind: "Deployment", namespace: "shop", name: "checkout" };
const day = (n: number) => new Date(Date.UTC(2026, 5, n, 8));
let seq = 0;
const resolved = (over: Partial<Resolution> = {}): Resolution => ({
  incidentId: `0000000${++seq}-aaaa-bbbb-cccc-dddddddddddd`,
  namespace: "shop",
  alertname: "CheckoutDown",
  category: "BadRollout",
  resolvedAt: day(10),
  action: "RolloutUndo",
  target: checkout,
  outcome: "verified",
  ...over,
});

describe("suggestAutomations", () => {
  it("suggests a policy rule when the same alert on the same workload was resolved the same way 3 times", () => {
    const rows = [
      resolved({ resolvedAt: day(3) }),
      resolved({ resolvedAt: day(12) }),
      resolved({ resolvedAt: day(7) }),
    ];
    const [s, ...rest] = suggestAutomations(rows);
    expect(rest).toEqual([]);
    expect(s).toEqual({
      id: suggestionId("alert CheckoutDown", "RolloutUndo", "Deployment/shop/checkout"),
      kind: "PolicyRule",
      action: "RolloutUndo",
      target: "Deployment/shop/checkout",
      trigger: "alert CheckoutDown",
      occurrences: 3,
      lastSeen: "2026-06-12T08:00:00Z",
      evidence: expect.stringMatching(
        /^alert CheckoutDown on shop\/checkout was resolved by RolloutUndo, verified, 3 times in 30 days \(incidents 0000000\d, /,
      ),
    });
    // Stable: the same history suggests under the same id.
    expect(suggestAutomations([...rows].reverse())[0]!.id).toBe(s!.id);
  });

  it("needs enough verified resolutions; failed or undone ones do not count", () => {
    const two = [resolved(), resolved(), resolved({ outcome: "undone" }), resolved({ outcome: "failed" })];
    expect(suggestAutomations(two)).toEqual([]);
    expect(suggestAutomations(two, { minOccurrences: 2 })).toHaveLength(1);
    // Different workloads, actions or alerts are different ways.
    const mixed = [
      resolved(),
      resolved({ target: { ...checkout, name: "cart" } }),
      resolved({ action: "RolloutRestart" }),
      resolved({ alertname: "CheckoutSlow" }),
    ];
    expect(suggestAutomations(mixed, { minOccurrences: 2 })).toEqual([]);
  });

  it("suggests a runbook for a high-risk action, or when its record there is bad", () => {
    const node = { kind: "Node", name: "n1" };
    const drains = [1, 2, 3].map(() =>
      resolved({ action: "DrainNode", target: node, alertname: "NodeDiskPressure" }),
    );
    expect(suggestAutomations(drains)[0]).toMatchObject({ kind: "Runbook", target: "Node//n1" });
    const shaky = [
      ...[1, 2, 3].map(() => resolved()),
      resolved({ outcome: "failed" }),
      resolved({ outcome: "undone" }),
    ];
    const [s] = suggestAutomations(shaky);
    expect(s).toMatchObject({ kind: "Runbook", occurrences: 3 });
    expect(s!.evidence).toMatch(/2 other time\(s\) it failed or was undone$/);
    expect(autoAllowed("RolloutUndo")).toBe(true);
    expect(autoAllowed("Ec2StopInstance")).toBe(false);
    expect(autoAllowed("NotAnAction")).toBe(false);
  });

  it("falls back to the root-cause category without an alert, skips rows with neither, orders by occurrences", () => {
    const rows = [
      ...[1, 2, 3].map(() => resolved({ alertname: null, category: "OOMKilled", action: "SetResources" })),
      ...[1, 2, 3, 4].map(() => resolved()),
      ...[1, 2, 3].map(() => resolved({ alertname: null, category: null })),
    ];
    const out = suggestAutomations(rows);
    expect(out.map((s) => `${s.trigger} ${s.occurrences}`)).toEqual([
      "alert CheckoutDown 4",
      "root cause OOMKilled 3",
    ]);
    expect(suggestAutomations(rows, { max: 1 })).toHaveLength(1);
  });
});
