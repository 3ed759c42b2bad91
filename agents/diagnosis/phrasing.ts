/** Pieces of the root-cause sentence that several categories share. */
import type { Fault } from "./fault.ts";
import type { RolloutContext } from "./rollout-context.ts";

/** " since the image change to TAG" (or the revision) when the failure started with a recent rollout. */
export function since(ctx: RolloutContext | undefined): string {
  if (!ctx?.recent) return "";
  if (ctx.newTag) return ` since the image change to ${ctx.newTag}`;
  return ` since revision ${ctx.history.newest.revision}${ctx.age ? ` (${ctx.age} ago)` : ""}`;
}

/** ": LAST LOG LINE" when the fault carries one, else "". */
export function logPart(f: Fault): string {
  return f.facts.lastLog ? `: ${f.facts.lastLog}` : "";
}

/** A pod-level sentence: c is " (container X)" when the container is not named like the subject. */
export type PodPhrase = (f: Fault, c: string, since: string) => string;

/** The summary function of a pod-level category, from its phrase. */
export function podSentence(phrase: PodPhrase): (f: Fault, ctx: RolloutContext | undefined) => string {
  return (f, ctx) => {
    const c =
      f.facts.container && f.facts.container !== f.subject.name ? ` (container ${f.facts.container})` : "";
    return phrase(f, c, since(ctx));
  };
}
