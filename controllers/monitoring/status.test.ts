import { describe, expect, it } from "vitest";
import type { AgentConfig, AgentConfigStatus } from "../../crds/index.ts";
import { clearEvaluation, recordEvaluation } from "./status.ts";

const config = { metadata: { name: "default", namespace: "shop", generation: 3 } } as AgentConfig;
const T0 = Date.parse("2026-01-01T00:00:00Z");

describe("recordEvaluation", () => {
  it("records counts and gaps; a gap keeps the time it began while it lasts, and is redacted", () => {
    const status: AgentConfigStatus = {};
    const gap = { check: "errors", message: "Prometheus at http://admin:s3cretpass@prom:9090/ unreachable" };
    recordEvaluation(status, config, { at: T0, checks: 2, pending: 1, firing: 0, gaps: [gap], faults: [] });
    recordEvaluation(status, config, {
      at: T0 + 60_000,
      checks: 2,
      pending: 0,
      firing: 1,
      gaps: [gap],
      faults: [],
    });
    expect(status.monitoring).toMatchObject({
      lastEvaluation: "2026-01-01T00:01:00Z",
      checks: 2,
      firing: 1,
      gaps: [{ check: "errors", since: "2026-01-01T00:00:00Z" }],
    });
    expect(status.monitoring!.gaps![0]!.message).not.toContain("s3cretpass");
    const evaluated = status.conditions!.find((c) => c.type === "ChecksEvaluated")!;
    expect(evaluated).toMatchObject({ status: "False", reason: "EvidenceGap", observedGeneration: 3 });
    expect(evaluated.message).not.toContain("s3cretpass");
    recordEvaluation(status, config, {
      at: T0 + 120_000,
      checks: 2,
      pending: 0,
      firing: 1,
      gaps: [],
      faults: [],
    });
    expect(status.monitoring!.gaps).toEqual([]);
    expect(status.conditions!.find((c) => c.type === "ChecksEvaluated")).toMatchObject({ status: "True" });
  });

  it("ChecksValid names each faulty check and says the others keep running", () => {
    const status: AgentConfigStatus = {};
    const faults = [
      {
        check: "broken",
        field: "promql" as const,
        message: "parse error at line 1, column 6: unexpected end of input",
      },
    ];
    recordEvaluation(status, config, { at: T0, checks: 1, pending: 0, firing: 0, gaps: [], faults });
    const valid = status.conditions!.find((c) => c.type === "ChecksValid")!;
    expect(valid).toMatchObject({ status: "False", reason: "CheckInvalid" });
    expect(valid.message).toBe(
      "spec.monitoring.checks[broken].promql: parse error at line 1, column 6: unexpected end of input; the other checks keep running",
    );
  });

  it("clearEvaluation removes what the agent wrote and nothing else", () => {
    const status: AgentConfigStatus = {
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "Valid",
          message: "",
          lastTransitionTime: "2026-01-01T00:00:00Z",
        },
      ],
    };
    recordEvaluation(status, config, { at: T0, checks: 1, pending: 0, firing: 0, gaps: [], faults: [] });
    clearEvaluation(status);
    expect(status.monitoring).toBeUndefined();
    expect(status.conditions!.map((c) => c.type)).toEqual(["Ready"]);
  });
});
