import type { ResourceType } from "../../../kube/kube-api.ts";
import { RUNBOOK } from "../../../crds/resources.ts";

const t = (
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced = true,
): ResourceType => ({
  group,
  version,
  kind,
  plural,
  namespaced,
});

/**
 * The kinds the diagnosis engine reads live. Secrets are deliberately absent: the diagnosis
 * identity never reads them (missing Secrets show up in kubelet events instead). ConfigMaps
 * are read with their data dropped before the engine sees them.
 */
export const LIVE_KINDS: readonly ResourceType[] = [
  t("", "v1", "Pod", "pods"),
  t("", "v1", "Node", "nodes", false),
  t("", "v1", "Event", "events"),
  t("", "v1", "Service", "services"),
  t("", "v1", "Endpoints", "endpoints"),
  t("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"),
  t("", "v1", "PersistentVolume", "persistentvolumes", false),
  t("", "v1", "ResourceQuota", "resourcequotas"),
  t("", "v1", "LimitRange", "limitranges"),
  t("", "v1", "ConfigMap", "configmaps"),
  t("apps", "v1", "Deployment", "deployments"),
  t("apps", "v1", "ReplicaSet", "replicasets"),
  t("apps", "v1", "StatefulSet", "statefulsets"),
  t("apps", "v1", "DaemonSet", "daemonsets"),
  t("batch", "v1", "Job", "jobs"),
  t("batch", "v1", "CronJob", "cronjobs"),
  t("networking.k8s.io", "v1", "Ingress", "ingresses"),
  t("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false),
  t("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices"),
  t("storage.k8s.io", "v1", "StorageClass", "storageclasses", false),
  t("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers"),
  t("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets"),
  t(
    "admissionregistration.k8s.io",
    "v1",
    "ValidatingWebhookConfiguration",
    "validatingwebhookconfigurations",
    false,
  ),
  t(
    "admissionregistration.k8s.io",
    "v1",
    "MutatingWebhookConfiguration",
    "mutatingwebhookconfigurations",
    false,
  ),
  t(RUNBOOK.group, RUNBOOK.version, RUNBOOK.kind, RUNBOOK.plural),
];
