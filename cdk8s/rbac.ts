import { ApiObject } from "cdk8s";
import type { Chart } from "cdk8s";
import type { V1PolicyRule } from "@kubernetes/client-node";
import { automationNamespacedRules, automationRules, mergeRules } from "../agents/automation/rbac.ts";
import { LIVE_KINDS } from "../agents/diagnosis/live/kinds.ts";
import { ACTION_NAMES } from "../crds/actions.ts";
import type { ActionName } from "../crds/actions.ts";
import { API_GROUP } from "../crds/api.ts";
import { KINDS } from "../crds/registry.ts";
import { AGENTCONFIG, DIAGNOSISRUN, REMEDIATIONPLAN, RUNBOOK, SRETASK } from "../crds/resources.ts";
import { LABELS, NAMESPACE, SERVICE_ACCOUNT, SIDECAR, SIDECAR_LABELS } from "./config.ts";

const READ = ["get", "list", "watch"];

/**
 * The diagnosis reader: get/list/watch on exactly the kinds the engine reads live
 * (agents/diagnosis/live/kinds.ts LIVE_KINDS: NetworkPolicies, RBAC objects, Namespaces and
 * cert-manager's kinds among them), plus the previous-run logs of crashing containers
 * (controllers/diagnosisrun/pod-logs.ts), plus the SubjectAccessReview that confirms an
 * RBACForbidden root cause (controllers/diagnosisrun/access-review.ts: a question to the API
 * server, nothing is stored). Secrets are not among them.
 */
export function diagnosisReaderRules(): V1PolicyRule[] {
  return mergeRules([
    ...LIVE_KINDS.map((k) => ({ apiGroups: [k.group], resources: [k.plural], verbs: READ })),
    { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
    { apiGroups: ["authorization.k8s.io"], resources: ["subjectaccessreviews"], verbs: ["create"] },
  ]);
}

/** Full access to the aisre.io API, its status and finalizers (owner references need the latter). */
const plurals = KINDS.map((k) => k.plural);
const ownApiRules = [
  { apiGroups: [API_GROUP], resources: plurals, verbs: [...READ, "create", "update", "patch", "delete"] },
  { apiGroups: [API_GROUP], resources: plurals.map((p) => `${p}/status`), verbs: ["get", "update", "patch"] },
  { apiGroups: [API_GROUP], resources: plurals.map((p) => `${p}/finalizers`), verbs: ["update"] },
];

/** Events on any object (the operator's Events on the objects it reconciles). */
const platformRules = [
  { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
  { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: [...READ, "create", "patch"] },
];

/**
 * What the MCP HTTP tools (webhooks/mcp) read and write as the sidecar, once the caller's
 * SubjectAccessReview allowed the call: diagnose lists the kinds the engine reads (list only: a
 * one-shot read, no watch, no pod logs), search_runbooks and the runbook resources list and get
 * Runbooks, and propose_plan creates a RemediationPlan (never approves it: setting spec.approval
 * needs the approve verb, cdk8s/admission.ts). capacity, query_prometheus and find_dashboards
 * reach no Kubernetes API.
 */
export function sidecarMcpRules(): V1PolicyRule[] {
  return mergeRules([
    ...LIVE_KINDS.map((k) => ({ apiGroups: [k.group], resources: [k.plural], verbs: ["list"] })),
    { apiGroups: [API_GROUP], resources: [RUNBOOK.plural], verbs: ["get"] },
    { apiGroups: [API_GROUP], resources: [REMEDIATIONPLAN.plural], verbs: ["create"] },
  ]);
}

/**
 * The sidecar's own identity (webhooks/): it creates and follows SreTasks (Alertmanager, REST,
 * WeCom), reads RemediationPlans and AgentConfigs for REST and the namespace policy, and asks
 * the API server who a REST caller is and what they may do; for the MCP tools it reads what
 * diagnose reads and proposes plans (sidecarMcpRules). It writes nothing else; plan
 * decisions are made as the deciding user (the impersonation role of cdk8s/admission.ts,
 * limited to the names cluster policy maps).
 */
export const SIDECAR_RULES: V1PolicyRule[] = [
  { apiGroups: [API_GROUP], resources: [SRETASK.plural], verbs: [...READ, "create", "patch"] },
  { apiGroups: [API_GROUP], resources: [REMEDIATIONPLAN.plural, AGENTCONFIG.plural], verbs: ["get", "list"] },
  // The console's incident page shows the run's impact, runbooks and explanation.
  { apiGroups: [API_GROUP], resources: [DIAGNOSISRUN.plural], verbs: ["get", "list"] },
  { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
  { apiGroups: ["authorization.k8s.io"], resources: ["subjectaccessreviews"], verbs: ["create"] },
  ...sidecarMcpRules(),
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

/** Binds a role of `kind` to a ServiceAccount in the operator's namespace (default: the operator's). */
function bind(chart: Chart, kind: "ClusterRole" | "Role", name: string, account = SERVICE_ACCOUNT): void {
  const bindingKind = kind === "ClusterRole" ? "ClusterRoleBinding" : "RoleBinding";
  const labels = account === SIDECAR ? SIDECAR_LABELS : LABELS;
  new ApiObject(chart, `${bindingKind}-${name}`, {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: bindingKind,
    metadata: { name, labels, ...(kind === "Role" ? { namespace: NAMESPACE } : {}) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind, name },
    subjects: [{ kind: "ServiceAccount", name: account, namespace: NAMESPACE }],
  });
}

/** Adds a role with its binding. */
function role(
  chart: Chart,
  kind: "ClusterRole" | "Role",
  name: string,
  rules: object[],
  account = SERVICE_ACCOUNT,
): void {
  const labels = account === SIDECAR ? SIDECAR_LABELS : LABELS;
  new ApiObject(chart, `${kind}-${name}`, {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: { name, labels, ...(kind === "Role" ? { namespace: NAMESPACE } : {}) },
    rules,
  });
  bind(chart, kind, name, account);
}

function serviceAccount(chart: Chart, name: string, labels: Record<string, string>): void {
  new ApiObject(chart, `ServiceAccount-${name}`, {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace: NAMESPACE, labels },
  });
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

/** The operator core's ClusterRole (and Role in aisre-system: leases, its AgentConfigs' Secrets). */
export const OPERATOR_ROLE = "aisre-operator";
/** The ClusterRole that reads what the diagnosis engine looks at. */
export const READER_ROLE = "aisre-diagnosis-reader";
/** The sidecar's ClusterRole, bound to its own ServiceAccount. */
export const SIDECAR_ROLE = SIDECAR;

/**
 * The identities, each role generated separately so each is auditable: the operator process
 * (one ServiceAccount, split processes are out of scope) gets the operator core (its CRDs and
 * their status, Events, the Lease), the diagnosis reader and the executor of catalog actions
 * (a cluster runs diagnose-only by not binding the executor); the sidecar, its own Deployment,
 * gets its own ServiceAccount with SIDECAR_RULES only.
 */
export function addRbac(chart: Chart, actions: readonly ActionName[] = ACTION_NAMES): void {
  serviceAccount(chart, SERVICE_ACCOUNT, LABELS);
  role(chart, "ClusterRole", OPERATOR_ROLE, [...ownApiRules, ...platformRules]);
  role(chart, "Role", OPERATOR_ROLE, namespacedRules);
  role(chart, "ClusterRole", READER_ROLE, diagnosisReaderRules());
  addExecutorRbac(chart, actions);
  serviceAccount(chart, SIDECAR, SIDECAR_LABELS);
  role(chart, "ClusterRole", SIDECAR_ROLE, SIDECAR_RULES, SIDECAR);
}
