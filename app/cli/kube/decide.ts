/**
 * Approving or rejecting a RemediationPlan as the kubeconfig's user, through the real path
 * (docs/security.md, finding 1): a merge patch of spec.approval naming the user the API server
 * authenticates (SelfSubjectReview) in decidedBy. The aisre-remediationplan-approval
 * ValidatingAdmissionPolicy admits it only from a user allowed the verb approve on the plan whose
 * username that is, and answers 403 in its own words otherwise; nothing here decides who may.
 */
import type { RemediationPlan } from "../../../crds/index.ts";
import { REMEDIATIONPLAN } from "../../../crds/resources.ts";
import type { KubeClient } from "../../../kube/kube-api.ts";
import { objectPath } from "../../../kube/kube-api.ts";
import { whoAmI } from "./session.ts";
import type { Strings } from "./strings-en.ts";

/** The field manager of the plugin's decision patches (status.approval.via stays Kubernetes). */
export const PLUGIN_FIELD_MANAGER = "kubectl-aisre";

/** A decision the command refuses before asking the API server (already decided, finished). */
export class DecisionRefused extends Error {}

const DECIDABLE = new Set([undefined, "Pending", "AwaitingApproval"]);

/** Why this plan cannot be decided any more, or undefined when it can. */
export function refusal(plan: RemediationPlan, t: Strings): string | undefined {
  const id = `${plan.metadata.namespace}/${plan.metadata.name}`;
  const decided = plan.spec.approval;
  if (decided?.decision) return t.alreadyDecided(id, decided.decision, decided.decidedBy ?? "?");
  const phase = plan.status?.phase;
  if (DECIDABLE.has(phase)) return undefined;
  if (plan.status?.approval?.via === "Policy" && (phase === "Approved" || phase === "Running"))
    return t.decidedByPolicy(id, phase);
  return t.finished(id, phase ?? "");
}

/** The merge patch of one decision: conditional on the plan read (resourceVersion), decidedBy the caller. */
export function decisionPatch(
  plan: RemediationPlan,
  decision: "Approved" | "Rejected",
  username: string,
  comment: string | undefined,
): object {
  return {
    metadata: { resourceVersion: plan.metadata.resourceVersion },
    spec: { approval: { decision, decidedBy: username, ...(comment ? { comment } : {}) } },
  };
}

/** Which plan, which decision, and why. */
export interface DecisionRequest {
  namespace: string;
  name: string;
  decision: "Approved" | "Rejected";
  comment: string | undefined;
}

/** Reads the plan, checks it can still be decided, and patches the decision as the kubeconfig's user. */
export async function decide(
  client: KubeClient,
  { namespace, name, decision, comment }: DecisionRequest,
  t: Strings,
): Promise<RemediationPlan> {
  const path = objectPath(REMEDIATIONPLAN, namespace, name);
  const plan = await client.request<RemediationPlan>("GET", path);
  const why = refusal(plan, t);
  if (why) throw new DecisionRefused(why);
  const username = await whoAmI(client);
  try {
    return await client.request<RemediationPlan>("PATCH", path, {
      query: { fieldManager: PLUGIN_FIELD_MANAGER },
      contentType: "application/merge-patch+json",
      body: decisionPatch(plan, decision, username, comment),
    });
  } catch (err) {
    if ((err as { code?: number }).code === 409)
      throw new DecisionRefused(t.conflict(`${namespace}/${name}`));
    throw err;
  }
}
