/**
 * Node scheduling state (cordon/uncordon) shared by CordonNode, UncordonNode and DrainNode:
 * one merge patch of spec.unschedulable, dry-runnable, and the check that it holds.
 */
import type { V1Node } from "@kubernetes/client-node";
import { failedVerify, verified } from "./action.ts";
import type { ActionContext, Step, VerifyResult } from "./action.ts";
import { FIELD_MANAGER, MERGE_PATCH, dryRunParam } from "./kube.ts";

/** Reads the step's target node. */
export const readNode = (ctx: ActionContext, step: Step): Promise<V1Node> =>
  ctx.core.readNode({ name: step.target.name });

/** True when the node is cordoned. */
export const isCordoned = (node: V1Node): boolean => node.spec?.unschedulable === true;

/** Cordons (true) or uncordons (false) a node; uncordon removes the field, as a fresh node has it. */
export async function setUnschedulable(
  ctx: ActionContext,
  name: string,
  value: boolean,
  dryRun: boolean,
): Promise<V1Node> {
  return ctx.core.patchNode(
    {
      name,
      body: { spec: { unschedulable: value ? true : null } },
      dryRun: dryRunParam(dryRun),
      fieldManager: FIELD_MANAGER,
    },
    MERGE_PATCH,
  );
}

/** Whether the node's scheduling state is what the step wanted. */
export async function verifySchedulable(
  ctx: ActionContext,
  step: Step,
  wantCordoned: boolean,
): Promise<VerifyResult> {
  const node = await readNode(ctx, step);
  const state = isCordoned(node) ? "cordoned" : "schedulable";
  return isCordoned(node) === wantCordoned
    ? verified(`node ${step.target.name} is ${state}`)
    : failedVerify(`node ${step.target.name} is ${state} (changed by someone else)`);
}

/** The RBAC every node action needs. */
export const NODE_RULES = [{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "patch"] }];
