/**
 * The action catalog's names and default risks: the only actions a RemediationPlan may
 * hold and the only ones a diagnosis may recommend (docs/design.md §3). The implementations
 * live in agents/automation; this list is API, so CRD schemas and the engine share it.
 */
export const ACTION_RISKS = {
  ScaleWorkload: "medium",
  RolloutRestart: "low",
  RolloutUndo: "medium",
  DeletePod: "low",
  SetResources: "medium",
  CordonNode: "medium",
  DrainNode: "high",
  UncordonNode: "low",
  SuspendCronJob: "low",
  RerunJob: "low",
  PatchHPA: "medium",
  Ec2RebootInstance: "high",
  Ec2StartInstance: "medium",
  Ec2StopInstance: "high",
  ExternalAutomation: "medium",
  RunbookOnly: "low",
} as const;

export type ActionName = keyof typeof ACTION_RISKS;
export type Risk = "low" | "medium" | "high";

/** Every catalog action name, in catalog order. */
export const ACTION_NAMES = Object.keys(ACTION_RISKS) as ActionName[];

/** True when name is an action of the catalog. */
export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(ACTION_RISKS, name);
}
