import { ApiObject } from "cdk8s";
import type { Chart } from "cdk8s";
import { IMAGE, LABELS, NAMESPACE, PORTS, SELECTOR, SERVICE_ACCOUNT } from "./config.ts";

/** Non-root, no privilege escalation, nothing writable but /tmp. */
const containerSecurity = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
};

const podEnv = [
  { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
  { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
];

/** An HTTP probe; readiness checks often, liveness tolerates a slow event loop. */
function probe(path: string, port: string, failureThreshold: number) {
  return { httpGet: { path, port }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold };
}

const operator = {
  name: "operator",
  image: IMAGE,
  imagePullPolicy: "IfNotPresent",
  command: ["aisre", "operator"],
  env: [
    ...podEnv,
    // Optional: without it the incident history uses embedded PGlite (docs/design.md §7).
    {
      name: "DATABASE_URL",
      valueFrom: { secretKeyRef: { name: "aisre-database", key: "url", optional: true } },
    },
    // Where embedded PGlite keeps the incident history when DATABASE_URL is unset; the CRs
    // stay the source of truth, so an emptyDir that dies with the pod is re-projected.
    { name: "AISRE_DATA_DIR", value: "/var/lib/aisre/pgdata" },
  ],
  ports: [
    { name: "metrics", containerPort: PORTS.metrics, protocol: "TCP" },
    { name: "health", containerPort: PORTS.health, protocol: "TCP" },
  ],
  livenessProbe: probe("/healthz", "health", 6),
  readinessProbe: probe("/readyz", "health", 3),
  resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
  securityContext: containerSecurity,
  volumeMounts: [
    { name: "tmp", mountPath: "/tmp" },
    { name: "data", mountPath: "/var/lib/aisre" },
  ],
};

const sidecar = {
  name: "sidecar",
  image: IMAGE,
  imagePullPolicy: "IfNotPresent",
  command: ["aisre", "sidecar"],
  env: [
    ...podEnv,
    // The operator serves metrics on 8080 in the same pod.
    { name: "PORT", value: String(PORTS.webhooks) },
    // Optional so the pod starts; the sidecar refuses to start without it and says which variable.
    {
      name: "AISRE_WEBHOOK_TOKEN",
      valueFrom: { secretKeyRef: { name: "aisre-sidecar", key: "webhook-token", optional: true } },
    },
  ],
  ports: [{ name: "webhooks", containerPort: PORTS.webhooks, protocol: "TCP" }],
  livenessProbe: probe("/healthz", "webhooks", 6),
  readinessProbe: probe("/readyz", "webhooks", 3),
  resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
  securityContext: containerSecurity,
  volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
};

/** The pod: operator (leader-elected) and sidecar (stateless) share one ServiceAccount. */
const podSpec = {
  serviceAccountName: SERVICE_ACCOUNT,
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 65532,
    runAsGroup: 65532,
    fsGroup: 65532,
    seccompProfile: { type: "RuntimeDefault" },
  },
  terminationGracePeriodSeconds: 30,
  affinity: {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            topologyKey: "kubernetes.io/hostname",
            labelSelector: { matchLabels: SELECTOR },
          },
        },
      ],
    },
  },
  containers: [operator, sidecar],
  volumes: [
    { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
    { name: "data", emptyDir: { sizeLimit: "1Gi" } },
  ],
};

/** Two replicas: one leads the controllers, both serve webhooks; a PDB keeps one during drains. */
export function addWorkload(chart: Chart): void {
  const metadata = (name: string) => ({ name, namespace: NAMESPACE, labels: LABELS });
  new ApiObject(chart, "Deployment", {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata("aisre-operator"),
    spec: {
      replicas: 2,
      selector: { matchLabels: SELECTOR },
      template: { metadata: { labels: LABELS }, spec: podSpec },
    },
  });
  new ApiObject(chart, "Service", {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata("aisre-sidecar"),
    spec: {
      type: "ClusterIP",
      selector: SELECTOR,
      ports: [
        { name: "webhooks", port: PORTS.webhooks, targetPort: "webhooks", protocol: "TCP" },
        { name: "metrics", port: PORTS.metrics, targetPort: "metrics", protocol: "TCP" },
      ],
    },
  });
  new ApiObject(chart, "PodDisruptionBudget", {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: metadata("aisre-operator"),
    spec: { maxUnavailable: 1, selector: { matchLabels: SELECTOR } },
  });
}
