/** SreTasks as `aisre tasks` prints them: the columns, the rows, and the List of `-o json|yaml`. */
import type { SreTask } from "../../../crds/index.ts";
import { ageOf } from "./output.ts";

/** The columns of the table; -A adds NAMESPACE first, -o wide adds the rest. */
export const TASK_COLUMNS = ["NAME", "PHASE", "CATEGORY", "TARGET", "AGE"] as const;
export const WIDE_COLUMNS = ["TYPE", "SOURCE", "PLAN", "EPISODE"] as const;

/** What the task is about: the classifier's target, else the spec's, as Kind/name. */
export function taskTarget(task: SreTask): string {
  const t = task.status?.classification?.target ?? task.spec.target;
  return t ? `${t.kind}/${t.name}` : "";
}

/** The wide columns of a task: type, source, plan, episode. */
function wideCells(task: SreTask): string[] {
  const s = task.status;
  return [
    s?.classification?.type ?? task.spec.type ?? "",
    task.spec.source ?? "",
    s?.remediationPlanRef?.name ?? "",
    s?.episode === undefined ? "" : String(s.episode),
  ];
}

/** One table row of a task. */
export function taskRow(
  task: SreTask,
  now: number,
  opts: { allNamespaces: boolean; wide: boolean },
): string[] {
  const row = [
    task.metadata.name ?? "",
    task.status?.phase ?? "",
    task.status?.rootCause?.category ?? "",
    taskTarget(task),
    ageOf(task.metadata.creationTimestamp as string | undefined, now),
    ...(opts.wide ? wideCells(task) : []),
  ];
  return opts.allNamespaces ? [task.metadata.namespace ?? "", ...row] : row;
}

/** The header row for these options. */
export function taskHeaders(opts: { allNamespaces: boolean; wide: boolean }): string[] {
  return [...(opts.allNamespaces ? ["NAMESPACE"] : []), ...TASK_COLUMNS, ...(opts.wide ? WIDE_COLUMNS : [])];
}

/** The items as `kubectl get -o json` prints a list: a v1 List whose items carry apiVersion and kind. */
export function taskList(items: readonly SreTask[], apiVersion: string): object {
  return {
    apiVersion: "v1",
    kind: "List",
    items: items.map((t) => ({ ...t, apiVersion, kind: "SreTask" })),
    metadata: { resourceVersion: "" },
  };
}
