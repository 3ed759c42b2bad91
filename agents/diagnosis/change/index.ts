/** Finds `rootCause.change`: the most recent change that explains the onset of the root cause. */
import type { Fault } from "../fault.ts";
import type { RootCauseChange } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { ChangeRecord } from "./types.ts";

/** The change that explains when `root` began failing, or undefined when none does. */
export function findChange(
  _view: ClusterView,
  _root: Fault,
  _faults: Fault[],
  _journal: ChangeRecord[] = [],
): RootCauseChange | undefined {
  return undefined;
}
