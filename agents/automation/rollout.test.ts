import type { V1DaemonSet, V1Deployment, V1ReplicaSet, V1StatefulSet } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { rolloutStatus } from "./rollout.ts";

const dep = (status: V1Deployment["status"], generation = 2, replicas = 3): V1Deployment => ({
  metadata: { generation },
  spec: { replicas, selector: {}, template: {} },
  status,
});

describe("rolloutStatus", () => {
  it("judges a Deployment as kubectl rollout status does", () => {
    expect(rolloutStatus("Deployment", dep({ observedGeneration: 1 }))).toMatchObject({
      done: false,
      message: expect.stringContaining("observe"),
    });
    expect(
      rolloutStatus("Deployment", dep({ observedGeneration: 2, updatedReplicas: 1, replicas: 3 })).message,
    ).toBe("1 of 3 replicas updated");
    expect(
      rolloutStatus("Deployment", dep({ observedGeneration: 2, updatedReplicas: 3, replicas: 4 })).message,
    ).toBe("1 old replicas pending termination");
    expect(
      rolloutStatus(
        "Deployment",
        dep({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 }),
      ).done,
    ).toBe(false);
    expect(
      rolloutStatus(
        "Deployment",
        dep({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }),
      ),
    ).toEqual({
      done: true,
      ok: true,
      message: "rollout complete: 3 of 3 replicas updated and available",
    });
    const stuck = dep({
      observedGeneration: 2,
      conditions: [
        {
          type: "Progressing",
          status: "False",
          reason: "ProgressDeadlineExceeded",
          message: 'ReplicaSet "web-2" has timed out progressing.',
        },
      ],
    });
    expect(rolloutStatus("Deployment", stuck)).toMatchObject({
      done: true,
      ok: false,
      message: expect.stringContaining("timed out"),
    });
    expect(rolloutStatus("Deployment", dep({ observedGeneration: 2 }, 2, 0)).ok).toBe(true);
  });

  it("judges StatefulSets, DaemonSets and ReplicaSets", () => {
    const sts = (status: V1StatefulSet["status"]): V1StatefulSet => ({
      metadata: { generation: 1 },
      spec: { replicas: 2, selector: {}, serviceName: "s", template: {} },
      status,
    });
    expect(
      rolloutStatus(
        "StatefulSet",
        sts({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 1 }),
      ).done,
    ).toBe(false);
    expect(
      rolloutStatus(
        "StatefulSet",
        sts({
          observedGeneration: 1,
          replicas: 2,
          updatedReplicas: 2,
          readyReplicas: 2,
          currentRevision: "a",
          updateRevision: "b",
        }),
      ).message,
    ).toContain("revision b");
    expect(
      rolloutStatus(
        "StatefulSet",
        sts({
          observedGeneration: 1,
          replicas: 2,
          updatedReplicas: 2,
          readyReplicas: 2,
          currentRevision: "b",
          updateRevision: "b",
        }),
      ).ok,
    ).toBe(true);
    const ds: V1DaemonSet = {
      metadata: { generation: 1 },
      status: {
        observedGeneration: 1,
        desiredNumberScheduled: 3,
        updatedNumberScheduled: 3,
        numberAvailable: 2,
        currentNumberScheduled: 3,
        numberMisscheduled: 0,
        numberReady: 2,
      },
    };
    expect(rolloutStatus("DaemonSet", ds).message).toBe("2 of 3 pods available");
    const rs: V1ReplicaSet = {
      metadata: { generation: 1 },
      spec: { replicas: 2, selector: {} },
      status: { observedGeneration: 1, replicas: 2, availableReplicas: 2 },
    };
    expect(rolloutStatus("ReplicaSet", rs).ok).toBe(true);
  });
});
