import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { MonitoringSpec } from "./types.ts";
import { allFaults, checkFaults, faultText, promqlError } from "./validate.ts";

describe("promqlError", () => {
  it.each([
    'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) > 1',
    "up == 0",
    'kube_pod_container_status_restarts_total{namespace="shop"} offset 5m',
    "histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))",
  ])("accepts %s", (expr) => expect(promqlError(expr)).toBeUndefined());

  it.each([
    ["rate(x[5m]", "line 1, column 11: unexpected end of input"],
    ["up ==", "line 1, column 6: unexpected end of input"],
    ['foo{a="b"', "line 1, column 10"],
    ["1 +* 2", 'line 1, column 4: unexpected "* 2"'],
    ["sum(up)\n  by (", "line 2"],
  ])("reports where %j fails", (expr, where) => {
    const err = promqlError(expr);
    expect(err).toMatch(/^parse error at /);
    expect(err).toContain(where);
  });

  it("refuses an empty expression", () => expect(promqlError("  ")).toBe("empty expression"));
});

describe("checkFaults", () => {
  it("names the check and the field of each fault", () => {
    const faults = checkFaults({ name: "bad", promql: "rate(x[5m]", for: "5m5m", clearFor: "1x" });
    expect(faults.map((f) => [f.check, f.field])).toEqual([
      ["bad", "promql"],
      ["bad", "for"],
      ["bad", "clearFor"],
    ]);
    expect(faultText(faults[1]!)).toMatch(/^spec\.monitoring\.checks\[bad\]\.for: "5m5m": units/);
  });

  it("a valid check has none, and other checks' faults do not touch it", () => {
    const faults = allFaults([
      { name: "ok", promql: "up == 0", for: "1m", clearFor: "2m" },
      { name: "broken", promql: "up ==" },
    ]);
    expect(faults.map((f) => f.check)).toEqual(["broken"]);
  });
});

describe("examples/agentconfig-monitoring.yaml", () => {
  it("holds only checks that parse", () => {
    const text = readFileSync(
      new URL("../../../examples/agentconfig-monitoring.yaml", import.meta.url),
      "utf8",
    );
    const example = parse(text) as { spec: { monitoring: MonitoringSpec } };
    expect(example.spec.monitoring.checks!.length).toBeGreaterThan(0);
    expect(allFaults(example.spec.monitoring.checks!)).toEqual([]);
  });
});
