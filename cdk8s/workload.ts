import { ApiObject } from "cdk8s";
import type { Chart } from "cdk8s";
import {
  IMAGE,
  LABELS,
  NAMESPACE,
  PORTS,
  SELECTOR,
  SERVICE_ACCOUNT,
  SIDECAR,
  SIDECAR_LABELS,
  SIDECAR_SELECTOR,
} from "./config.ts";

/** Non-root, no privilege escalation, nothing writable but /tmp. */
export const containerSecurity = {
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
function probe(path: string, port: string, failureThreshold: number, scheme?: string) {
  return {
    httpGet: { path, port, ...(scheme ? { scheme } : {}) },
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold,
  };
}

/**
 * The sidecar's TLS: the Secret (kubernetes.io/tls) mounted at TLS_DIR. The plain manifests
 * serve HTTP (empty file variables); the chart's sidecar.tls.secretName turns HTTPS on.
 */
export const TLS_DIR = "/etc/aisre/tls";
export const TLS_SECRET = "aisre-sidecar-tls";

/** Container resources; the chart's `resources` and `sidecar.resources` default to these. */
export const OPERATOR_RESOURCES = { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } };
export const SIDECAR_RESOURCES = { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } };
/** The operator's leader-election Lease (AISRE_LEASE_NAME). */
export const LEASE_NAME = "aisre-operator";

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
    // Explicit so the chart's leaderElection values have a line to own (app/config defaults).
    { name: "AISRE_LEADER_ELECT", value: "true" },
    { name: "AISRE_LEASE_NAME", value: LEASE_NAME },
  ],
  ports: [
    { name: "metrics", containerPort: PORTS.metrics, protocol: "TCP" },
    { name: "health", containerPort: PORTS.health, protocol: "TCP" },
  ],
  livenessProbe: probe("/healthz", "health", 6),
  readinessProbe: probe("/readyz", "health", 3),
  resources: OPERATOR_RESOURCES,
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
    { name: "PORT", value: String(PORTS.webhooks) },
    // Optional so the pod starts; the sidecar refuses to start without it and says which variable.
    {
      name: "AISRE_WEBHOOK_TOKEN",
      valueFrom: { secretKeyRef: { name: "aisre-sidecar", key: "webhook-token", optional: true } },
    },
    // REST callers' tokens must be minted for this audience: kubectl create token SA --audience aisre-sidecar.
    { name: "AISRE_TOKEN_AUDIENCE", value: SIDECAR },
    // Empty: plain HTTP. The chart fills both when sidecar.tls.secretName is set.
    { name: "AISRE_TLS_CERT_FILE", value: "" },
    { name: "AISRE_TLS_KEY_FILE", value: "" },
    // Capacity (REST, console) and MCP query_prometheus read this TSDB; empty: they say none is set.
    { name: "AISRE_PROMETHEUS_URL", value: "" },
  ],
  ports: [{ name: "webhooks", containerPort: PORTS.webhooks, protocol: "TCP" }],
  livenessProbe: probe("/healthz", "webhooks", 6, "HTTP"),
  readinessProbe: probe("/readyz", "webhooks", 3, "HTTP"),
  resources: SIDECAR_RESOURCES,
  securityContext: containerSecurity,
  volumeMounts: [
    { name: "tmp", mountPath: "/tmp" },
    { name: "tls", mountPath: TLS_DIR, readOnly: true },
  ],
};

export const podSecurity = {
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  fsGroup: 65532,
  seccompProfile: { type: "RuntimeDefault" },
};

/** Spread replicas over nodes. */
const spread = (selector: Record<string, string>) => ({
  podAntiAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      {
        weight: 100,
        podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: selector } },
      },
    ],
  },
});

/** The operator's pod: the operator alone, under the operator's ServiceAccount. */
const podSpec = {
  serviceAccountName: SERVICE_ACCOUNT,
  securityContext: podSecurity,
  terminationGracePeriodSeconds: 30,
  affinity: spread(SELECTOR),
  containers: [operator],
  volumes: [
    { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
    { name: "data", emptyDir: { sizeLimit: "1Gi" } },
  ],
};

/** The sidecar's pod: stateless, its own ServiceAccount, the TLS Secret when there is one. */
const sidecarPodSpec = {
  serviceAccountName: SIDECAR,
  securityContext: podSecurity,
  terminationGracePeriodSeconds: 30,
  affinity: spread(SIDECAR_SELECTOR),
  containers: [sidecar],
  volumes: [
    { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
    { name: "tls", secret: { secretName: TLS_SECRET, optional: true } },
  ],
};

/**
 * The sidecar's NetworkPolicy: ingress only on its port, from anywhere by default (Alertmanager
 * and WeCom come from outside; the chart's sidecar.networkPolicy.ingressFrom restricts it);
 * egress only to DNS, HTTPS (the API server, on 443 or 6443, and the WeCom API; the chart's
 * sidecar.networkPolicy.apiServer restricts it, e.g. to the API server's ipBlock) and the TSDB's
 * usual ports (Prometheus 9090, VictoriaMetrics 8428: capacity and query_prometheus; restricted
 * by sidecar.networkPolicy.metrics).
 */
function sidecarNetworkPolicy() {
  return {
    podSelector: { matchLabels: SIDECAR_SELECTOR },
    policyTypes: ["Ingress", "Egress"],
    ingress: [{ from: [], ports: [{ port: PORTS.webhooks, protocol: "TCP" }] }],
    egress: [
      {
        to: [],
        ports: [
          { port: 53, protocol: "UDP" },
          { port: 53, protocol: "TCP" },
        ],
      },
      {
        to: [],
        ports: [
          { port: 443, protocol: "TCP" },
          { port: 6443, protocol: "TCP" },
        ],
      },
      {
        to: [],
        ports: [
          { port: 9090, protocol: "TCP" },
          { port: 8428, protocol: "TCP" },
        ],
      },
    ],
  };
}

/**
 * The operator (two replicas: one leads the controllers) and the sidecar (its own Deployment,
 * two stateless replicas behind the aisre-sidecar Service, its NetworkPolicy); a PDB for each
 * keeps one replica during drains.
 */
export function addWorkload(chart: Chart): void {
  const metadata = (name: string, labels: Record<string, string> = LABELS) => ({
    name,
    namespace: NAMESPACE,
    labels,
  });
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
  new ApiObject(chart, "Service-operator", {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata("aisre-operator-metrics"),
    spec: {
      type: "ClusterIP",
      selector: SELECTOR,
      // health: the chart's `helm test` Pod calls /readyz through it.
      ports: [
        { name: "metrics", port: PORTS.metrics, targetPort: "metrics", protocol: "TCP" },
        { name: "health", port: PORTS.health, targetPort: "health", protocol: "TCP" },
      ],
    },
  });
  new ApiObject(chart, "PodDisruptionBudget", {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: metadata("aisre-operator"),
    spec: { maxUnavailable: 1, selector: { matchLabels: SELECTOR } },
  });
  new ApiObject(chart, "Deployment-sidecar", {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(SIDECAR, SIDECAR_LABELS),
    spec: {
      replicas: 2,
      selector: { matchLabels: SIDECAR_SELECTOR },
      template: { metadata: { labels: SIDECAR_LABELS }, spec: sidecarPodSpec },
    },
  });
  new ApiObject(chart, "Service", {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(SIDECAR, SIDECAR_LABELS),
    spec: {
      type: "ClusterIP",
      selector: SIDECAR_SELECTOR,
      ports: [{ name: "webhooks", port: PORTS.webhooks, targetPort: "webhooks", protocol: "TCP" }],
    },
  });
  new ApiObject(chart, "PodDisruptionBudget-sidecar", {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: metadata(SIDECAR, SIDECAR_LABELS),
    spec: { maxUnavailable: 1, selector: { matchLabels: SIDECAR_SELECTOR } },
  });
  new ApiObject(chart, "NetworkPolicy-sidecar", {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: metadata(SIDECAR, SIDECAR_LABELS),
    spec: sidecarNetworkPolicy(),
  });
}
