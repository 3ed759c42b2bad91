import type { V1Deployment, V1ResourceRequirements } from "@kubernetes/client-node";

/** How a test Deployment's kwok-run pods look and behave. */
export interface KwokDeploymentOptions {
  replicas?: number;
  /** kwok drives the pods into this state (hack/control-plane.sh Stages): CrashLoopBackOff, OOMKilled... */
  simulate?: string;
  image?: string;
  /** Extra pod annotations. */
  annotations?: Record<string, string>;
  /** Pin the pods to this node. */
  node?: string;
  minReadySeconds?: number;
  resources?: V1ResourceRequirements;
}

/** A Deployment `app=name` with one container `app`, whose pods kwok runs (default 2 replicas). */
export function kwokDeployment(name: string, opts: KwokDeploymentOptions = {}): V1Deployment {
  const annotations = {
    ...opts.annotations,
    ...(opts.simulate ? { "aisre.io/simulate": opts.simulate } : {}),
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas: opts.replicas ?? 2,
      minReadySeconds: opts.minReadySeconds ?? 0,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations },
        spec: {
          containers: [
            {
              name: "app",
              image: opts.image ?? `registry.example.com/shop/${name}:v1`,
              resources: opts.resources ?? { requests: { cpu: "10m", memory: "16Mi" } },
            },
          ],
          ...(opts.node ? { nodeSelector: { "kubernetes.io/hostname": opts.node } } : {}),
        },
      },
    },
  };
}
