/**
 * The one table of kind names as people type them to kubectl: lower-case kind, plural and
 * short name → Kind. The CLI target, the WeCom commands, the LLM tools and the classifier
 * (which adds natural-language words on top) all read it.
 */
export const KIND_ALIASES: Readonly<Record<string, string>> = {
  pod: "Pod",
  pods: "Pod",
  po: "Pod",
  deployment: "Deployment",
  deployments: "Deployment",
  deploy: "Deployment",
  statefulset: "StatefulSet",
  statefulsets: "StatefulSet",
  sts: "StatefulSet",
  daemonset: "DaemonSet",
  daemonsets: "DaemonSet",
  ds: "DaemonSet",
  replicaset: "ReplicaSet",
  replicasets: "ReplicaSet",
  rs: "ReplicaSet",
  job: "Job",
  jobs: "Job",
  cronjob: "CronJob",
  cronjobs: "CronJob",
  cj: "CronJob",
  service: "Service",
  services: "Service",
  svc: "Service",
  ingress: "Ingress",
  ingresses: "Ingress",
  ing: "Ingress",
  persistentvolumeclaim: "PersistentVolumeClaim",
  persistentvolumeclaims: "PersistentVolumeClaim",
  pvc: "PersistentVolumeClaim",
  pvcs: "PersistentVolumeClaim",
  node: "Node",
  nodes: "Node",
  no: "Node",
  horizontalpodautoscaler: "HorizontalPodAutoscaler",
  horizontalpodautoscalers: "HorizontalPodAutoscaler",
  hpa: "HorizontalPodAutoscaler",
  poddisruptionbudget: "PodDisruptionBudget",
  poddisruptionbudgets: "PodDisruptionBudget",
  pdb: "PodDisruptionBudget",
  resourcequota: "ResourceQuota",
  resourcequotas: "ResourceQuota",
  quota: "ResourceQuota",
  validatingwebhookconfiguration: "ValidatingWebhookConfiguration",
  mutatingwebhookconfiguration: "MutatingWebhookConfiguration",
  ec2instance: "Ec2Instance",
  ec2: "Ec2Instance",
};

/** The Kind a typed name or alias stands for ("deploy" → "Deployment"); undefined when none. */
export function kindFromAlias(word: string): string | undefined {
  return KIND_ALIASES[word.toLowerCase()];
}
