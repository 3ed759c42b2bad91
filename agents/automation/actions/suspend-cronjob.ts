/**
 * SuspendCronJob: sets spec.suspend so no new Job starts (running Jobs finish). Undo puts
 * back the suspend value it found.
 */
import { Type } from "@sinclair/typebox";
import type { V1CronJob } from "@kubernetes/client-node";
import { ACTION_RISKS } from "../../../crds/actions.ts";
import { ACTION_TARGET_KINDS } from "../../../crds/action-targets.ts";
import { failedVerify, noBlast, verified } from "../action.ts";
import type { Action, ActionContext, Step } from "../action.ts";
import { dryRunOf, preconditionsOf } from "../guards.ts";
import { FIELD_MANAGER, MERGE_PATCH, dryRunOutcome, dryRunParam } from "../kube.ts";
import { targetNamespace } from "../params.ts";

const Params = Type.Object({}, { additionalProperties: false });

const readCronJob = (ctx: ActionContext, step: Step): Promise<V1CronJob> =>
  ctx.batch.readNamespacedCronJob({ name: step.target.name, namespace: targetNamespace(step) });

const setSuspend = (ctx: ActionContext, step: Step, suspend: boolean, dryRun: boolean) =>
  ctx.batch.patchNamespacedCronJob(
    {
      name: step.target.name,
      namespace: targetNamespace(step),
      body: { spec: { suspend } },
      dryRun: dryRunParam(dryRun),
      fieldManager: FIELD_MANAGER,
    },
    MERGE_PATCH,
  );

const show = (step: Step) => `CronJob ${step.target.namespace}/${step.target.name}`;

export const suspendCronJob: Action = {
  name: "SuspendCronJob",
  risk: ACTION_RISKS.SuspendCronJob,
  targetKinds: ACTION_TARGET_KINDS.SuspendCronJob ?? [],
  params: Params,
  rbac: [{ apiGroups: ["batch"], resources: ["cronjobs"], verbs: ["get", "patch"] }],
  namespacedRbac: [],
  undoable: true,
  automatic: true,
  description: "Stop a CronJob from starting new Jobs (spec.suspend); running Jobs finish.",
  explain: {
    dryRun: "The merge patch of spec.suspend with dryRun=All.",
    verify: "spec.suspend is true; it fails when someone else cleared it.",
    undo: "Restores the suspend value found before.",
  },
  recovery: { mode: "rerun", why: "it sets spec.suspend to true, a fixed value" },
  preconditions: preconditionsOf(Params, async (ctx, step) => {
    await readCronJob(ctx, step);
    return [];
  }),
  blastRadius: async () => noBlast(),
  dryRun: dryRunOf(Params, async (ctx, step) =>
    dryRunOutcome(() => setSuspend(ctx, step, true, true), `API server accepts suspending ${show(step)}`),
  ),
  async execute(ctx, step) {
    const wasSuspended = (await readCronJob(ctx, step)).spec?.suspend === true;
    await setSuspend(ctx, step, true, false);
    ctx.log.info({ cronJob: show(step), wasSuspended }, "Suspended CronJob");
    return { message: `suspended ${show(step)}`, undoState: { wasSuspended } };
  },
  async verify(ctx, step) {
    const suspended = (await readCronJob(ctx, step)).spec?.suspend === true;
    return suspended
      ? verified(`${show(step)} is suspended`)
      : failedVerify(`${show(step)} is not suspended (changed by someone else)`);
  },
  async undo(ctx, step, state) {
    const wasSuspended = state.wasSuspended === true;
    await setSuspend(ctx, step, wasSuspended, false);
    ctx.log.info({ cronJob: show(step), suspend: wasSuspended }, "Restored CronJob suspend");
    return { message: `${show(step)} suspend restored to ${wasSuspended}` };
  },
};
