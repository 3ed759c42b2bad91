/** Small object builders for the change finder's unit tests. */
import type { Fault } from "../fault.ts";
import type { K8sObject } from "../k8s.ts";
import type { Category } from "../types.ts";

export const NOW = Date.parse("2026-11-20T10:00:00Z");

/** RFC 3339 time `min` minutes before NOW. */
export const ago = (min: number): string =>
  new Date(NOW - min * 60_000).toISOString().replace(/\.000Z$/, "Z");

/** A managedFields entry written `min` minutes ago. */
export function written(min: number, fieldsV1: Record<string, unknown>, manager = "kubectl-edit"): unknown {
  return { manager, operation: "Update", apiVersion: "v1", time: ago(min), fieldsType: "FieldsV1", fieldsV1 };
}

/** A Deployment "api" in "shop" with ReplicaSets per revision {rev, min, image, env}. */
export function deploymentWithRevisions(
  revs: {
    rev: number;
    min: number;
    image: string;
    env?: { name: string; value: string }[];
    restartedAt?: string;
  }[],
  podTemplateExtra: Record<string, unknown> = {},
): K8sObject[] {
  const dep = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "api", namespace: "shop", uid: "d1", creationTimestamp: ago(3000) },
    spec: { selector: { matchLabels: { app: "api" } } },
  };
  const sets = revs.map((r) => ({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `api-${r.rev}`,
      namespace: "shop",
      uid: `rs${r.rev}`,
      creationTimestamp: ago(r.min),
      annotations: { "deployment.kubernetes.io/revision": String(r.rev) },
      ownerReferences: [{ kind: "Deployment", name: "api", uid: "d1", controller: true }],
    },
    spec: {
      template: {
        metadata: r.restartedAt
          ? { annotations: { "kubectl.kubernetes.io/restartedAt": r.restartedAt } }
          : {},
        spec: { containers: [{ name: "app", image: r.image, env: r.env ?? [] }], ...podTemplateExtra },
      },
    },
  }));
  return [dep, ...sets];
}

/** A crash-looping pod of the newest ReplicaSet "api-<rev>", first crash `crashMin` minutes ago. */
export function crashingPod(rev: number, crashMin: number, spec: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `api-${rev}-x1`,
      namespace: "shop",
      uid: `p${rev}`,
      labels: { app: "api" },
      creationTimestamp: ago(crashMin + 1),
      ownerReferences: [{ kind: "ReplicaSet", name: `api-${rev}`, uid: `rs${rev}`, controller: true }],
    },
    spec: { nodeName: "n1", containers: [{ name: "app", image: "x" }], ...spec },
    status: {
      conditions: [{ type: "Ready", status: "False", lastTransitionTime: ago(crashMin + 1) }],
      containerStatuses: [
        {
          name: "app",
          restartCount: 3,
          lastState: { terminated: { exitCode: 1, startedAt: ago(crashMin), finishedAt: ago(crashMin) } },
        },
      ],
    },
  };
}

/** A root-cause fault on Deployment shop/api with the given pods. */
export function rootFault(
  category: Category,
  pods: string[],
  subject = { kind: "Deployment", namespace: "shop", name: "api" },
): Fault {
  return {
    category,
    severity: "critical",
    resource: subject,
    subject,
    message: "",
    evidence: [],
    pods,
    facts: {},
    strength: 1,
  };
}
