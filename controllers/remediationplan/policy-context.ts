import type { BlastRadius } from "../../agents/automation/action.ts";
import type { PolicyContext } from "../../agents/automation/policy.ts";
import type { RemediationPlan } from "../../crds/index.ts";
import { RemediationPlanPhase } from "../../crds/index.ts";

const ACTIVE: readonly string[] = [RemediationPlanPhase.Approved, RemediationPlanPhase.Running];
const configName = (p: RemediationPlan) => p.spec.agentConfigRef?.name ?? "default";

/**
 * What policy needs to know about other plans: how many run now under the same AgentConfig
 * in the same namespace (this one excluded), and which targets Succeeded plans changed when.
 */
export function policyContext(
  plan: RemediationPlan,
  others: readonly RemediationPlan[],
  blastRadius: BlastRadius,
  now: number,
): PolicyContext {
  const peers = others.filter(
    (p) =>
      p.metadata.uid !== plan.metadata.uid &&
      p.metadata.namespace === plan.metadata.namespace &&
      configName(p) === configName(plan),
  );
  const activePlans = peers.filter((p) => ACTIVE.includes(p.status?.phase ?? "")).length;
  const recentTargets = peers
    .filter((p) => p.status?.phase === RemediationPlanPhase.Succeeded && p.status.completionTime)
    .flatMap((p) =>
      p.spec.steps.map((s) => ({ target: s.target, at: Date.parse(p.status!.completionTime!) })),
    );
  return { now, activePlans, recentTargets, blastRadius };
}

/** The union of blast radii, deduplicated. */
export function unionBlast(parts: readonly BlastRadius[]): BlastRadius {
  return {
    pods: [...new Set(parts.flatMap((p) => p.pods))].sort(),
    instances: [...new Set(parts.flatMap((p) => p.instances))].sort(),
  };
}
