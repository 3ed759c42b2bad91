/**
 * The common shape of every action's preconditions and dry run: params first (a malformed
 * step never reaches the API server), then the action's own logic, with "not found",
 * bad-target and refusal errors turned into answers a person can read, not exceptions.
 */
import type { TSchema } from "@sinclair/typebox";
import { ActionFailedError } from "./action.ts";
import type { ActionContext, DryRunResult, Step } from "./action.ts";
import { apiMessage, isNotFound } from "./kube.ts";
import { ParamsError, paramProblems } from "./params.ts";

type Check = (ctx: ActionContext, step: Step) => Promise<string[]>;
type DryRun = (ctx: ActionContext, step: Step) => Promise<DryRunResult>;

/** The readable problem of an expected failure, or undefined for anything else. */
function expectedProblems(err: unknown): string[] | undefined {
  if (err instanceof ParamsError) return err.problems;
  if (err instanceof ActionFailedError) return [err.message];
  if (isNotFound(err)) return [`not found: ${apiMessage(err)}`];
  return undefined;
}

/** Wraps an action's own checks with the params check and readable problems. */
export function preconditionsOf(schema: TSchema, check: Check): Check {
  return async (ctx, step) => {
    const problems = paramProblems(schema, step);
    if (problems.length > 0) return problems;
    try {
      return await check(ctx, step);
    } catch (err) {
      const expected = expectedProblems(err);
      if (expected) return expected;
      throw err;
    }
  };
}

/** Wraps an action's dry run: bad params, a missing target or a refusal fail the dry run. */
export function dryRunOf(schema: TSchema, run: DryRun): DryRun {
  return async (ctx, step) => {
    const problems = paramProblems(schema, step);
    if (problems.length > 0) return { passed: false, message: problems.join("; ") };
    try {
      return await run(ctx, step);
    } catch (err) {
      const expected = expectedProblems(err);
      if (expected) return { passed: false, message: expected.join("; ") };
      throw err;
    }
  };
}
