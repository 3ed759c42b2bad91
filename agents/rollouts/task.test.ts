import { describe, expect, it } from "vitest";
import type { Rollout } from "./revisions.ts";
import { ROLLOUT_ALERTNAME, rolloutTask, rolloutTaskName } from "./task.ts";
import type { InstantQuery } from "./queries.ts";
import { DEFAULT_SETTINGS } from "./types.ts";
import { stageOf, timingOf, verifyRollout } from "./verify.ts";

const START = Date.parse("2026-12-07T01:00:00Z");
const rollout: Rollout = {
  kind: "Deployment",
  namespace: "shop",
  name: "checkout",
  revision: "7",
  previousRevision: "6",
  names: { current: "revision 7", previous: "revision 6" },
  start: START,
  currentPods: "checkout-77d4b-[a-z0-9]{5}",
  previousPods: "checkout-5f7c9-[a-z0-9]{5}",
  changes: ["image checkout:1.4 → checkout:1.5"],
  restarts: 0,
};

/** A TSDB stand-in: answers by which revision's pods a query selects, and records when it was asked. */
function tsdb(
  values: Record<string, Record<string, number>>,
  asked: { expr: string; at: number }[],
): InstantQuery {
  return async (expr, at) => {
    asked.push({ expr, at: at.getTime() });
    const rev = expr.includes("77d4b") ? "new" : "old";
    if (expr.startsWith("histogram_quantile")) return [{ labels: {}, value: values[rev]!.p99! }];
    if (expr.includes("/")) return [{ labels: {}, value: values[rev]!.errors! }];
    if (expr.startsWith("sum(rate(http_requests_total")) return [{ labels: {}, value: values[rev]!.rate! }];
    if (expr.includes("restarts")) throw new Error("kube-state-metrics not scraped");
    return [];
  };
}

describe("verifyRollout", () => {
  it("reads the previous revision over the window before the start and the new one over the window after", async () => {
    const asked: { expr: string; at: number }[] = [];
    const query = tsdb(
      { old: { rate: 10, errors: 0.003, p99: 0.4 }, new: { rate: 10, errors: 0.12, p99: 1.9 } },
      asked,
    );
    const timing = timingOf(DEFAULT_SETTINGS);
    const { verdict, gaps } = await verifyRollout(rollout, DEFAULT_SETTINGS, timing, query);
    expect(verdict.kind).toBe("regression");
    expect(verdict.summary).toContain("5xx 12.0% on revision 7 vs 0.3% on revision 6");
    expect(gaps).toEqual([
      "restarts of revision 6: kube-state-metrics not scraped",
      "restarts of revision 7: kube-state-metrics not scraped",
    ]);
    const at = (pods: string) => new Set(asked.filter((a) => a.expr.includes(pods)).map((a) => a.at));
    expect(at("5f7c9")).toEqual(new Set([START]));
    expect(at("77d4b")).toEqual(new Set([START + 600_000]));
    expect(asked[0]!.expr).toContain("[600s]");
  });

  it("is watched until the window and the settling delay pass, then due, then stale", () => {
    const t = timingOf(DEFAULT_SETTINGS, 30);
    expect(stageOf(rollout, t, START + 59_000)).toEqual({ stage: "watching", dueAt: START + 60_000 });
    expect(stageOf(rollout, t, START + 60_000)).toEqual({ stage: "due" });
    expect(stageOf(rollout, t, START + 60_000 + 3600_001)).toEqual({ stage: "stale" });
  });
});

describe("rolloutTask", () => {
  const verdict = {
    kind: "regression" as const,
    summary: "5xx 12.0% on revision 7 vs 0.3% on revision 6",
    deltas: [
      {
        signal: "errorRatio" as const,
        text: "5xx 12.0% on revision 7 vs 0.3% on revision 6",
        regression: true,
      },
      {
        signal: "requestRate" as const,
        text: "traffic 10 req/s on revision 7 vs 10 req/s on revision 6",
        regression: false,
      },
    ],
  };

  it("one deterministic name per workload and revision", () => {
    expect(rolloutTaskName(rollout)).toBe(rolloutTaskName({ ...rollout }));
    expect(rolloutTaskName(rollout)).not.toBe(rolloutTaskName({ ...rollout, revision: "8" }));
    expect(rolloutTaskName({ ...rollout, name: "x".repeat(63) }).length).toBeLessThanOrEqual(63);
  });

  it("a Remediate task awaiting approval, from the monitor, whose alert names the workload and carries the deltas", () => {
    const task = rolloutTask({ namespace: "shop", name: "default" }, rollout, verdict, 10);
    expect(task.spec).toMatchObject({
      type: "Remediate",
      source: "Monitor",
      remediation: { mode: "Approval" },
      agentConfigRef: { name: "default" },
      alert: {
        status: "firing",
        labels: {
          alertname: ROLLOUT_ALERTNAME,
          severity: "critical",
          deployment: "checkout",
          workload: "checkout",
          revision: "7",
          namespace: "shop",
        },
        annotations: {
          deltas: `${verdict.deltas[0]!.text}\n${verdict.deltas[1]!.text}`,
          changes: "image checkout:1.4 → checkout:1.5",
          previous_revision: "6",
          window: "10m",
        },
        startsAt: "2026-12-07T01:00:00Z",
      },
    });
    expect(task.spec.target).toBeUndefined();
    expect(task.metadata.namespace).toBe("shop");
  });

  it("secrets in what changed never reach the task", () => {
    const leaky = { ...rollout, changes: ["args changed: --password=hunter2hunter2"] };
    const task = rolloutTask({ namespace: "shop", name: "default" }, leaky, verdict, 10);
    expect(JSON.stringify(task)).not.toContain("hunter2hunter2");
  });
});
