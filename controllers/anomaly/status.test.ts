import { describe, expect, it } from "vitest";
import type { AgentConfig, AgentConfigStatus } from "../../crds/index.ts";
import { clearEvaluation, recordEvaluation } from "../monitoring/status.ts";
import { clearAnomalyStatus, recordAnomalyCycle } from "./status.ts";

const config = { metadata: { name: "m", namespace: "shop", generation: 1 } } as AgentConfig;
const AT = Date.UTC(2026, 11, 7, 1, 0);

describe("status.monitoring.anomaly", () => {
  it("is the anomaly loop's own field: the checks loop's writes and clears keep it", () => {
    const status: AgentConfigStatus = {};
    recordAnomalyCycle(status, {
      at: AT,
      open: 2,
      found: 3,
      gaps: ["p99: timeout, token=abcdefabcdefabcdef0123"],
    });
    recordEvaluation(status, config, { at: AT, checks: 1, pending: 0, firing: 1, gaps: [], faults: [] });
    expect(status.monitoring).toMatchObject({
      checks: 1,
      anomaly: { lastEvaluation: "2026-12-07T01:00:00Z", open: 2, found: 3 },
    });
    expect(status.monitoring!.anomaly!.gaps![0]).not.toContain("abcdefabcdefabcdef0123");
    clearEvaluation(status);
    expect(status.monitoring).toEqual({ anomaly: expect.objectContaining({ open: 2 }) });
    clearAnomalyStatus(status);
    expect(status.monitoring).toBeUndefined();
  });

  it("clearing leaves the checks' fields", () => {
    const status: AgentConfigStatus = {};
    recordEvaluation(status, config, { at: AT, checks: 1, pending: 0, firing: 0, gaps: [], faults: [] });
    recordAnomalyCycle(status, { at: AT, open: 0, found: 0, gaps: [] });
    clearAnomalyStatus(status);
    expect(status.monitoring).toMatchObject({ checks: 1 });
    expect(status.monitoring?.anomaly).toBeUndefined();
  });
});
