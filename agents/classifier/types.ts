/** The classifier's output: SreTask status.classification plus whether the rules were unsure. */
import type { Static } from "@sinclair/typebox";
import type { ObjectReference } from "../../crds/common.ts";
import type { Classification } from "../../crds/sretask.ts";

/** status.classification of an SreTask. */
export type Classification = Static<typeof Classification>;

/** A classification with `unsure` set when confidence < UNSURE_BELOW (the LLM may then help). */
export type TaskClassification = Classification & { unsure: boolean };

export type TaskType = Classification["type"];
export type Target = ObjectReference;

/** Below this confidence the rules count as unsure. */
export const UNSURE_BELOW = 0.6;

/** A guess with how sure it is and why, before the parts are combined. */
export interface Scored<T> {
  value: T;
  confidence: number;
  why: string;
}

/** Rounds a confidence to two decimals within [0, 1]. */
export function round(c: number): number {
  return Math.round(Math.max(0, Math.min(1, c)) * 100) / 100;
}
