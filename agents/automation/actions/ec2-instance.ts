/**
 * The shape the three EC2 actions share: allow-tag check before anything, a start state,
 * EC2's DryRun flag for the dry run, verify by instance state, and undo by the opposite call.
 */
import { Type } from "@sinclair/typebox";
import { ACTION_RISKS } from "../../../crds/actions.ts";
import { ACTION_TARGET_KINDS } from "../../../crds/action-targets.ts";
import { ActionFailedError, failedVerify, pending, verified } from "../action.ts";
import type { Action, ActionContext, Step } from "../action.ts";
import type { Ec2Access } from "../ec2/access.ts";
import { ec2DryRun } from "../ec2/dry-run.ts";
import { allowedInstance, describeInstance, stateOf } from "../ec2/instances.ts";
import { ec2Sdk } from "../ec2/sdk.ts";
import { dryRunOf, preconditionsOf } from "../guards.ts";
import { parseParams } from "../params.ts";

type Verb = "reboot" | "start" | "stop";
type Ec2ActionName = "Ec2RebootInstance" | "Ec2StartInstance" | "Ec2StopInstance";

const Params = Type.Object(
  { instanceId: Type.Optional(Type.String({ description: "Must equal target.name when given." })) },
  { additionalProperties: false },
);

/** The call of each verb; DryRun=true makes it EC2's own dry run. */
async function send(access: Ec2Access, verb: Verb, id: string, dryRun: boolean): Promise<unknown> {
  const { RebootInstancesCommand, StartInstancesCommand, StopInstancesCommand } = await ec2Sdk();
  const input = { InstanceIds: [id], DryRun: dryRun };
  if (verb === "reboot") return access.client.send(new RebootInstancesCommand(input));
  if (verb === "start") return access.client.send(new StartInstancesCommand(input));
  return access.client.send(new StopInstancesCommand(input));
}

/** What each verb starts from, ends in, and undoes with. */
const SPEC: Record<Verb, { from: string; to: string; undo?: Verb; what: string }> = {
  reboot: { from: "running", to: "running", what: "Reboot a running EC2 instance carrying the allow tag." },
  start: {
    from: "stopped",
    to: "running",
    undo: "stop",
    what: "Start a stopped EC2 instance carrying the allow tag.",
  },
  stop: {
    from: "running",
    to: "stopped",
    undo: "start",
    what: "Stop a running EC2 instance carrying the allow tag.",
  },
};

/** The instance id, from target.name (params.instanceId may only repeat it). */
function instanceId(step: Step): string {
  const { instanceId: given } = parseParams(Params, step);
  if (given && given !== step.target.name)
    throw new ActionFailedError(`params.instanceId ${given} differs from target ${step.target.name}`);
  return step.target.name;
}

/** Checks the tag and start state; returns the access and id to act with. */
async function ready(ctx: ActionContext, step: Step, verb: Verb) {
  const id = instanceId(step);
  const access = await ctx.ec2();
  const state = stateOf(await allowedInstance(access, id));
  if (state !== SPEC[verb].from)
    throw new ActionFailedError(`EC2 instance ${id} is ${state}; ${verb} needs it ${SPEC[verb].from}`);
  return { access, id, state };
}

/** One EC2 action of the catalog. */
export function ec2InstanceAction(name: Ec2ActionName, verb: Verb): Action {
  const spec = SPEC[verb];
  return {
    name,
    risk: ACTION_RISKS[name],
    targetKinds: ACTION_TARGET_KINDS[name] ?? [],
    params: Params,
    rbac: [],
    // The AWS credentials Secret named by the AgentConfig, in its namespace only.
    namespacedRbac: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }],
    undoable: spec.undo !== undefined,
    automatic: true,
    description: spec.what,
    explain: {
      dryRun: `EC2's own DryRun request (DryRunOperation means allowed), after the allow tag and the ${spec.from} state are checked.`,
      verify: `The instance reaches ${spec.to}.`,
      undo: spec.undo
        ? `Requests ${spec.undo} to restore ${spec.from}.`
        : "Nothing: a reboot cannot be taken back.",
    },
    recovery: {
      mode: "none",
      check: "the instance's state and its recent state changes (EC2 console or CloudTrail)",
    },
    preconditions: preconditionsOf(Params, async (ctx, step) => {
      await ready(ctx, step, verb);
      return [];
    }),
    blastRadius: async (_ctx, step) => ({ pods: [], instances: [instanceId(step)] }),
    dryRun: dryRunOf(Params, async (ctx, step) => {
      const { access, id } = await ready(ctx, step, verb);
      return ec2DryRun(() => send(access, verb, id, true), `${verb} of ${id}`);
    }),
    async execute(ctx, step) {
      const { access, id, state } = await ready(ctx, step, verb);
      await send(access, verb, id, false);
      ctx.log.info({ instance: id, verb, from: state }, "Sent EC2 instance request");
      return {
        message: `${verb} of EC2 instance ${id} requested (was ${state})`,
        undoState: { instanceId: id, previousState: state },
      };
    },
    async verify(ctx, step) {
      const id = instanceId(step);
      const state = stateOf(await describeInstance(await ctx.ec2(), id));
      if (state === spec.to) return verified(`EC2 instance ${id} is ${state}`);
      if (state === "terminated" || state === "unknown")
        return failedVerify(`EC2 instance ${id} is ${state}`);
      return pending(`EC2 instance ${id} is ${state}, waiting for ${spec.to}`);
    },
    async undo(ctx, step, state) {
      const id = instanceId(step);
      if (!spec.undo) return { message: `nothing to undo: a reboot of ${id} cannot be taken back` };
      const access = await ctx.ec2();
      await allowedInstance(access, id);
      await send(access, spec.undo, id, false);
      ctx.log.info({ instance: id, verb: spec.undo }, "Undid EC2 instance request");
      return {
        message: `${spec.undo} of EC2 instance ${id} requested to restore ${String(state.previousState)}`,
      };
    },
  };
}
