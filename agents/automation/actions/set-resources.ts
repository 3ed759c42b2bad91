/**
 * SetResources: changes one container's requests/limits in a workload's pod template (a JSON
 * patch on that container, guarded by its name), which rolls the pods. Undo puts the
 * container's previous resources back exactly.
 */
import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import type { V1ResourceRequirements } from "@kubernetes/client-node";
import { ACTION_RISKS } from "../../../crds/actions.ts";
import { ACTION_TARGET_KINDS } from "../../../crds/action-targets.ts";
import { ActionFailedError } from "../action.ts";
import type { Action, ActionContext, Step } from "../action.ts";
import { dryRunOf, preconditionsOf } from "../guards.ts";
import { JSON_PATCH, dryRunOutcome } from "../kube.ts";
import type { JsonPatchOp } from "../kube.ts";
import { parseParams } from "../params.ts";
import { verifyRollout } from "../rollout.ts";
import {
  allPodsOf,
  patchWorkload,
  readWorkload,
  showRef,
  workloadRef,
  TEMPLATE_PATCH_RULES,
} from "../workloads.ts";
import type { Workload } from "../workloads.ts";

/** A Kubernetes quantity such as 500m, 1.5 or 512Mi. */
const Quantity = (description?: string) =>
  Type.String({
    pattern: "^[0-9]+(\\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$",
    maxLength: 32,
    description,
  });
const CpuMemory = Type.Object(
  { cpu: Type.Optional(Quantity()), memory: Type.Optional(Quantity()) },
  { additionalProperties: false, minProperties: 1 },
);
const Params = Type.Object(
  {
    container: Type.String({
      minLength: 1,
      maxLength: 63,
      description: "Container name in the pod template.",
    }),
    requests: Type.Optional(CpuMemory),
    limits: Type.Optional(CpuMemory),
    memory: Type.Optional(Quantity("Shorthand for limits.memory.")),
    cpu: Type.Optional(Quantity("Shorthand for limits.cpu.")),
  },
  {
    additionalProperties: false,
    minProperties: 2,
    description: "The container and at least one of requests, limits, memory, cpu.",
  },
);
type Params = Static<typeof Params>;

/** The container's resources after applying the params over what it has. */
export function nextResources(prev: V1ResourceRequirements, p: Params): V1ResourceRequirements {
  const limits = { ...prev.limits, ...p.limits };
  if (p.memory) limits.memory = p.memory;
  if (p.cpu) limits.cpu = p.cpu;
  const requests = { ...prev.requests, ...p.requests };
  const next: V1ResourceRequirements = { ...prev };
  if (Object.keys(limits).length > 0) next.limits = limits;
  if (Object.keys(requests).length > 0) next.requests = requests;
  return next;
}

/** Where the named container sits in the template, and its current resources. */
function locate(w: Workload, container: string): { index: number; resources: V1ResourceRequirements } {
  const containers = w.spec?.template?.spec?.containers ?? [];
  const index = containers.findIndex((c) => c.name === container);
  if (index < 0)
    throw new ActionFailedError(
      `container ${container} not found (have ${containers.map((c) => c.name).join(", ")})`,
    );
  return { index, resources: structuredClone(containers[index]?.resources ?? {}) };
}

/** The JSON patch setting a container's resources, guarded by its name at that index. */
export function resourcesPatch(
  index: number,
  container: string,
  resources: V1ResourceRequirements,
): JsonPatchOp[] {
  const path = `/spec/template/spec/containers/${index}`;
  return [
    { op: "test", path: `${path}/name`, value: container },
    { op: "add", path: `${path}/resources`, value: resources },
  ];
}

async function apply(ctx: ActionContext, step: Step, dryRun: boolean) {
  const p = parseParams(Params, step);
  const ref = workloadRef(step);
  const { index, resources } = locate(await readWorkload(ctx, ref), p.container);
  const next = nextResources(resources, p);
  await patchWorkload(ctx, ref, resourcesPatch(index, p.container, next), { dryRun, patch: JSON_PATCH });
  return { ref, p, previous: resources, next };
}

export const setResources: Action = {
  name: "SetResources",
  risk: ACTION_RISKS.SetResources,
  targetKinds: ACTION_TARGET_KINDS.SetResources ?? [],
  params: Params,
  rbac: [...TEMPLATE_PATCH_RULES],
  namespacedRbac: [],
  undoable: true,
  automatic: true,
  description: "Set one container's CPU/memory requests and limits in a workload's pod template.",
  explain: {
    dryRun:
      "The JSON patch of the container's resources, guarded by its name, with dryRun=All; the API server validates requests against limits.",
    verify: "The rollout completes: every replica runs the new template and is available.",
    undo: "Puts the container's previous resources back exactly.",
  },
  recovery: {
    mode: "none",
    check:
      "whether the container's resources already equal the step's; the previous ones are in the workload's previous revision",
  },
  preconditions: preconditionsOf(Params, async (ctx, step) => {
    locate(await readWorkload(ctx, workloadRef(step)), parseParams(Params, step).container);
    return [];
  }),
  async blastRadius(ctx, step) {
    return { pods: await allPodsOf(ctx, step), instances: [] };
  },
  dryRun: dryRunOf(Params, async (ctx, step) =>
    dryRunOutcome(
      () => apply(ctx, step, true),
      `API server accepts the new resources of ${showRef(workloadRef(step))}`,
    ),
  ),
  async execute(ctx, step) {
    const { ref, p, previous, next } = await apply(ctx, step, false);
    ctx.log.info(
      { target: showRef(ref), container: p.container, resources: next },
      "Set container resources",
    );
    return {
      message: `set resources of ${showRef(ref)} container ${p.container} to ${JSON.stringify(next)}`,
      undoState: { container: p.container, resources: previous },
    };
  },
  verify: (ctx, step) => verifyRollout(ctx, step),
  async undo(ctx, step, state) {
    const ref = workloadRef(step);
    const container = String(state.container);
    const { index } = locate(await readWorkload(ctx, ref), container);
    const previous = (state.resources ?? {}) as V1ResourceRequirements;
    await patchWorkload(ctx, ref, resourcesPatch(index, container, previous), {
      dryRun: false,
      patch: JSON_PATCH,
    });
    ctx.log.info({ target: showRef(ref), container }, "Restored container resources");
    return {
      message: `restored resources of ${showRef(ref)} container ${container} to ${JSON.stringify(previous)}`,
    };
  },
};
