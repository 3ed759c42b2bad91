/** One sentence naming the cause, from the winning fault's facts. */
import { factsOf } from "./analyzers/registry.ts";
import type { Fault } from "./fault.ts";
import type { RolloutContext } from "./rollout-context.ts";

/** The root cause summary sentence: the category's own wording, else the fault's message. */
export function summarize(f: Fault, ctx: RolloutContext | undefined): string {
  const sentence = factsOf(f.category).summary;
  return (sentence ? sentence(f, ctx) : f.message).slice(0, 400);
}
