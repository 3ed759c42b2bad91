/** Groups the symptoms one failing dependency explains ("5 workloads fail because orders-db is down"). */
import type { Fault } from "../fault.ts";
import type { Impact } from "../types.ts";
import type { ClusterView } from "../view.ts";

/** The impact of the root cause's dependency on other workloads, or undefined when it explains only itself. */
export function impactOf(_view: ClusterView, _root: Fault, _faults: Fault[]): Impact | undefined {
  return undefined;
}
