import { ACTION_RISKS } from "./actions.ts";
import type { ActionName } from "./actions.ts";
import { rule } from "./schema.ts";
import type { CelRule } from "./schema.ts";

/**
 * The kinds each catalog action can act on. RunbookOnly is absent: a person follows the
 * runbook, whatever the target. The CRD rejects a plan step whose target does not fit.
 */
export const ACTION_TARGET_KINDS: Readonly<Partial<Record<ActionName, readonly string[]>>> = {
  ScaleWorkload: ["Deployment", "StatefulSet", "ReplicaSet"],
  RolloutRestart: ["Deployment", "StatefulSet", "DaemonSet"],
  RolloutUndo: ["Deployment", "StatefulSet", "DaemonSet"],
  DeletePod: ["Pod"],
  SetResources: ["Deployment", "StatefulSet", "DaemonSet"],
  CordonNode: ["Node"],
  DrainNode: ["Node"],
  UncordonNode: ["Node"],
  SuspendCronJob: ["CronJob"],
  RerunJob: ["Job", "CronJob"],
  PatchHPA: ["HorizontalPodAutoscaler"],
  Ec2RebootInstance: ["Ec2Instance"],
  Ec2StartInstance: ["Ec2Instance"],
  Ec2StopInstance: ["Ec2Instance"],
  ExternalAutomation: ["AutomationScript"],
};

/** True when an action can act on a target of this kind. */
export function actionFitsKind(action: ActionName, kind: string): boolean {
  const kinds = ACTION_TARGET_KINDS[action];
  return kinds === undefined || kinds.includes(kind);
}

const quote = (s: string): string => `'${s}'`;
const celList = (items: readonly string[]): string => `[${items.map(quote).join(", ")}]`;

/** "a, b or c" (or "and"). */
function joinWords(words: readonly string[], last: "or" | "and"): string {
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(", ")} ${last} ${words.at(-1)}`;
}

/** Actions grouped by the identical list of kinds they act on, in catalog order. */
function actionsByKinds(): [readonly string[], string[]][] {
  const groups = new Map<string, [readonly string[], string[]]>();
  for (const [action, kinds] of Object.entries(ACTION_TARGET_KINDS) as [string, readonly string[]][]) {
    const key = kinds.join(",");
    const group = groups.get(key) ?? [kinds, []];
    group[1].push(action);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** One rule per group of actions: short rules and messages a person can read in kubectl. */
function targetKindRules(): CelRule[] {
  return actionsByKinds().map(([kinds, actions]) => {
    const kindTest =
      kinds.length === 1
        ? `self.target.kind == ${quote(kinds[0]!)}`
        : `self.target.kind in ${celList(kinds)}`;
    const verb = actions.length === 1 ? "needs" : "need";
    return rule(
      `!(self.action in ${celList(actions)}) || ${kindTest}`,
      `${joinWords(actions, "and")} ${verb} target.kind ${joinWords(kinds, "or")}`,
      { fieldPath: ".target.kind" },
    );
  });
}

/** Rules that keep a step's risk at or above its action's catalog risk. */
function riskFloorRules(): CelRule[] {
  const at = (risk: string) =>
    Object.entries(ACTION_RISKS)
      .filter(([, r]) => r === risk)
      .map(([a]) => a);
  const medium = at("medium");
  const high = at("high");
  const floor = "a step may raise the catalog risk of its action, never lower it";
  return [
    rule(
      `!has(self.risk) || self.risk != 'low' || !(self.action in ${celList([...medium, ...high])})`,
      floor,
      {
        messageExpression: `'risk low is below the catalog risk of ' + self.action + '; ${floor}'`,
        fieldPath: ".risk",
      },
    ),
    rule(`!has(self.risk) || self.risk == 'high' || !(self.action in ${celList(high)})`, floor, {
      messageExpression: `'risk ' + self.risk + ' is below the catalog risk of ' + self.action + ' (high); ${floor}'`,
      fieldPath: ".risk",
    }),
  ];
}

/** CEL rules for an object with `action`, `target` and optional `risk` (a plan step). */
export function actionStepRules(): CelRule[] {
  return [...targetKindRules(), ...riskFloorRules()];
}
