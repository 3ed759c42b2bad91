/**
 * Step parameters, checked against each action's TypeBox schema before anything runs:
 * a typo in a plan is a precondition problem, never a surprise at execution.
 */
import { Value } from "@sinclair/typebox/value";
import type { Static, TSchema } from "@sinclair/typebox";
import type { Step } from "./action.ts";

/** Thrown when step.params does not fit the action's schema. */
export class ParamsError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`invalid params: ${problems.join("; ")}`);
    this.name = "ParamsError";
    this.problems = problems;
  }
}

/** The problems of step.params against schema, one line each (empty when valid). */
export function paramProblems(schema: TSchema, step: Step): string[] {
  const params = step.params ?? {};
  return [...Value.Errors(schema, params)].map((e) => `params${e.path.replaceAll("/", ".")}: ${e.message}`);
}

/** step.params typed by schema; throws ParamsError when they do not fit. */
export function parseParams<S extends TSchema>(schema: S, step: Step): Static<S> {
  const problems = paramProblems(schema, step);
  if (problems.length > 0) throw new ParamsError(problems);
  return Value.Default(schema, structuredClone(step.params ?? {})) as Static<S>;
}

/** The target's namespace; the CRD allows it absent only for cluster-scoped kinds. */
export function targetNamespace(step: Step): string {
  const ns = step.target.namespace;
  if (!ns) throw new ParamsError([`target ${step.target.kind}/${step.target.name} needs a namespace`]);
  return ns;
}
