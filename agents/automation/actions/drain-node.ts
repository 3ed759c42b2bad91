/**
 * DrainNode: cordon, then evict every pod a drain moves through the Eviction API, so
 * PodDisruptionBudgets decide. A 429 (the budget allows no disruption now) fails the step
 * with the API server's message; the drain never deletes around a budget. Every eviction is
 * dry-run first, so a blocked drain evicts nothing. Undo uncordons (evicted pods run
 * elsewhere by then and are not moved back).
 */
import { Type } from "@sinclair/typebox";
import type { V1Pod } from "@kubernetes/client-node";
import { ACTION_RISKS } from "../../../crds/actions.ts";
import { LIMITS } from "../../../crds/limits.ts";
import { ACTION_TARGET_KINDS } from "../../../crds/action-targets.ts";
import { ActionFailedError, pending, verified } from "../action.ts";
import type { Action, ActionContext, Step } from "../action.ts";
import { planDrain } from "../drain-pods.ts";
import type { DrainPlan } from "../drain-pods.ts";
import { dryRunOf, preconditionsOf } from "../guards.ts";
import { apiMessage, dryRunParam, isNotFound, podKey, statusCode } from "../kube.ts";
import { NODE_RULES, isCordoned, readNode, setUnschedulable } from "../nodes.ts";
import { parseParams } from "../params.ts";

const Params = Type.Object(
  {
    ignoreDaemonSets: Type.Optional(
      Type.Boolean({ default: true, description: "Leave DaemonSet pods in place." }),
    ),
    deleteEmptyDirData: Type.Optional(
      Type.Boolean({ default: false, description: "Evict pods with emptyDir volumes." }),
    ),
    gracePeriodSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3600, description: "Grace period per pod." }),
    ),
  },
  { additionalProperties: false },
);

/** The pods bound to a node, across namespaces. */
async function podsOn(ctx: ActionContext, node: string): Promise<V1Pod[]> {
  return (await ctx.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` })).items;
}

async function drainPlan(ctx: ActionContext, step: Step): Promise<DrainPlan> {
  const p = parseParams(Params, step);
  return planDrain(await podsOn(ctx, step.target.name), {
    ignoreDaemonSets: p.ignoreDaemonSets ?? true,
    deleteEmptyDirData: p.deleteEmptyDirData ?? false,
  });
}

/** Why an eviction was refused, in words: 429 means a PodDisruptionBudget blocks it. */
export function evictionFailure(pod: string, err: unknown): string {
  const why = apiMessage(err);
  if (statusCode(err) === 429) return `eviction of pod ${pod} blocked by a PodDisruptionBudget: ${why}`;
  return `eviction of pod ${pod} failed: ${why}`;
}

/** Evicts one pod (or dry-runs it); resolves a failure message, or undefined when accepted. */
async function evict(
  ctx: ActionContext,
  pod: V1Pod,
  grace: number | undefined,
  dryRun: boolean,
): Promise<string | undefined> {
  const name = pod.metadata?.name ?? "";
  const namespace = pod.metadata?.namespace ?? "";
  try {
    await ctx.core.createNamespacedPodEviction({
      name,
      namespace,
      dryRun: dryRunParam(dryRun),
      body: {
        apiVersion: "policy/v1",
        kind: "Eviction",
        metadata: { name, namespace },
        deleteOptions: { gracePeriodSeconds: grace, preconditions: { uid: pod.metadata?.uid } },
      },
    });
    return undefined;
  } catch (err) {
    // Gone already: that is what the drain wanted.
    if (isNotFound(err)) return undefined;
    return evictionFailure(podKey(namespace, name), err);
  }
}

/** Evicts (or dry-runs) the pods in order and stops at the first refusal. */
async function evictAll(ctx: ActionContext, step: Step, pods: V1Pod[], dryRun: boolean) {
  const grace = parseParams(Params, step).gracePeriodSeconds;
  const evicted: string[] = [];
  for (const pod of pods) {
    const failure = await evict(ctx, pod, grace, dryRun);
    if (failure) return { evicted, failure };
    evicted.push(podKey(pod.metadata?.namespace, pod.metadata?.name));
  }
  return { evicted, failure: undefined };
}

async function dryRun(ctx: ActionContext, step: Step) {
  await setUnschedulable(ctx, step.target.name, true, true);
  const plan = await drainPlan(ctx, step);
  if (plan.problems.length > 0) return { passed: false, message: plan.problems.join("; ") };
  const { failure } = await evictAll(ctx, step, plan.evict, true);
  if (failure) return { passed: false, message: `dry run rejected: ${failure}` };
  return {
    passed: true,
    message: `API server accepts cordoning node ${step.target.name} and evicting ${plan.evict.length} pods`,
  };
}

async function execute(ctx: ActionContext, step: Step) {
  const node = step.target.name;
  const cordoned = !isCordoned(await readNode(ctx, step));
  if (cordoned) await setUnschedulable(ctx, node, true, false);
  ctx.log.info({ node, cordoned }, "Cordoned node for drain");
  const undoState = { cordoned, evicted: [] as string[] };
  const plan = await drainPlan(ctx, step);
  if (plan.problems.length > 0)
    throw new ActionFailedError(`drain of node ${node} refused: ${plan.problems.join("; ")}`, undoState);
  // Dry-run every eviction first: a budget that blocks any pod then blocks before any pod moved.
  const trial = await evictAll(ctx, step, plan.evict, true);
  if (trial.failure)
    throw new ActionFailedError(`drain of node ${node} stopped before evicting: ${trial.failure}`, undoState);
  const { evicted, failure } = await evictAll(ctx, step, plan.evict, false);
  undoState.evicted = evicted.slice(0, LIMITS.affected);
  ctx.log.info({ node, evicted: evicted.length }, "Evicted pods from node");
  if (failure)
    throw new ActionFailedError(
      `drain of node ${node} stopped after ${evicted.length} evictions: ${failure}`,
      undoState,
    );
  return { message: `cordoned node ${node} and evicted ${evicted.length} pods`, undoState };
}

export const drainNode: Action = {
  name: "DrainNode",
  risk: ACTION_RISKS.DrainNode,
  targetKinds: ACTION_TARGET_KINDS.DrainNode ?? [],
  params: Params,
  rbac: [
    ...NODE_RULES,
    { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
    { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
  ],
  namespacedRbac: [],
  undoable: true,
  automatic: true,
  description: "Cordon a node and evict its pods through the Eviction API, honouring PodDisruptionBudgets.",
  explain: {
    dryRun:
      "The cordon with dryRun=All, then every eviction with dryRun=All: a PodDisruptionBudget that blocks any pod fails it.",
    verify: "The node is cordoned and no pod a drain moves is left on it (terminating ones included).",
    undo: "Uncordons the node if the drain cordoned it; evicted pods are not moved back.",
  },
  recovery: {
    mode: "none",
    check:
      "whether the node is cordoned and which of its pods were evicted; uncordon it to take the drain back",
  },
  preconditions: preconditionsOf(Params, async (ctx, step) => {
    await readNode(ctx, step);
    return (await drainPlan(ctx, step)).problems;
  }),
  async blastRadius(ctx, step) {
    const plan = await drainPlan(ctx, step);
    return { pods: plan.evict.map((p) => podKey(p.metadata?.namespace, p.metadata?.name)), instances: [] };
  },
  dryRun: dryRunOf(Params, dryRun),
  execute,
  async verify(ctx, step) {
    if (!isCordoned(await readNode(ctx, step))) return pending(`node ${step.target.name} is not cordoned`);
    const plan = await drainPlan(ctx, step);
    const left = plan.evict.length + plan.terminating.length;
    if (left > 0) return pending(`${left} pods still on node ${step.target.name}`);
    return verified(`node ${step.target.name} cordoned and drained`);
  },
  async undo(ctx, step, state) {
    if (state.cordoned !== true)
      return { message: `node ${step.target.name} was cordoned before the drain; left cordoned` };
    await setUnschedulable(ctx, step.target.name, false, false);
    ctx.log.info({ node: step.target.name }, "Uncordoned node after drain");
    return {
      message: `node ${step.target.name} uncordoned; evicted pods stay where their controllers placed them`,
    };
  },
};
