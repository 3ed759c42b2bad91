import { describe, expect, it } from "vitest";
import { diagnose } from "./diagnose.ts";
import type { Fault } from "./fault.ts";
import { ago, deploymentWithRevisions } from "./change/testing.ts";
import { viewOf } from "./fixtures/builders.ts";
import { rolloutRegressionFaults } from "./rollout-evidence.ts";
import type { AlertInfo } from "./types.ts";

const readyPod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "api-2-abcde",
    namespace: "shop",
    labels: { app: "api" },
    creationTimestamp: ago(12),
    ownerReferences: [{ kind: "ReplicaSet", name: "api-2", uid: "rs2", controller: true }],
  },
  spec: { nodeName: "node-1", containers: [{ name: "app", image: "api:1.5" }] },
  status: {
    phase: "Running",
    conditions: [{ type: "Ready", status: "True" }],
    containerStatuses: [{ name: "app", ready: true, restartCount: 0, state: { running: {} } }],
  },
};

const objects = [
  ...deploymentWithRevisions([
    { rev: 1, min: 3000, image: "api:1.4" },
    { rev: 2, min: 12, image: "api:1.5" },
  ]),
  readyPod,
];

const alert: AlertInfo = {
  status: "firing",
  labels: {
    alertname: "RolloutRegression",
    severity: "critical",
    namespace: "shop",
    deployment: "api",
    workload: "api",
    revision: "2",
  },
  annotations: {
    deltas:
      "5xx 12.0% on revision 2 vs 0.3% on revision 1\ntraffic 20 req/s on revision 2 vs 20 req/s on revision 1",
    changes: "image api:1.4 → api:1.5",
    previous_revision: "1",
    window: "10m",
  },
};

describe("rollout regression evidence", () => {
  it("a RolloutRegression alert on Ready pods is a BadRollout with the deltas, and RolloutUndo to the previous revision", () => {
    const r = diagnose(viewOf(objects), { alert });
    expect(r.rootCause).toMatchObject({
      category: "BadRollout",
      resource: { kind: "Deployment", namespace: "shop", name: "api" },
    });
    expect(r.rootCause!.summary).toContain("5xx 12.0% on revision 2 vs 0.3% on revision 1");
    expect(r.findings[0]!.evidence).toEqual([
      "revision 2 compared with revision 1 over 10m after the rollout",
      "5xx 12.0% on revision 2 vs 0.3% on revision 1",
      "traffic 20 req/s on revision 2 vs 20 req/s on revision 1",
      "what changed: image api:1.4 → api:1.5",
    ]);
    expect(r.recommendations[0]).toMatchObject({ action: "RolloutUndo", params: { toRevision: 1 } });
  });

  it("without the alert the same healthy cluster has no root cause", () => {
    expect(diagnose(viewOf(objects), {}).rootCause).toBeNull();
    const other = { ...alert, labels: { ...alert.labels, alertname: "SomethingElse" } };
    expect(rolloutRegressionFaults(viewOf(objects), { alert: other }, [])).toEqual([]);
  });

  it("absorbs the workload's HighErrorRate and joins an existing BadRollout's evidence instead of a second one", () => {
    const subject = { kind: "Deployment", namespace: "shop", name: "api" };
    const symptom = {
      category: "HighErrorRate",
      subject,
      resource: subject,
      evidence: [],
    } as unknown as Fault;
    expect(rolloutRegressionFaults(viewOf(objects), { alert }, [symptom])).toHaveLength(1);
    expect(symptom.absorbedBy).toBe("BadRollout");
    const known = {
      category: "BadRollout",
      subject,
      resource: subject,
      evidence: ["crash"],
    } as unknown as Fault;
    expect(rolloutRegressionFaults(viewOf(objects), { alert }, [known])).toEqual([]);
    expect(known.evidence).toContain("5xx 12.0% on revision 2 vs 0.3% on revision 1");
  });
});
