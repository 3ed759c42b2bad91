/** Shapes of the non-Pod objects the analyzers read (nodes, networking, storage, batch, autoscaling, policy, admission). */
import type { Condition, K8sObject, LabelSelector, Labels, PodTemplate, Quantities, Time } from "./k8s.ts";

export interface Node extends K8sObject {
  spec?: {
    unschedulable?: boolean;
    taints?: { key: string; effect?: string; value?: string }[];
    providerID?: string;
  };
  status?: {
    conditions?: Condition[];
    addresses?: { type: string; address: string }[];
    allocatable?: Quantities;
  };
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}

export interface Service extends K8sObject {
  spec?: { type?: string; selector?: Labels; ports?: ServicePort[] };
}

export interface EndpointAddress {
  ip?: string;
  targetRef?: { kind?: string; name?: string; namespace?: string };
}

export interface Endpoints extends K8sObject {
  subsets?: { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[] }[];
}

export interface EndpointSlice extends K8sObject {
  endpoints?: { conditions?: { ready?: boolean }; targetRef?: { kind?: string; name?: string } }[];
}

export interface IngressBackend {
  service?: { name: string; port?: { number?: number; name?: string } };
  serviceName?: string;
  servicePort?: number | string;
}

export interface Ingress extends K8sObject {
  spec?: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: { host?: string; http?: { paths?: { path?: string; backend: IngressBackend }[] } }[];
  };
}

export interface PersistentVolumeClaim extends K8sObject {
  spec?: { storageClassName?: string; volumeName?: string; accessModes?: string[] };
  status?: { phase?: string; conditions?: Condition[] };
}

export interface Job extends K8sObject {
  spec?: {
    backoffLimit?: number;
    activeDeadlineSeconds?: number;
    template?: PodTemplate;
    suspend?: boolean;
  };
  status?: {
    conditions?: Condition[];
    failed?: number;
    succeeded?: number;
    active?: number;
    startTime?: Time;
    completionTime?: Time;
  };
}

export interface CronJob extends K8sObject {
  spec?: { suspend?: boolean; schedule?: string };
  status?: { lastScheduleTime?: Time; lastSuccessfulTime?: Time; active?: { name: string }[] };
}

export interface MetricTarget {
  type?: string;
  averageUtilization?: number;
  averageValue?: string | number;
  value?: string | number;
}

export interface MetricSpec {
  type: string;
  resource?: { name: string; target?: MetricTarget; current?: MetricTarget };
  pods?: { metric?: { name: string }; target?: MetricTarget; current?: MetricTarget };
  object?: { metric?: { name: string }; target?: MetricTarget; current?: MetricTarget };
  external?: { metric?: { name: string }; target?: MetricTarget; current?: MetricTarget };
  containerResource?: { name: string; target?: MetricTarget; current?: MetricTarget };
}

export interface HorizontalPodAutoscaler extends K8sObject {
  spec?: {
    scaleTargetRef?: { kind: string; name: string };
    minReplicas?: number;
    maxReplicas?: number;
    metrics?: MetricSpec[];
    targetCPUUtilizationPercentage?: number;
  };
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    currentMetrics?: MetricSpec[];
    currentCPUUtilizationPercentage?: number;
    conditions?: Condition[];
  };
}

export interface PodDisruptionBudget extends K8sObject {
  spec?: { selector?: LabelSelector; minAvailable?: number | string; maxUnavailable?: number | string };
  status?: {
    disruptionsAllowed?: number;
    currentHealthy?: number;
    desiredHealthy?: number;
    expectedPods?: number;
    conditions?: Condition[];
  };
}

export interface WebhookClientConfig {
  service?: { namespace: string; name: string; port?: number };
  url?: string;
}

export interface WebhookConfiguration extends K8sObject {
  webhooks?: { name: string; clientConfig?: WebhookClientConfig; failurePolicy?: string }[];
}
