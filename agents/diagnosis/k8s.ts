/**
 * Minimal shapes of the Kubernetes objects the analyzers read. Objects come from
 * snapshots (timestamps as strings) or informer caches (timestamps as Dates), so
 * every time is `Time` and read through `toMs`.
 */
export type Time = string | Date;
export type Labels = Record<string, string>;

export interface OwnerRef {
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Labels;
  annotations?: Labels;
  ownerReferences?: OwnerRef[];
  creationTimestamp?: Time;
  deletionTimestamp?: Time;
  generation?: number;
}

/** Any Kubernetes object; analyzers cast to the narrower shapes below. */
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: Time;
  lastHeartbeatTime?: Time;
  lastUpdateTime?: Time;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface Quantities {
  [resource: string]: string | number | undefined;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
}

export interface EnvFromSource {
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface EnvVar {
  name: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

export interface Probe {
  httpGet?: { path?: string; port?: number | string };
  tcpSocket?: { port?: number | string };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  ports?: ContainerPort[];
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  resources?: { limits?: Quantities; requests?: Quantities };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}

export interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string };
  configMap?: { name: string; optional?: boolean };
  secret?: { secretName: string; optional?: boolean };
  projected?: { sources?: { configMap?: { name: string }; secret?: { name: string } }[] };
}

export interface ContainerStateDetail {
  reason?: string;
  message?: string;
  exitCode?: number;
  signal?: number;
  startedAt?: Time;
  finishedAt?: Time;
}

export interface ContainerState {
  waiting?: ContainerStateDetail;
  running?: { startedAt?: Time };
  terminated?: ContainerStateDetail;
}

export interface ContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface Toleration {
  key?: string;
  operator?: string;
  effect?: string;
}

export interface PodSpec {
  nodeName?: string;
  nodeSelector?: Labels;
  containers?: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  restartPolicy?: string;
  serviceAccountName?: string;
  tolerations?: Toleration[];
}

export interface Pod extends K8sObject {
  spec?: PodSpec;
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    startTime?: Time;
  };
}

export interface PodTemplate {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

export interface Workload extends K8sObject {
  spec?: {
    replicas?: number;
    selector?: LabelSelector;
    template?: PodTemplate;
    paused?: boolean;
    progressDeadlineSeconds?: number;
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    unavailableReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    desiredNumberScheduled?: number;
    numberReady?: number;
    numberUnavailable?: number;
    conditions?: Condition[];
    observedGeneration?: number;
  };
}

export type {
  Node,
  ServicePort,
  Service,
  EndpointAddress,
  Endpoints,
  EndpointSlice,
  IngressBackend,
  Ingress,
  PersistentVolumeClaim,
  Job,
  CronJob,
  MetricTarget,
  MetricSpec,
  HorizontalPodAutoscaler,
  PodDisruptionBudget,
  WebhookClientConfig,
  WebhookConfiguration,
} from "./k8s-resources.ts";

/** Milliseconds since the epoch of a Kubernetes time, or undefined when absent or unparsable. */
export function toMs(t: Time | undefined | null): number | undefined {
  if (t === undefined || t === null || t === "") return undefined;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The condition of a type, if present. */
export function condition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** The controlling owner reference (or the first one). */
export function controllerOf(obj: K8sObject): OwnerRef | undefined {
  const refs = obj.metadata?.ownerReferences;
  return refs?.find((r) => r.controller) ?? refs?.[0];
}

/** A human duration ("3d", "4h", "12m", "40s"). */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s >= 86400) return `${Math.floor(s / 86400)}d`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h`;
  if (s >= 60) return `${Math.floor(s / 60)}m`;
  return `${s}s`;
}
