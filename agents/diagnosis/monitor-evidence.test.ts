import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { anomalyTask } from "../anomaly/tasks.ts";
import { diagnose } from "./diagnose.ts";
import { parseSnapshot, snapshotView } from "./snapshot.ts";
import type { AlertInfo } from "./types.ts";

const view = (file: string) =>
  snapshotView(parseSnapshot(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8")));

/** The alert the anomaly loop would put on its task (built by the loop's own code). */
function anomalyAlert(namespace: string, workload: string, signal: "errorRatio" | "latencyP99"): AlertInfo {
  const start = Date.UTC(2026, 11, 8, 10, 0) / 1000;
  const task = anomalyTask(
    {
      namespace,
      workload,
      anomaly: {
        signal,
        start,
        detectedAt: start + 600,
        value: 0.21,
        expected: 0.01,
        score: 9.4,
        message: "5xx ratio 21 % vs 1 % expected for Tuesday 10:00, 9.4 MAD",
      },
    },
    { namespace, config: "monitoring", kind: "Deployment", severity: "critical" },
  );
  return task.spec.alert as AlertInfo;
}

describe("a diagnosis opened by the anomaly detector", () => {
  it("starts with the anomaly's evidence, naming the workload, when nothing else is wrong", () => {
    const r = diagnose(view("healthy-noise.yaml"), { alert: anomalyAlert("app", "web", "errorRatio") });
    expect(r.rootCause).toBeNull();
    expect(r.findings[0]).toMatchObject({
      category: "HighErrorRate",
      severity: "critical",
      resource: { kind: "Deployment", namespace: "app", name: "web" },
    });
    expect(r.findings[0]!.message).toContain("5xx ratio 21 % vs 1 % expected for Tuesday 10:00, 9.4 MAD");
    expect(r.findings[0]!.evidence).toEqual(
      expect.arrayContaining([
        "value 21 %, expected 1 %",
        expect.stringContaining("9.4 MAD"),
        "anomalous since 2026-12-08T10:00:00Z",
      ]),
    );
  });

  it("keeps the engine's root cause on the named workload, the anomaly first among the findings", () => {
    const plain = diagnose(view("crashloop-exit127.yaml"), {
      alert: { labels: { alertname: "Other", namespace: "shop", deployment: "checkout" } },
    });
    const r = diagnose(view("crashloop-exit127.yaml"), {
      alert: anomalyAlert("shop", "checkout", "latencyP99"),
    });
    expect(r.rootCause).toMatchObject({
      category: "CrashLoop",
      resource: { kind: "Deployment", name: "checkout" },
    });
    expect(r.findings[0]).toMatchObject({ category: "HighLatency", resource: { name: "checkout" } });
    expect(r.findings.slice(1)).toEqual(plain.findings);
  });

  it("leaves other alerts' diagnoses as they were", () => {
    const alert = { labels: { alertname: "KubePodCrashLooping", namespace: "app", workload: "web" } };
    const r = diagnose(view("healthy-noise.yaml"), { alert });
    expect(r.findings.some((f) => f.message.startsWith("Anomaly:"))).toBe(false);
  });
});
