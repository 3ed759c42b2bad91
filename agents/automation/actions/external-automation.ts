/**
 * ExternalAutomation: run a script of the operations platform (tools/automation-platform.ts),
 * only one the cluster policy lists (policy.externalAutomation.scripts), with only the
 * parameters it allows; verify by the platform's execution status; undo only through the
 * undo script the policy names. The target is {kind: AutomationScript, namespace: the plan's,
 * name: script_id}.
 */
import { createHash } from "node:crypto";
import { CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";
import { Type } from "@sinclair/typebox";
import type { Static } from "@sinclair/typebox";
import { ACTION_RISKS } from "../../../crds/actions.ts";
import type { Risk } from "../../../crds/actions.ts";
import type { ExternalAutomationPolicy } from "../../../crds/agentconfig-policy.ts";
import { API_GROUP, API_VERSION } from "../../../crds/api.ts";
import {
  AutomationPlatformClient,
  AutomationPlatformError,
  finished,
} from "../../../tools/automation-platform.ts";
import type { Execution } from "../../../tools/automation-platform.ts";
import { ActionFailedError, failedVerify, noBlast, pending, verified } from "../action.ts";
import type { Action, ActionContext, Step, UndoState } from "../action.ts";
import { dryRunOf, preconditionsOf } from "../guards.ts";
import { parseParams, targetNamespace } from "../params.ts";

/** The cluster policy's externalAutomation. */
export type AutomationPolicy = Static<typeof ExternalAutomationPolicy>;
type Script = AutomationPolicy["scripts"][number];

/** What the action needs: the policy of the cluster and a client of its platform. */
export interface AutomationAccess {
  policy: AutomationPolicy;
  client: AutomationPlatformClient;
}

const KIND = "AutomationScript";
const RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2 };
const POLL_MS = 500;

const Params = Type.Object(
  {
    parameters: Type.Optional(
      Type.Record(Type.String(), Type.String({ maxLength: 1024 }), {
        description: "Script parameters; names and values must fit the cluster policy.",
      }),
    ),
  },
  { additionalProperties: false },
);

let resolveAccess: (() => Promise<AutomationAccess>) | undefined;

/** Sets how the action finds the cluster policy and platform (app/main.ts; tests). */
export function configureExternalAutomation(resolve: (() => Promise<AutomationAccess>) | undefined): void {
  resolveAccess = resolve;
}

/** Reads policy.externalAutomation of the cluster policy and its token Secret, on every call (no stale grant). */
export function kubeAutomationAccess(kc: KubeConfig, operatorNamespace: string) {
  const objects = kc.makeApiClient(CustomObjectsApi);
  return async (): Promise<AutomationAccess> => {
    const config = (await objects
      .getNamespacedCustomObject({
        group: API_GROUP,
        version: API_VERSION,
        namespace: operatorNamespace,
        plural: "agentconfigs",
        name: "default",
      })
      .catch(() => undefined)) as
      { spec?: { policy?: { externalAutomation?: AutomationPolicy } } } | undefined;
    const policy = config?.spec?.policy?.externalAutomation;
    if (!policy)
      throw new ActionFailedError(
        `ExternalAutomation is off: the cluster policy (AgentConfig ${operatorNamespace}/default) has no policy.externalAutomation`,
      );
    let token: string | undefined;
    const ref = policy.tokenSecretRef;
    if (ref) {
      const secret = await kc
        .makeApiClient(CoreV1Api)
        .readNamespacedSecret({ name: ref.name, namespace: operatorNamespace });
      const raw = secret.data?.[ref.key];
      if (!raw) throw new ActionFailedError(`Secret ${operatorNamespace}/${ref.name} has no key ${ref.key}`);
      token = Buffer.from(raw, "base64").toString("utf8").trim();
    }
    const timeoutMs = (policy.timeoutSeconds ?? 30) * 1000;
    return { policy, client: new AutomationPlatformClient({ baseURL: policy.baseURL, token, timeoutMs }) };
  };
}

async function access(): Promise<AutomationAccess> {
  if (!resolveAccess) throw new ActionFailedError("ExternalAutomation is not configured in this process");
  return resolveAccess();
}

/** Checks the step against the policy; returns the script and its parameters, or throws naming the problem. */
export function allowedScript(
  policy: AutomationPolicy,
  step: Step,
): { script: Script; parameters: Record<string, string> } {
  if (step.target.kind !== KIND)
    throw new ActionFailedError(`ExternalAutomation needs target.kind ${KIND}, not ${step.target.kind}`);
  targetNamespace(step);
  const id = step.target.name;
  const script = policy.scripts.find((s) => s.id === id);
  if (!script)
    throw new ActionFailedError(`script ${id} is not in the cluster policy's externalAutomation.scripts`);
  const declared = (step as { risk?: Risk }).risk ?? ACTION_RISKS.ExternalAutomation;
  if (RANK[declared] < RANK[script.risk])
    throw new ActionFailedError(
      `script ${id} is rated ${script.risk} by the cluster policy; the step declares risk ${declared}`,
    );
  const parameters = parseParams(Params, step).parameters ?? {};
  const allowed = script.parameters ?? [];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(parameters)) {
    const rule = allowed.find((p) => p.name === name);
    if (!rule) problems.push(`parameter ${name} is not allowed for script ${id}`);
    else if (!new RegExp(`^(?:${rule.pattern})$`).test(value))
      problems.push(`parameter ${name} does not match the policy's pattern ${rule.pattern}`);
  }
  for (const p of allowed)
    if (p.required && parameters[p.name] === undefined) problems.push(`parameter ${p.name} is required`);
  if (problems.length > 0) throw new ActionFailedError(problems.join("; "));
  return { script, parameters };
}

/**
 * The Idempotency-Key of a step: the same namespace, step, script and parameters give the same
 * key, so execute after a crash attaches to the run already started instead of starting one.
 */
export function idempotencyKey(step: Step): string {
  const params = (step.params as { parameters?: Record<string, string> } | undefined)?.parameters ?? {};
  const canonical = JSON.stringify([
    step.target.namespace ?? "",
    step.name,
    step.target.name,
    Object.entries(params).sort(([a], [b]) => a.localeCompare(b)),
  ]);
  return `aisre-${createHash("sha256").update(canonical).digest("hex").slice(0, 32)}`;
}

const initiatedBy = (step: Step) => `aisre-operator:${step.target.namespace ?? ""}/${step.name}`;

/** Polls an execution until it ends or the policy's timeout passes. */
async function waitFinished(ctx: ActionContext, a: AutomationAccess, first: Execution): Promise<Execution> {
  const until = ctx.clock.now() + (a.policy.timeoutSeconds ?? 30) * 1000;
  let e = first;
  while (!finished(e) && ctx.clock.now() < until) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    e = await a.client.execution(e.id);
  }
  return e;
}

/** Platform errors become ActionFailedError, so preconditions and dry runs read them as problems. */
async function platform<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof AutomationPlatformError) throw new ActionFailedError(`${what}: ${err.message}`);
    throw err;
  }
}

export const externalAutomation: Action = {
  name: "ExternalAutomation",
  risk: ACTION_RISKS.ExternalAutomation,
  targetKinds: [KIND],
  params: Params,
  rbac: [],
  // The cluster policy and the platform token Secret, in the operator's namespace only.
  namespacedRbac: [
    { apiGroups: [""], resources: ["secrets"], verbs: ["get"] },
    { apiGroups: [API_GROUP], resources: ["agentconfigs"], verbs: ["get"] },
  ],
  undoable: true,
  automatic: true,
  description:
    "Run a script of the operations platform that the cluster policy lists, with the parameters it allows.",
  explain: {
    dryRun:
      "Checks the script, its risk and parameters against the cluster policy; when the platform supports it, " +
      "also sends the request with dry_run: true.",
    verify: "The platform's execution status reaches succeeded (failed or cancelled fail the step).",
    undo: "Runs the undo script the cluster policy names for the script, with the same parameters; none named: nothing.",
  },
  recovery: {
    mode: "rerun",
    why:
      "execute sends an Idempotency-Key derived from the step; the platform answers a repeated key with the " +
      "execution it already started, so a rerun attaches to it instead of running the script twice",
  },
  preconditions: preconditionsOf(Params, async (_ctx, step) => {
    allowedScript((await access()).policy, step);
    return [];
  }),
  blastRadius: async () => noBlast(),
  dryRun: dryRunOf(Params, async (ctx, step) => {
    const a = await access();
    const { script, parameters } = allowedScript(a.policy, step);
    if (!a.policy.supportsDryRun)
      return {
        passed: true,
        message: `script ${script.id} and its parameters are allowed; the platform has no dry run`,
      };
    const request = { script_id: script.id, parameters, initiated_by: initiatedBy(step), dry_run: true };
    const started = await platform("dry run", () =>
      a.client.execute(request, `${idempotencyKey(step)}-dry-run`),
    );
    const e = await platform("dry run", () => waitFinished(ctx, a, started));
    const passed = e.status === "succeeded";
    return {
      passed,
      message: `platform dry run of ${script.id}: ${e.status}${e.message ? ` (${e.message})` : ""}`,
    };
  }),
  async execute(ctx, step) {
    const a = await access();
    const { script, parameters } = allowedScript(a.policy, step);
    const key = idempotencyKey(step);
    const request = { script_id: script.id, parameters, initiated_by: initiatedBy(step) };
    const e = await platform(`execute of ${script.id} (Idempotency-Key ${key})`, () =>
      a.client.execute(a.policy.supportsDryRun ? { ...request, dry_run: false } : request, key),
    );
    ctx.log.info({ script: script.id, execution: e.id, status: e.status }, "Started platform script");
    return {
      message: `script ${script.id} started as execution ${e.id} (${e.status})`,
      undoState: { executionId: e.id, scriptId: script.id, idempotencyKey: key },
    };
  },
  async verify(_ctx, _step, state) {
    const a = await access();
    const e = await platform("verify", () => a.client.execution(String(state.executionId)));
    const what = `execution ${e.id} of ${String(state.scriptId)} is ${e.status}${e.message ? `: ${e.message}` : ""}`;
    if (e.status === "succeeded") return verified(what);
    if (finished(e)) return failedVerify(what);
    return pending(what);
  },
  async undo(ctx, step, state: UndoState) {
    const a = await access();
    const { script, parameters } = allowedScript(a.policy, step);
    if (!script.undoScriptId)
      return { message: `nothing to undo: the cluster policy names no undo script for ${script.id}` };
    const request = { script_id: script.undoScriptId, parameters, initiated_by: initiatedBy(step) };
    const key = `${String(state.idempotencyKey ?? idempotencyKey(step))}-undo`;
    const started = await platform(`undo of ${script.id}`, () => a.client.execute(request, key));
    const e = await platform(`undo of ${script.id}`, () => waitFinished(ctx, a, started));
    if (e.status !== "succeeded")
      throw new ActionFailedError(`undo script ${script.undoScriptId} execution ${e.id} is ${e.status}`);
    ctx.log.info({ script: script.undoScriptId, execution: e.id }, "Ran platform undo script");
    return { message: `undo script ${script.undoScriptId} succeeded as execution ${e.id}` };
  },
};
