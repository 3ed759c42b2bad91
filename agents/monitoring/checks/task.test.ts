import { describe, expect, it } from "vitest";
import { seriesTaskName } from "./identity.ts";
import type { SeriesState } from "./state.ts";
import { MONITOR_LABELS, alertLabels, formatValue, monitorTask, resolvedPatch } from "./task.ts";

const state: SeriesState = {
  fingerprint: "0123456789abcdef",
  labels: { namespace: "other", pod: "api-0", alertname: "spoofed", token: "password=hunter2secret" },
  value: 0.123456,
  phase: "firing",
  activeSince: Date.parse("2026-01-01T00:00:00Z"),
  firingSince: Date.parse("2026-01-01T00:05:00Z"),
  task: "none",
};
const check = {
  name: "high-errors",
  promql: "errors > 1",
  for: "5m",
  severity: "critical" as const,
  description: "5xx above 1/s",
  labels: { team: "shop" },
};

describe("monitorTask", () => {
  it("opens in the AgentConfig's namespace, source Monitor, with the series as evidence", () => {
    const task = monitorTask("shop", "mon", check, state);
    expect(task.metadata).toMatchObject({
      name: "monitor-high-errors-0123456789abcdef",
      namespace: "shop",
      labels: {
        [MONITOR_LABELS.config]: "mon",
        [MONITOR_LABELS.check]: "high-errors",
        [MONITOR_LABELS.severity]: "critical",
      },
    });
    expect(task.spec).toMatchObject({ source: "Monitor", agentConfigRef: { name: "mon" } });
    expect(task.spec.alert).toMatchObject({
      fingerprint: "0123456789abcdef",
      status: "firing",
      startsAt: "2026-01-01T00:05:00Z",
      annotations: {
        value: "0.1235",
        promql: "errors > 1",
        summary: "5xx above 1/s: high-errors returned 0.1235",
      },
    });
    expect(task.spec.alert!.labels).toMatchObject({
      alertname: "high-errors",
      severity: "critical",
      team: "shop",
      namespace: "other",
    });
  });

  it("the check's alertname and severity win over the series', and label values are redacted", () => {
    const labels = alertLabels(check, state);
    expect(labels.alertname).toBe("high-errors");
    expect(labels.token).not.toContain("hunter2secret");
  });

  it("names stay DNS labels of at most 63 characters", () => {
    const name = seriesTaskName("a".repeat(63), "0123456789abcdef");
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});

describe("resolvedPatch and formatValue", () => {
  it("marks the alert resolved at the time it cleared", () => {
    expect(resolvedPatch(Date.parse("2026-01-01T01:00:00.250Z"))).toEqual({
      spec: { alert: { status: "resolved", endsAt: "2026-01-01T01:00:00Z" } },
    });
  });
  it("prints 4 significant digits", () => {
    expect(formatValue(1234567)).toBe("1235000");
    expect(formatValue(NaN)).toBe("NaN");
  });
});
