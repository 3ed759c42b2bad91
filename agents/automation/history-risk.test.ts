import { describe, expect, it } from "vitest";
import type { ActionRecord } from "./history-risk.ts";
import { badHistory, effectiveRisk, historyLine, raiseStepRisks } from "./history-risk.ts";

const NOW = new Date("2026-06-30T12:00:00Z");
const checkout = { kind: "Deployment", namespace: "shop", name: "checkout" };
const record = (over: Partial<ActionRecord> = {}): ActionRecord => ({
  action: "RolloutUndo",
  target: checkout,
  total: 7,
  verified: 7,
  undone: 0,
  failed: 0,
  medianVerifySeconds: null,
  lastOutcome: "verified",
  lastAt: new Date(NOW.getTime() - 3 * 86_400_000),
  ...over,
});

describe("historyLine", () => {
  it("says how often the action was verified and when it last ran, in English and Chinese", () => {
    expect(historyLine(record(), NOW)).toBe("RolloutUndo on shop/checkout: 7 of 7 verified, last 3 days ago");
    expect(historyLine(record(), NOW, "zh")).toBe(
      "RolloutUndo 作用于 shop/checkout：7 次中 7 次已验证，最近一次3 天前",
    );
  });

  it("names undone and failed steps, the median verification and the last outcome", () => {
    const h = record({
      total: 5,
      verified: 3,
      undone: 1,
      failed: 1,
      medianVerifySeconds: 59.6,
      lastOutcome: "undone",
      lastAt: new Date(NOW.getTime() - 5 * 3_600_000),
    });
    expect(historyLine(h, NOW)).toBe(
      "RolloutUndo on shop/checkout: 3 of 5 verified, 1 undone, 1 failed, median 60 s to verify, last undone 5 hours ago",
    );
    expect(historyLine({ ...h, lastAt: new Date(NOW.getTime() - 60_000) }, NOW)).toMatch(/1 minute ago$/);
    expect(historyLine({ ...h, target: { kind: "Node", name: "n1" } }, NOW)).toMatch(
      /^RolloutUndo on Node n1:/,
    );
  });
});

describe("effectiveRisk", () => {
  it("raises one level when at least 2 steps and 30 % failed or were undone", () => {
    const bad = record({ total: 5, verified: 2, failed: 2, undone: 1 });
    expect(badHistory(bad)).toBe(true);
    expect(effectiveRisk("medium", bad)).toEqual({
      risk: "high",
      reason: "risk raised to high: 3 of 5 RolloutUndo on shop/checkout failed or were undone",
    });
    expect(effectiveRisk("low", bad).risk).toBe("medium");
    expect(effectiveRisk("low", bad, "zh").reason).toBe(
      "风险提升为 medium：shop/checkout 上的 RolloutUndo 5 次中 3 次失败或被撤销",
    );
  });

  it("keeps the risk for one bad step, a small share, no history, and never lowers it", () => {
    expect(effectiveRisk("low", record({ total: 2, verified: 1, failed: 1 }))).toEqual({ risk: "low" });
    expect(effectiveRisk("low", record({ total: 10, verified: 8, failed: 1, undone: 1 }))).toEqual({
      risk: "low",
    });
    expect(effectiveRisk("medium", undefined)).toEqual({ risk: "medium" });
    expect(effectiveRisk("high", record({ total: 2, verified: 0, failed: 2 }))).toEqual({ risk: "high" });
    expect(effectiveRisk("high", record())).toEqual({ risk: "high" });
  });
});

describe("raiseStepRisks", () => {
  it("raises only the steps whose action on that target has a bad history, from the catalog risk", () => {
    const bad = record({ total: 3, verified: 1, failed: 2 });
    const steps = [
      { name: "undo", action: "RolloutUndo", target: checkout },
      { name: "restart", action: "RolloutRestart", target: checkout },
      { name: "undo-cart", action: "RolloutUndo", target: { ...checkout, name: "cart" } },
    ];
    const { steps: out, reasons } = raiseStepRisks(steps, [bad]);
    expect(out.map((s) => ("risk" in s ? s.risk : undefined))).toEqual(["high", undefined, undefined]);
    expect(out[0]!.name).toBe("undo");
    expect(reasons).toEqual([
      "risk raised to high: 2 of 3 RolloutUndo on shop/checkout failed or were undone",
    ]);
    expect(steps[0]).not.toHaveProperty("risk");
  });

  it("gives the history line of every step that has a record, good or bad", () => {
    const good = record({
      target: { ...checkout, name: "cart" },
      lastAt: new Date(NOW.getTime() - 3 * 86_400_000),
    });
    const steps = [
      { name: "undo", action: "RolloutUndo", target: checkout },
      { name: "undo-cart", action: "RolloutUndo", target: { ...checkout, name: "cart" } },
    ];
    const { lines, reasons } = raiseStepRisks(steps, [good], NOW);
    expect(reasons).toEqual([]);
    expect(lines).toEqual(["RolloutUndo on shop/cart: 7 of 7 verified, last 3 days ago"]);
  });
});
