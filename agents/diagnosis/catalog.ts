/** Recommendations are catalog actions only (crds/actions.ts), each with the catalog's risk. */
import type { ActionName } from "../../crds/actions.ts";
import { ACTION_RISKS } from "../../crds/actions.ts";
import type { Recommendation, ResourceRef } from "./types.ts";

export type Params = Recommendation["params"];

/** One catalog action on a target, with the catalog risk and a rationale. */
export function rec(
  action: ActionName,
  target: ResourceRef,
  rationale: string,
  params: Params = {},
): Recommendation {
  return { action, target, params, risk: ACTION_RISKS[action], rationale };
}
