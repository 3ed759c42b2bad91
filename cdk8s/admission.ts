/**
 * Approving a RemediationPlan is a Kubernetes permission, checked by the API server (as approving
 * a CertificateSigningRequest is): the custom verb `approve` on remediationplans, granted by RBAC
 * (aisre-plan-approver) and enforced by a ValidatingAdmissionPolicy, so kubectl, the REST facade
 * and WeCom all meet the same rule. Also the sidecar's impersonation role for WeCom users, limited
 * to the names mapped in cluster policy (AgentConfig spec.policy.chatIdentities).
 */
import { ApiObject } from "cdk8s";
import type { Chart } from "cdk8s";
import { API_GROUP } from "../crds/api.ts";
import { APPROVE_VERB } from "../crds/approval.ts";
import { LABELS, NAMESPACE, SIDECAR } from "./config.ts";

/** The policy and its binding. */
export const APPROVAL_POLICY = "aisre-remediationplan-approval";
/** The ClusterRole a cluster admin binds to the people who may approve plans. */
export const APPROVER_ROLE = "aisre-plan-approver";
/** The ClusterRole that lets the sidecar act as the Kubernetes users WeCom users are mapped to. */
export const IMPERSONATOR_ROLE = "aisre-chat-impersonator";

const PLANS = "remediationplans";
const FORBIDDEN = "Forbidden";

/** Whether this request sets, changes or removes spec.approval (a create setting it counts). */
const CHANGES_APPROVAL =
  "request.operation == 'CREATE' ? has(object.spec.approval) : " +
  "(has(object.spec.approval) != has(oldObject.spec.approval) || " +
  "(has(object.spec.approval) && object.spec.approval != oldObject.spec.approval))";

/** The caller may `approve` this very plan. */
const MAY_APPROVE =
  `authorizer.group('${API_GROUP}').resource('${PLANS}')` +
  `.namespace(object.metadata.namespace).name(object.metadata.name).check('${APPROVE_VERB}').allowed()`;

const who = "request.userInfo.username";
const planRef = "object.metadata.namespace + '/' + object.metadata.name";

/**
 * The CEL validations, in order: no decision at create; deciding needs `approve` on the plan;
 * the recorded decider is the requesting user. Exported for the unit test of the rules' text.
 */
export const APPROVAL_VALIDATIONS = [
  {
    expression: "request.operation != 'CREATE' || !has(object.spec.approval)",
    messageExpression:
      `'RemediationPlan ' + ${planRef} + ': spec.approval cannot be set at creation; ` +
      `create the plan, then approve it as a user allowed the verb ${APPROVE_VERB}'`,
    reason: FORBIDDEN,
  },
  {
    expression: `!variables.changesApproval || ${MAY_APPROVE}`,
    messageExpression:
      `'user ' + ${who} + ' may not decide RemediationPlan ' + ${planRef} + ': it needs the verb ` +
      `${APPROVE_VERB} on ${PLANS}.${API_GROUP} (ClusterRole ${APPROVER_ROLE})'`,
    reason: FORBIDDEN,
  },
  {
    expression:
      "!variables.changesApproval || !has(object.spec.approval) || " +
      `(has(object.spec.approval.decidedBy) && object.spec.approval.decidedBy == ${who})`,
    messageExpression:
      `'spec.approval.decidedBy must be the requesting user ' + ${who} + ' (found ' + ` +
      "(has(object.spec.approval.decidedBy) ? object.spec.approval.decidedBy : 'none') + ')'",
    reason: FORBIDDEN,
  },
];

/** The ValidatingAdmissionPolicy, its binding and the approver ClusterRole. */
export function addApprovalPolicy(chart: Chart): void {
  new ApiObject(chart, "ValidatingAdmissionPolicy", {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: { name: APPROVAL_POLICY, labels: LABELS },
    spec: {
      failurePolicy: "Fail",
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: [API_GROUP],
            apiVersions: ["*"],
            operations: ["CREATE", "UPDATE"],
            resources: [PLANS],
          },
        ],
      },
      variables: [{ name: "changesApproval", expression: CHANGES_APPROVAL }],
      validations: APPROVAL_VALIDATIONS,
    },
  });
  new ApiObject(chart, "ValidatingAdmissionPolicyBinding", {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name: APPROVAL_POLICY, labels: LABELS },
    spec: { policyName: APPROVAL_POLICY, validationActions: ["Deny"] },
  });
  new ApiObject(chart, "ClusterRole-approver", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: {
      name: APPROVER_ROLE,
      labels: LABELS,
      annotations: {
        "aisre.io/description":
          "Approve or reject RemediationPlans: bind with a RoleBinding per namespace (or a " +
          "ClusterRoleBinding); the approver records their own username in spec.approval.decidedBy.",
      },
    },
    rules: [
      { apiGroups: [API_GROUP], resources: [PLANS], verbs: ["get", "list", "watch", "patch", APPROVE_VERB] },
    ],
  });
}

/** A WeCom user's Kubernetes identity, as AgentConfig spec.policy.chatIdentities maps it. */
export interface ChatIdentityNames {
  kubernetesUser: string;
  groups?: string[];
}

/**
 * The exact impersonation rules for the mapped identities: `impersonate` on those users and
 * groups by resourceNames, nothing else. Empty for no identities: a rule without resourceNames
 * would allow every name.
 */
export function impersonationRules(identities: readonly ChatIdentityNames[]): object[] {
  const users = [...new Set(identities.map((i) => i.kubernetesUser))].sort();
  const groups = [...new Set(identities.flatMap((i) => i.groups ?? []))].sort();
  const rules: object[] = [];
  if (users.length > 0)
    rules.push({ apiGroups: [""], resources: ["users"], verbs: ["impersonate"], resourceNames: users });
  if (groups.length > 0)
    rules.push({ apiGroups: [""], resources: ["groups"], verbs: ["impersonate"], resourceNames: groups });
  return rules;
}

/**
 * The sidecar's impersonation ClusterRole, bound to its ServiceAccount. Generated empty: the names
 * are the cluster admin's choice (chatIdentities of the AgentConfig `default` in the operator's
 * namespace), so the role is patched to exactly impersonationRules(chatIdentities).
 */
export function addChatImpersonation(chart: Chart): void {
  new ApiObject(chart, "ClusterRole-impersonator", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: {
      name: IMPERSONATOR_ROLE,
      labels: LABELS,
      annotations: {
        "aisre.io/description":
          `Lets the sidecar decide RemediationPlans as the Kubernetes users WeCom users are mapped to in ` +
          `AgentConfig ${NAMESPACE}/default spec.policy.chatIdentities. Limit it to exactly those names: one rule ` +
          `{apiGroups: [""], resources: [users], verbs: [impersonate], resourceNames: [<each kubernetesUser>]} and, ` +
          `when groups are mapped, the same for resources: [groups]. Never a rule without resourceNames.`,
      },
    },
    rules: impersonationRules([]),
  });
  new ApiObject(chart, "ClusterRoleBinding-impersonator", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: IMPERSONATOR_ROLE, labels: LABELS },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: IMPERSONATOR_ROLE },
    subjects: [{ kind: "ServiceAccount", name: SIDECAR, namespace: NAMESPACE }],
  });
}
