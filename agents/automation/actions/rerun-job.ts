/**
 * RerunJob: creates a new Job from a finished Job's spec or from a CronJob's jobTemplate.
 * A Job still running is refused (two copies of a batch job are rarely safe). Verify waits
 * for the new Job to complete; undo deletes it (and its pods).
 */
import { Type } from "@sinclair/typebox";
import type { V1Job } from "@kubernetes/client-node";
import { ACTION_RISKS } from "../../../crds/actions.ts";
import { ACTION_TARGET_KINDS } from "../../../crds/action-targets.ts";
import { ActionFailedError, failedVerify, noBlast, pending, verified } from "../action.ts";
import type { Action, ActionContext, Step } from "../action.ts";
import { dryRunOf, preconditionsOf } from "../guards.ts";
import { FIELD_MANAGER, dryRunOutcome, dryRunParam, isNotFound } from "../kube.ts";
import { targetNamespace } from "../params.ts";
import { RERUN_OF, jobFromCronJob, jobFromJob, jobOutcome, rerunName } from "../job-templates.ts";

const Params = Type.Object({}, { additionalProperties: false });

const show = (step: Step) => `${step.target.kind} ${step.target.namespace}/${step.target.name}`;

/** Builds the new Job from the target; refuses a Job still running. */
async function newJob(ctx: ActionContext, step: Step): Promise<V1Job> {
  const namespace = targetNamespace(step);
  const name = rerunName(step.target.name, ctx.clock.now());
  if (step.target.kind === "CronJob") {
    return jobFromCronJob(await ctx.batch.readNamespacedCronJob({ name: step.target.name, namespace }), name);
  }
  const job = await ctx.batch.readNamespacedJob({ name: step.target.name, namespace });
  if (!jobOutcome(job))
    throw new ActionFailedError(`${show(step)} is still running; rerun it once it finished`);
  return jobFromJob(job, name);
}

const create = (ctx: ActionContext, job: V1Job, dryRun: boolean) =>
  ctx.batch.createNamespacedJob({
    namespace: job.metadata?.namespace ?? "",
    body: job,
    dryRun: dryRunParam(dryRun),
    fieldManager: FIELD_MANAGER,
  });

export const rerunJob: Action = {
  name: "RerunJob",
  risk: ACTION_RISKS.RerunJob,
  targetKinds: ACTION_TARGET_KINDS.RerunJob ?? [],
  params: Params,
  rbac: [
    { apiGroups: ["batch"], resources: ["jobs"], verbs: ["get", "create", "delete"] },
    { apiGroups: ["batch"], resources: ["cronjobs"], verbs: ["get"] },
  ],
  namespacedRbac: [],
  undoable: true,
  automatic: true,
  description: "Run a finished Job again, or a CronJob's job now, as a new Job.",
  explain: {
    dryRun: "Creates the new Job with dryRun=All; a Job still running is refused.",
    verify: "The new Job completes; it fails when the Job fails.",
    undo: "Deletes the new Job and its pods (background propagation).",
  },
  recovery: {
    mode: "none",
    check: `whether a Job annotated ${RERUN_OF} with the target was created; delete it to take the step back`,
  },
  preconditions: preconditionsOf(Params, async (ctx, step) => {
    await newJob(ctx, step);
    return [];
  }),
  blastRadius: async () => noBlast(),
  dryRun: dryRunOf(Params, async (ctx, step) => {
    const job = await newJob(ctx, step);
    return dryRunOutcome(
      () => create(ctx, job, true),
      `API server accepts Job ${job.metadata?.name} from ${show(step)}`,
    );
  }),
  async execute(ctx, step) {
    const created = await create(ctx, await newJob(ctx, step), false);
    const name = created.metadata?.name ?? "";
    ctx.log.info({ from: show(step), job: name }, "Created rerun Job");
    return { message: `created Job ${name} from ${show(step)}`, undoState: { job: name } };
  },
  async verify(ctx, step, state) {
    const job = await ctx.batch.readNamespacedJob({
      name: String(state.job),
      namespace: targetNamespace(step),
    });
    const outcome = jobOutcome(job);
    if (!outcome)
      return pending(
        `Job ${String(state.job)}: ${job.status?.active ?? 0} active, ${job.status?.succeeded ?? 0} succeeded`,
      );
    const text = `Job ${String(state.job)} ${outcome.state}: ${outcome.message}`;
    return outcome.state === "Complete" ? verified(text) : failedVerify(text);
  },
  async undo(ctx, step, state) {
    const name = String(state.job);
    try {
      await ctx.batch.deleteNamespacedJob({
        name,
        namespace: targetNamespace(step),
        propagationPolicy: "Background",
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    ctx.log.info({ job: name }, "Deleted rerun Job");
    return { message: `deleted Job ${name} and its pods` };
  },
};
