import { ApiObject } from "cdk8s";
import type { Chart } from "cdk8s";
import { automationNamespacedRules, automationRules } from "../agents/automation/rbac.ts";
import { ACTION_NAMES } from "../crds/actions.ts";
import type { ActionName } from "../crds/actions.ts";
import { API_GROUP } from "../crds/api.ts";
import { KINDS } from "../crds/registry.ts";
import { LABELS, NAMESPACE, SERVICE_ACCOUNT } from "./config.ts";

const READ = ["get", "list", "watch"];

/** Read access to everything the diagnosis engine looks at; Secrets deliberately excluded. */
const readRules = [
  {
    apiGroups: [""],
    resources: [
      "pods",
      "pods/log",
      "services",
      "endpoints",
      "events",
      "configmaps",
      "nodes",
      "namespaces",
      "persistentvolumeclaims",
      "persistentvolumes",
      "resourcequotas",
      "limitranges",
      "replicationcontrollers",
      "serviceaccounts",
    ],
    verbs: READ,
  },
  {
    apiGroups: ["apps"],
    resources: ["deployments", "replicasets", "statefulsets", "daemonsets", "controllerrevisions"],
    verbs: READ,
  },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: READ },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: READ },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: READ },
  {
    apiGroups: ["networking.k8s.io"],
    resources: ["ingresses", "ingressclasses", "networkpolicies"],
    verbs: READ,
  },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
  {
    apiGroups: ["storage.k8s.io"],
    resources: ["storageclasses", "volumeattachments", "csidrivers"],
    verbs: READ,
  },
  {
    apiGroups: ["admissionregistration.k8s.io"],
    resources: ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"],
    verbs: READ,
  },
];

/** Full access to the aisre.io API, its status and finalizers (owner references need the latter). */
const plurals = KINDS.map((k) => k.plural);
const ownApiRules = [
  { apiGroups: [API_GROUP], resources: plurals, verbs: [...READ, "create", "update", "patch", "delete"] },
  { apiGroups: [API_GROUP], resources: plurals.map((p) => `${p}/status`), verbs: ["get", "update", "patch"] },
  { apiGroups: [API_GROUP], resources: plurals.map((p) => `${p}/finalizers`), verbs: ["update"] },
];

/** Events on any object, TokenReview/SubjectAccessReview so the REST facade obeys RBAC. */
const platformRules = [
  { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
  { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: [...READ, "create", "patch"] },
  { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
  { apiGroups: ["authorization.k8s.io"], resources: ["subjectaccessreviews"], verbs: ["create"] },
];

/** Operator-core namespaced needs: the leader-election Lease and the Secrets AgentConfigs in aisre-system refer to. */
const namespacedRules = [
  {
    apiGroups: ["coordination.k8s.io"],
    resources: ["leases"],
    verbs: [...READ, "create", "update", "patch"],
  },
  { apiGroups: [""], resources: ["secrets"], verbs: ["get"] },
];

const subject = { kind: "ServiceAccount", name: SERVICE_ACCOUNT, namespace: NAMESPACE };

/** Binds a role of `kind` to the operator's ServiceAccount. */
function bind(chart: Chart, kind: "ClusterRole" | "Role", name: string): void {
  const bindingKind = kind === "ClusterRole" ? "ClusterRoleBinding" : "RoleBinding";
  new ApiObject(chart, `${bindingKind}-${name}`, {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: bindingKind,
    metadata: { name, labels: LABELS, ...(kind === "Role" ? { namespace: NAMESPACE } : {}) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind, name },
    subjects: [subject],
  });
}

/** Adds a role with its binding. */
function role(chart: Chart, kind: "ClusterRole" | "Role", name: string, rules: object[]): void {
  new ApiObject(chart, `${kind}-${name}`, {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: { name, labels: LABELS, ...(kind === "Role" ? { namespace: NAMESPACE } : {}) },
    rules,
  });
  bind(chart, kind, name);
}

/** The ClusterRole (and Role, in aisre-system) that executes catalog actions. */
export const EXECUTOR_ROLE = "aisre-executor";

/**
 * The executor's permissions, generated from the actions' own declared rules
 * (agents/automation/rbac.ts), so the deployed role cannot drift from what the actions call.
 * A function of the action list: a later split of identities binds it to its own account.
 */
export function addExecutorRbac(chart: Chart, actions: readonly ActionName[]): void {
  role(chart, "ClusterRole", EXECUTOR_ROLE, automationRules(actions));
  const namespaced = automationNamespacedRules(actions);
  // The AWS credentials Secret of the AgentConfig, only where AgentConfigs live.
  if (namespaced.length > 0) role(chart, "Role", EXECUTOR_ROLE, namespaced);
}

/**
 * The operator's identity and permissions: the operator core (watch and write its CRDs and
 * status, events, leases, read for diagnosis) and, separately, the executor of catalog
 * actions, so a cluster can run the operator diagnose-only by not binding the executor.
 */
export function addRbac(chart: Chart, actions: readonly ActionName[] = ACTION_NAMES): void {
  new ApiObject(chart, "ServiceAccount", {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: SERVICE_ACCOUNT, namespace: NAMESPACE, labels: LABELS },
  });
  role(chart, "ClusterRole", "aisre-operator", [...readRules, ...ownApiRules, ...platformRules]);
  role(chart, "Role", "aisre-operator", namespacedRules);
  addExecutorRbac(chart, actions);
}
