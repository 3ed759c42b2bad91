import { describe, expect, it } from "vitest";
import type { AgentConfigStatus } from "../../crds/index.ts";
import { clearRollouts, recordRollouts } from "./status.ts";

const T0 = Date.parse("2026-12-07T01:00:00Z");

describe("recordRollouts", () => {
  it("writes only status.monitoring.rollouts, redacted, and clears only it", () => {
    const status: AgentConfigStatus = {
      monitoring: { checks: 2, firing: 1, anomaly: { found: 3 } },
    };
    recordRollouts(status, {
      at: T0,
      open: 1,
      found: 1,
      gaps: ["errorRatio of revision 7: GET http://admin:s3cretpass@prom:9090/ refused"],
    });
    expect(status.monitoring).toMatchObject({
      checks: 2,
      firing: 1,
      anomaly: { found: 3 },
      rollouts: { lastEvaluation: "2026-12-07T01:00:00Z", open: 1, found: 1 },
    });
    expect(status.monitoring!.rollouts!.gaps![0]).not.toContain("s3cretpass");
    clearRollouts(status);
    expect(status.monitoring).toEqual({ checks: 2, firing: 1, anomaly: { found: 3 } });
  });
});
