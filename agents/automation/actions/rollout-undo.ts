/**
 * RolloutUndo: puts a previous revision's pod template back into the workload, as
 * `kubectl rollout undo` does (a JSON patch replacing spec.template, guarded by the
 * resourceVersion it read). Undo rolls forward again to the revision it left.
 */
import { createHash } from "node:crypto";
import { Type } from "@sinclair/typebox";
import type { V1Deployment } from "@kubernetes/client-node";
import { ACTION_RISKS } from "../../../crds/actions.ts";
import { ACTION_TARGET_KINDS } from "../../../crds/action-targets.ts";
import { ActionFailedError } from "../action.ts";
import type { Action, ActionContext, Observer, Step } from "../action.ts";
import { JSON_PATCH, dryRunOutcome } from "../kube.ts";
import type { JsonPatchOp } from "../kube.ts";
import { parseParams } from "../params.ts";
import { dryRunOf, preconditionsOf } from "../guards.ts";
import { listRevisions, pickRollback } from "../revisions.ts";
import type { Revision } from "../revisions.ts";
import { verifyRollout } from "../rollout.ts";
import {
  allPodsOf,
  patchWorkload,
  readWorkload,
  showRef,
  workloadRef,
  TEMPLATE_PATCH_RULES,
} from "../workloads.ts";
import type { Workload, WorkloadRef } from "../workloads.ts";

const Params = Type.Object(
  {
    toRevision: Type.Optional(
      Type.Integer({ minimum: 1, description: "Revision to restore; default the previous one." }),
    ),
  },
  { additionalProperties: false },
);

/** Annotation naming the revision a RolloutUndo left, so a retried step cannot flip back to it. */
export const ROLLED_BACK_FROM = "aisre.io/rolled-back-from";
const MARK_PATH = `/metadata/annotations/${ROLLED_BACK_FROM.replaceAll("~", "~0").replaceAll("/", "~1")}`;

/**
 * The ops that replace the template, failing if the object changed since it was read, and
 * mark (rolling back) or unmark (rolling forward again) the revision left behind.
 */
function replaceTemplate(w: Workload, r: Revision, leftBehind: string | undefined): JsonPatchOp[] {
  const annotations = w.metadata?.annotations;
  const ops: JsonPatchOp[] = [
    { op: "test", path: "/metadata/resourceVersion", value: w.metadata?.resourceVersion },
    { op: "replace", path: "/spec/template", value: r.template },
  ];
  if (!annotations) ops.push({ op: "add", path: "/metadata/annotations", value: {} });
  if (leftBehind) ops.push({ op: "add", path: MARK_PATH, value: leftBehind });
  else if (annotations?.[ROLLED_BACK_FROM] !== undefined) ops.push({ op: "remove", path: MARK_PATH });
  return ops;
}

/** Reads the workload and its history, and picks the rollback. */
async function plan(ctx: ActionContext, step: Step) {
  const { toRevision } = parseParams(Params, step);
  const ref = workloadRef(step);
  const w = await readWorkload(ctx, ref);
  const picked = pickRollback(await listRevisions(ctx, ref, w), toRevision);
  // Without a pinned revision a repeated undo would roll straight back to the bad one.
  const left = w.metadata?.annotations?.[ROLLED_BACK_FROM];
  if (toRevision === undefined && "target" in picked && picked.target.name === left)
    return {
      ref,
      w,
      picked: { problem: `already rolled back from ${left}; set toRevision to go further back` },
    };
  return { ref, w, picked };
}

/** Plans the rollback or throws its problem. */
async function mustPlan(ctx: ActionContext, step: Step) {
  const { ref, w, picked } = await plan(ctx, step);
  if ("problem" in picked) throw new ActionFailedError(`${showRef(ref)}: ${picked.problem}`);
  return { ref, w, ...picked };
}

/** Puts revision r's template in place; leftBehind names the revision left (rollbacks only). */
async function rollTo(
  ctx: ActionContext,
  ref: WorkloadRef,
  w: Workload,
  r: Revision,
  opts: { leftBehind?: string; dryRun: boolean },
) {
  await patchWorkload(ctx, ref, replaceTemplate(w, r, opts.leftBehind), {
    dryRun: opts.dryRun,
    patch: JSON_PATCH,
  });
}

/** JSON with object keys sorted, so equal templates always print the same. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(",")}]`
    : v !== null && typeof v === "object"
      ? `{${Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(",")}}`
      : JSON.stringify(v);

/** A fingerprint of the workload's pod template: a rollback always replaces it. */
export const templateFingerprint = (w: Workload): string =>
  createHash("sha256")
    .update(canonical(w.spec?.template ?? {}))
    .digest("hex")
    .slice(0, 16);

/** What the observer compares: the rolled-back-from mark and the template's fingerprint. */
async function observe(ctx: ActionContext, step: Step) {
  const w = await readWorkload(ctx, workloadRef(step));
  return {
    rolledBackFrom: w.metadata?.annotations?.[ROLLED_BACK_FROM] ?? "",
    template: templateFingerprint(w),
  };
}

/**
 * Crash recovery: the template and the rolled-back-from annotation change in one JSON patch,
 * so a new annotation value means the rollback happened, and names the revision to undo to.
 * The value is not always new: rolling back again away from a revision already rolled back
 * from once (then deployed again) writes the same mark, so with an unchanged mark a moved
 * template is the evidence.
 */
const rolledBackObserver: Observer = {
  how: `the template and the ${ROLLED_BACK_FROM} annotation change in one JSON patch: a new annotation value, or the same value with a pod template that moved since the fence (rolling back again from a revision already rolled back from once), means the rollback ran and names the revision undo restores; otherwise it did not, and it executes again`,
  before: (ctx, step) => observe(ctx, step),
  after: async (ctx, step, before) => {
    const now = await observe(ctx, step);
    if (!now.rolledBackFrom) return undefined;
    const ran =
      now.rolledBackFrom !== before.rolledBackFrom ||
      // Observations fenced before the fingerprint existed carry none: the mark alone decides.
      (typeof before.template === "string" && now.template !== before.template);
    return ran ? { fromRevisionName: now.rolledBackFrom } : undefined;
  },
};

export const rolloutUndo: Action = {
  name: "RolloutUndo",
  risk: ACTION_RISKS.RolloutUndo,
  targetKinds: ACTION_TARGET_KINDS.RolloutUndo ?? [],
  params: Params,
  rbac: [
    ...TEMPLATE_PATCH_RULES,
    { apiGroups: ["apps"], resources: ["replicasets", "controllerrevisions"], verbs: ["list"] },
  ],
  namespacedRbac: [],
  undoable: true,
  automatic: true,
  description: "Restore the pod template of a previous revision (kubectl rollout undo).",
  explain: {
    dryRun: "The JSON patch replacing the pod template, guarded by resourceVersion, with dryRun=All.",
    verify: "The rollout completes: every replica runs the restored template and is available.",
    undo: "Puts back the template of the revision it left (rolls forward again), guarded by resourceVersion.",
  },
  recovery: { mode: "observe", observer: rolledBackObserver },
  preconditions: preconditionsOf(Params, async (ctx, step) => {
    const { ref, w, picked } = await plan(ctx, step);
    const problems = "problem" in picked ? [`${showRef(ref)}: ${picked.problem}`] : [];
    if (ref.kind === "Deployment" && (w as V1Deployment).spec?.paused)
      problems.push(`${showRef(ref)} is paused`);
    return problems;
  }),
  async blastRadius(ctx, step) {
    return { pods: await allPodsOf(ctx, step), instances: [] };
  },
  dryRun: dryRunOf(Params, async (ctx, step) => {
    const { ref, w, current, target } = await mustPlan(ctx, step);
    return dryRunOutcome(
      () => rollTo(ctx, ref, w, target, { leftBehind: current.name, dryRun: true }),
      `API server accepts ${showRef(ref)} back to revision ${target.revision}`,
    );
  }),
  async execute(ctx, step) {
    const { ref, w, current, target } = await mustPlan(ctx, step);
    await rollTo(ctx, ref, w, target, { leftBehind: current.name, dryRun: false });
    ctx.log.info(
      { target: showRef(ref), from: current.revision, to: target.revision },
      "Rolled back workload",
    );
    return {
      message: `rolled ${showRef(ref)} back from revision ${current.revision} to revision ${target.revision}`,
      undoState: {
        fromRevisionName: current.name,
        fromRevision: current.revision,
        toRevision: target.revision,
      },
    };
  },
  verify: (ctx, step) => verifyRollout(ctx, step),
  async undo(ctx, step, state) {
    const ref = workloadRef(step);
    const w = await readWorkload(ctx, ref);
    const back = (await listRevisions(ctx, ref, w)).find((r) => r.name === state.fromRevisionName);
    if (!back)
      throw new Error(`${showRef(ref)}: revision ${String(state.fromRevisionName)} no longer exists`);
    await rollTo(ctx, ref, w, back, { dryRun: false });
    ctx.log.info({ target: showRef(ref), revision: back.name }, "Rolled workload forward again");
    return { message: `restored the template of ${showRef(ref)} from ${back.name}` };
  },
};
