import { describe, expect, it } from "vitest";
import type { AgentConfigStatus } from "../../crds/index.ts";
import { clearCapacity, recordCapacity } from "./status.ts";

describe("status.monitoring.capacity", () => {
  it("is written and cleared without touching the other loops' fields", () => {
    const status: AgentConfigStatus = { monitoring: { checks: 2, firing: 1, anomaly: { open: 3 } } };
    recordCapacity(status, {
      at: Date.parse("2026-12-01T00:00:00Z"),
      open: 1,
      found: 2,
      gaps: ["volume storage usage: connect ECONNREFUSED password=hunter2"],
    });
    expect(status.monitoring).toMatchObject({ checks: 2, firing: 1, anomaly: { open: 3 } });
    expect(status.monitoring?.capacity).toMatchObject({
      lastEvaluation: "2026-12-01T00:00:00Z",
      open: 1,
      found: 2,
    });
    expect(status.monitoring?.capacity?.gaps?.[0]).not.toContain("hunter2");
    clearCapacity(status);
    expect(status.monitoring).toEqual({ checks: 2, firing: 1, anomaly: { open: 3 } });
    const alone: AgentConfigStatus = {};
    recordCapacity(alone, { at: 0, open: 0, found: 0, gaps: [] });
    clearCapacity(alone);
    expect(alone.monitoring).toBeUndefined();
  });
});
