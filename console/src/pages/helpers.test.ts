/** The pages' pure helpers: plan order and decidability, the agent edit's partial spec, capacity rows. */
import { describe, expect, it } from "vitest";
import type { Plan } from "../api/types.ts";
import { decidable } from "../components/PlanCard.tsx";
import { EDITABLE, isSet, partialSpec, valueAt } from "./agents/AgentEdit.tsx";
import { daysOf, forecastName, measureOf, usageOf } from "./Capacity.tsx";
import { pendingFirst } from "./Plans.tsx";

const plan = (name: string, phase: string, extra: Partial<Plan> = {}): Plan => ({
  namespace: "shop",
  name,
  phase,
  canApprove: true,
  ...extra,
});

describe("plans", () => {
  it("puts pending approvals first and keeps the server's order otherwise", () => {
    const order = pendingFirst([plan("a", "Succeeded"), plan("b", "AwaitingApproval"), plan("c", "Failed")]);
    expect(order.map((p) => p.name)).toEqual(["b", "a", "c"]);
  });

  it("offers a decision only to approvers, while awaiting, before anyone decided", () => {
    expect(decidable(plan("a", "AwaitingApproval"))).toBe(true);
    expect(decidable(plan("a", "AwaitingApproval", { canApprove: false }))).toBe(false);
    expect(decidable(plan("a", "Approved"))).toBe(false);
    expect(
      decidable(plan("a", "AwaitingApproval", { approval: { decision: "Approved", decidedBy: "bob" } })),
    ).toBe(false);
  });
});

describe("agent edit", () => {
  it("sends only the touched fields, nested, with cleared text as null", () => {
    const values: Record<string, unknown> = {
      "llm.model": "qwen-plus",
      "tools.prometheus.url": "",
      "llm.enabled": true,
    };
    const spec = partialSpec(
      (p) => values[p.join(".")],
      [
        ["llm", "model"],
        ["llm", "enabled"],
        ["tools", "prometheus", "url"],
      ],
    );
    expect(spec).toEqual({
      llm: { model: "qwen-plus", enabled: true },
      tools: { prometheus: { url: null } },
    });
    expect(partialSpec(() => 1, [])).toEqual({});
  });

  it("keeps what the spec already sets in the apply (server-side apply drops what the manager leaves out)", () => {
    const initial = { llm: { enabled: false, model: "deepseek-chat" }, policy: { maxAffectedPods: 0 } };
    expect(EDITABLE.filter((p) => isSet(valueAt(initial, p)))).toEqual([
      ["llm", "model"],
      ["policy", "maxAffectedPods"],
    ]);
    expect(valueAt(initial, ["tools", "prometheus", "url"])).toBeUndefined();
  });

  it("edits only fields of the AgentConfig spec", () => {
    const top = new Set(EDITABLE.map((p) => p[0]));
    expect([...top].sort()).toEqual(["llm", "policy", "tools"]);
  });
});

describe("capacity rows", () => {
  it("names forecasts and reads their days to exhaustion", () => {
    const item = {
      scope: "volume",
      key: "shop/data",
      resource: "storage",
      measure: "usage",
      forecast: { utilization: 0.814, daysToExhaustion: 3.5 },
    };
    expect([forecastName(item), measureOf(item), usageOf(item), daysOf(item)]).toEqual([
      "shop/data",
      "storage usage",
      "81%",
      3.5,
    ]);
    expect(usageOf({ key: "n1", insufficient: "only 2 days of history" })).toBe("only 2 days of history");
    expect(forecastName({ namespace: "shop", name: "data" })).toBe("shop/data");
    expect(daysOf({ forecast: { daysToExhaustion: null } })).toBeUndefined();
    expect(daysOf({ days: 2 })).toBe(2);
    expect(daysOf({ daysToExhaustion: null })).toBeUndefined();
  });
});
