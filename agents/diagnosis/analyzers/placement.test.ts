import { describe, expect, it } from "vitest";
import type { K8sObject } from "../k8s.ts";
import { ago, event, pod, viewOf } from "../fixtures/builders.ts";
import { diagnosePod } from "./pod.ts";
import { schedulingReasons } from "./scheduling.ts";

const pending = (name: string, message: string) => {
  const p = pod("ns", name, { state: { waiting: { reason: "ContainerCreating" } } }, { phase: "Pending" });
  delete p.spec!.nodeName;
  p.status!.conditions = [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message }];
  p.status!.containerStatuses = [];
  return p;
};

describe("scheduling, volumes and nodes", () => {
  it("parses FailedScheduling reasons", () => {
    const r = schedulingReasons(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found.",
    );
    expect(r.total).toBe(3);
    expect(r.reasons.map((x) => x.text)).toEqual([
      "node(s) had untolerated taint {node.kubernetes.io/not-ready: }",
      "Insufficient memory",
    ]);
  });

  it("names Unschedulable with the blocking reasons", () => {
    const p = pending("big", "0/3 nodes are available: 3 Insufficient cpu.");
    const problem = diagnosePod(viewOf([p]), p)!;
    expect(problem.category).toBe("Unschedulable");
    expect(problem.facts.detail).toBe("3 Insufficient cpu");
  });

  it("blames the NotReady node when every node is not-ready", () => {
    const down: K8sObject = {
      kind: "Node",
      metadata: { name: "node-9" },
      status: { conditions: [{ type: "Ready", status: "False" }] },
    };
    const p = pending(
      "x",
      "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.",
    );
    const problem = diagnosePod(viewOf([down, p]), p)!;
    expect(problem.category).toBe("NodeNotReady");
    expect(problem.subject?.name).toBe("node-9");
  });

  it("blames the claim of a pod with unbound PVCs", () => {
    const p = pending("db", "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.");
    p.spec!.volumes = [{ name: "data", persistentVolumeClaim: { claimName: "db-data" } }];
    const pvc: K8sObject = {
      kind: "PersistentVolumeClaim",
      metadata: { name: "db-data", namespace: "ns" },
      status: { phase: "Pending" },
    };
    const problem = diagnosePod(viewOf([p, pvc]), p)!;
    expect(problem.category).toBe("PVCPending");
    expect(problem.subject).toEqual({ kind: "PersistentVolumeClaim", namespace: "ns", name: "db-data" });
  });

  it("names VolumeMountFailure for Multi-Attach and MissingConfig for a missing configmap volume", () => {
    const a = pod("ns", "a", { state: { waiting: { reason: "ContainerCreating" } } }, { phase: "Pending" });
    const b = pod("ns", "b", { state: { waiting: { reason: "ContainerCreating" } } }, { phase: "Pending" });
    const view = viewOf([
      a,
      b,
      event(
        a,
        "FailedAttachVolume",
        'Multi-Attach error for volume "pvc-1" Volume is already exclusively attached to one node and can\'t be attached to another',
      ),
      event(
        b,
        "FailedMount",
        'MountVolume.SetUp failed for volume "conf" : configmap "nginx-conf" not found',
      ),
    ]);
    expect(diagnosePod(view, a)?.category).toBe("VolumeMountFailure");
    expect(diagnosePod(view, b)?.category).toBe("MissingConfig");
  });

  it("blames the node for pods on a NotReady node and ignores evictions long gone", () => {
    const down: K8sObject = {
      kind: "Node",
      metadata: { name: "node-2" },
      status: { conditions: [{ type: "Ready", status: "Unknown" }] },
    };
    const p = pod("ns", "w", { state: { running: {} } }, { node: "node-2" });
    expect(diagnosePod(viewOf([down, p]), p)?.subject?.name).toBe("node-2");
    const evicted = pod("ns", "e", {}, { phase: "Failed" });
    evicted.status!.reason = "Evicted";
    evicted.status!.conditions = [{ type: "Ready", status: "False", lastTransitionTime: ago(3000) }];
    expect(diagnosePod(viewOf([evicted]), evicted)).toBeNull();
  });
});
