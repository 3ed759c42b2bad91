/**
 * What an Alertmanager alert asks for: its alertname decides the type (kube-prometheus /
 * kubernetes-mixin names), its labels the target (kube-state-metrics conventions). Alerts
 * never ask to remediate by themselves: a firing alert is diagnosed first. Pure.
 */
import type { Alert } from "../../crds/common.ts";
import type { Scored, Target, TaskType } from "./types.ts";

/** Cluster-wide alerts: a health check of the cluster, not one object's diagnosis. */
const HEALTHCHECK_ALERTS = new Set([
  "Watchdog",
  "InfoInhibitor",
  "KubeCPUOvercommit",
  "KubeMemoryOvercommit",
  "KubeCPUQuotaOvercommit",
  "KubeMemoryQuotaOvercommit",
  "KubeVersionMismatch",
  "KubeClientErrors",
  "KubeClientCertificateExpiration",
  "KubeletClientCertificateExpiration",
  "KubeletServerCertificateExpiration",
  "KubeAggregatedAPIErrors",
  "KubeAPIErrorBudgetBurn",
  "PrometheusNotConnectedToAlertmanagers",
  "AlertmanagerFailedReload",
]);

/** Alerts about one object or a few: diagnose them. */
const DIAGNOSE_ALERTS = new Set([
  "KubePodCrashLooping",
  "KubePodNotReady",
  "KubeContainerWaiting",
  "KubeDeploymentReplicasMismatch",
  "KubeDeploymentGenerationMismatch",
  "KubeDeploymentRolloutStuck",
  "KubeStatefulSetReplicasMismatch",
  "KubeStatefulSetGenerationMismatch",
  "KubeStatefulSetUpdateNotRolledOut",
  "KubeDaemonSetRolloutStuck",
  "KubeDaemonSetNotScheduled",
  "KubeDaemonSetMisScheduled",
  "KubeJobFailed",
  "KubeJobNotCompleted",
  "KubeJobCompletion",
  "KubeHpaReplicasMismatch",
  "KubeHpaMaxedOut",
  "KubePersistentVolumeFillingUp",
  "KubePersistentVolumeInodesFillingUp",
  "KubePersistentVolumeErrors",
  "KubeQuotaExceeded",
  "KubeQuotaFullyUsed",
  "KubeQuotaAlmostFull",
  "KubeNodeNotReady",
  "KubeNodeUnreachable",
  "KubeNodeReadinessFlapping",
  "KubeNodePressure",
  "KubeletTooManyPods",
  "KubeletDown",
  "KubeletPlegDurationHigh",
  "CPUThrottlingHigh",
  "NodeFilesystemSpaceFillingUp",
  "NodeFilesystemAlmostOutOfSpace",
  "NodeFilesystemFilesFillingUp",
  "NodeMemoryHighUtilization",
  "NodeMemoryMajorPagesFaults",
  "NodeCPUHighUsage",
  "NodeSystemSaturation",
  "NodeDiskIOSaturation",
  "NodeNetworkReceiveErrs",
  "NodeNetworkTransmitErrs",
  "NodeClockNotSynchronising",
  "TargetDown",
]);

/** The task type an alertname asks for. */
export function alertType(alertname: string | undefined): Scored<TaskType> {
  if (alertname && HEALTHCHECK_ALERTS.has(alertname))
    return { value: "HealthCheck", confidence: 0.95, why: `alert ${alertname} is cluster-wide` };
  if (alertname && DIAGNOSE_ALERTS.has(alertname))
    return { value: "Diagnose", confidence: 0.95, why: `alert ${alertname}` };
  return { value: "Diagnose", confidence: 0.8, why: `alert ${alertname ?? "without a name"} is firing` };
}

/** Labels naming the subject, most specific first. */
const LABELS: [string, string][] = [
  ["pod", "Pod"],
  ["exported_pod", "Pod"],
  ["deployment", "Deployment"],
  ["statefulset", "StatefulSet"],
  ["daemonset", "DaemonSet"],
  ["job_name", "Job"],
  ["cronjob", "CronJob"],
  ["horizontalpodautoscaler", "HorizontalPodAutoscaler"],
  ["persistentvolumeclaim", "PersistentVolumeClaim"],
  ["ingress", "Ingress"],
  ["service", "Service"],
  ["resourcequota", "ResourceQuota"],
  ["node", "Node"],
];

/** Scrapers whose name lands in the service/job labels without being the subject. */
const SCRAPERS = /kube-state-metrics|node-exporter|kubelet|prometheus|alertmanager|apiserver|cadvisor/;

function isScraper(label: string, value: string, labels: Record<string, string>): boolean {
  return label === "service" && (value === labels.job || SCRAPERS.test(value));
}

function nodeFromInstance(labels: Record<string, string>): Target | undefined {
  const nodeish =
    /node|kubelet/i.test(labels.alertname ?? "") || /node-exporter|kubelet/.test(labels.job ?? "");
  const host = labels.instance?.replace(/:\d+$/, "");
  // A bare IP is no node name; the engine resolves it through node addresses from the alert itself.
  if (!nodeish || !host || /^[\d.]+$|^\[?[0-9a-f:]+\]?$/i.test(host)) return undefined;
  return { kind: "Node", name: host };
}

/** The object an alert's labels name; undefined when they name none. */
export function alertTarget(alert: Alert): Scored<Target> | undefined {
  const labels = alert.labels;
  const ns = labels.namespace || labels.exported_namespace || undefined;
  for (const [label, kind] of LABELS) {
    const name = labels[label];
    if (!name || isScraper(label, name, labels)) continue;
    if (kind === "Node") return { value: { kind, name }, confidence: 0.95, why: `label ${label}` };
    const value: Target = ns ? { kind, namespace: ns, name } : { kind, name };
    return { value, confidence: ns ? 0.95 : 0.7, why: `label ${label}` };
  }
  const node = nodeFromInstance(labels);
  if (node) return { value: node, confidence: 0.8, why: "label instance" };
  if (ns) return { value: { kind: "Namespace", name: ns }, confidence: 0.8, why: "label namespace" };
  return undefined;
}
