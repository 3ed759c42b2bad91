/**
 * The action catalog: one implementation per name of crds/actions.ts, checked at load so a
 * name added to the API without an implementation (or with a different risk) fails fast.
 */
import { ACTION_NAMES, ACTION_RISKS, isActionName } from "../../crds/actions.ts";
import type { ActionName } from "../../crds/actions.ts";
import type { Action } from "./action.ts";
import { cordonNode } from "./actions/cordon-node.ts";
import { deletePodAction } from "./actions/delete-pod.ts";
import { drainNode } from "./actions/drain-node.ts";
import { ec2RebootInstance } from "./actions/ec2-reboot-instance.ts";
import { ec2StartInstance } from "./actions/ec2-start-instance.ts";
import { ec2StopInstance } from "./actions/ec2-stop-instance.ts";
import { externalAutomation } from "./actions/external-automation.ts";
import { patchHpa } from "./actions/patch-hpa.ts";
import { rerunJob } from "./actions/rerun-job.ts";
import { rolloutRestart } from "./actions/rollout-restart.ts";
import { rolloutUndo } from "./actions/rollout-undo.ts";
import { runbookOnly } from "./actions/runbook-only.ts";
import { scaleWorkload } from "./actions/scale-workload.ts";
import { setResources } from "./actions/set-resources.ts";
import { suspendCronJob } from "./actions/suspend-cronjob.ts";
import { uncordonNode } from "./actions/uncordon-node.ts";

/** Lookup of catalog actions by name. */
export class ActionCatalog {
  readonly #byName: ReadonlyMap<ActionName, Action>;

  /** Builds a catalog; throws when an action is missing, duplicated or misrated. */
  constructor(actions: readonly Action[]) {
    const byName = new Map<ActionName, Action>();
    for (const a of actions) {
      if (byName.has(a.name)) throw new Error(`action ${a.name} registered twice`);
      if (a.risk !== ACTION_RISKS[a.name])
        throw new Error(`action ${a.name} risk ${a.risk} differs from the catalog's`);
      byName.set(a.name, a);
    }
    const missing = ACTION_NAMES.filter((n) => !byName.has(n));
    if (missing.length > 0) throw new Error(`actions without implementation: ${missing.join(", ")}`);
    this.#byName = byName;
  }

  /** The action of this name, or undefined for a name outside the catalog. */
  get(name: string): Action | undefined {
    return isActionName(name) ? this.#byName.get(name) : undefined;
  }

  /** Every action, in catalog order. */
  all(): Action[] {
    return ACTION_NAMES.map((n) => this.#byName.get(n)!);
  }
}

/** Every implementation, in catalog order. */
export const ACTIONS: readonly Action[] = [
  scaleWorkload,
  rolloutRestart,
  rolloutUndo,
  deletePodAction,
  setResources,
  cordonNode,
  drainNode,
  uncordonNode,
  suspendCronJob,
  rerunJob,
  patchHpa,
  ec2RebootInstance,
  ec2StartInstance,
  ec2StopInstance,
  externalAutomation,
  runbookOnly,
];

/** The catalog of the operator. */
export const catalog = new ActionCatalog(ACTIONS);
