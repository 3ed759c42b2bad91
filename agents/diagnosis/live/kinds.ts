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

// Add-on API groups, served only where the add-on is installed.
const OPTIONAL_GROUPS = new Set(["cert-manager.io"]);

/** cert-manager's kinds the certificate analyzer reads (docs/diagnosis.md, CertificateExpired). */
const CERT_MANAGER_KINDS: readonly ResourceType[] = [
  t("cert-manager.io", "v1", "Certificate", "certificates"),
  t("cert-manager.io", "v1", "CertificateRequest", "certificaterequests"),
  t("cert-manager.io", "v1", "Issuer", "issuers"),
  t("cert-manager.io", "v1", "ClusterIssuer", "clusterissuers", false),
];

/**
 * The kinds the diagnosis engine reads live. Secrets are deliberately absent: the diagnosis
 * identity never reads them (missing Secrets show up in kubelet events instead). ConfigMaps
 * are read with their data dropped before the engine sees them. cert-manager's kinds are
 * optional (isOptionalKind): the operator watches them only while their CRDs are served.
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
  t("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies"),
  t("", "v1", "Namespace", "namespaces", false),
  t("rbac.authorization.k8s.io", "v1", "Role", "roles"),
  t("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
  t("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
  t("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false),
  t(RUNBOOK.group, RUNBOOK.version, RUNBOOK.kind, RUNBOOK.plural),
  ...CERT_MANAGER_KINDS,
];

/** True for a kind served only when an add-on's CRDs are installed: watched once discovery finds it. */
export function isOptionalKind(rt: ResourceType): boolean {
  return OPTIONAL_GROUPS.has(rt.group);
}
