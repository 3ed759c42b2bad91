import type { V1Deployment, V1StatefulSet } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { deploymentRollout, statefulSetRollout } from "./workloads.ts";

const NOW = Date.UTC(2026, 11, 7, 1, 0) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString();

function deployment(revision: string, status: V1Deployment["status"], generation = 2): V1Deployment {
  return {
    metadata: {
      name: "web",
      generation,
      creationTimestamp: new Date((NOW - 86_400) * 1000),
      annotations: { "deployment.kubernetes.io/revision": revision },
    },
    spec: { replicas: 2, selector: {}, template: {} },
    status: { observedGeneration: generation, ...status },
  };
}

const done = { replicas: 2, updatedReplicas: 2, availableReplicas: 2 };

describe("rollouts from workload status", () => {
  it("a Deployment rolling out is a rollout up to now", () => {
    const d = deployment("3", { replicas: 3, updatedReplicas: 1, availableReplicas: 2 });
    expect(deploymentRollout(d, NOW)).toEqual({ start: NOW - 86_400, end: NOW });
    const unseen = deployment("3", { ...done, observedGeneration: 1 });
    expect(deploymentRollout(unseen, NOW)?.end).toBe(NOW);
  });

  it("a finished rollout ends when the new ReplicaSet became available", () => {
    const cond = {
      type: "Progressing",
      status: "True",
      reason: "NewReplicaSetAvailable",
      lastTransitionTime: new Date((NOW - 3600) * 1000),
      lastUpdateTime: new Date((NOW - 600) * 1000),
    };
    const d = deployment("2", { ...done, conditions: [cond] });
    expect(deploymentRollout(d, NOW)).toEqual({ start: NOW - 3600, end: NOW - 600 });
    expect(iso(deploymentRollout(d, NOW)!.end)).toBe("2026-12-07T00:50:00.000Z");
  });

  it("the first revision is the Deployment's creation, not a rollout", () => {
    const cond = { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" };
    expect(deploymentRollout(deployment("1", { ...done, conditions: [cond] }), NOW)).toBeUndefined();
    expect(deploymentRollout(deployment("1", { replicas: 2, updatedReplicas: 0 }), NOW)).toBeUndefined();
  });

  it("a StatefulSet rolls out while its current and update revisions differ", () => {
    const s = (current: string): V1StatefulSet => ({
      metadata: { name: "db", creationTimestamp: new Date((NOW - 60) * 1000) },
      status: { replicas: 3, currentRevision: current, updateRevision: "db-2" },
    });
    expect(statefulSetRollout(s("db-1"), NOW)).toEqual({ start: NOW - 60, end: NOW });
    expect(statefulSetRollout(s("db-2"), NOW)).toBeUndefined();
  });
});
