import type { SreTask } from "../../crds/index.ts";
import { Reason } from "../../crds/index.ts";
import type { Manager, Reconciler } from "../../operator/runtime/index.ts";
import { SRETASK } from "../resources.ts";
import { isAccepted, judgeTask, recordAcceptance } from "./accept.ts";

/** Options of the SreTask controller. */
export interface SreTaskControllerOptions {
  maxConcurrentReconciles?: number;
  namespace?: string;
}

/**
 * Registers the SreTask controller: level-based, it reads the task from the cache and
 * converges status one step (today: acceptance; the pipeline stages hang off later phases).
 */
export function addSreTaskController(mgr: Manager, opts: SreTaskControllerOptions = {}): void {
  const tasks = mgr.informer<SreTask>(SRETASK, opts.namespace ? { namespace: opts.namespace } : {});
  const reconcile: Reconciler = async ({ namespace, name }, { logger }) => {
    const task = tasks.get(namespace, name);
    if (!task || task.metadata.deletionTimestamp) return;
    if (isAccepted(task)) return;
    const verdict = judgeTask(task);
    const { written } = await mgr.statusWriter.update(SRETASK, task, (status) =>
      recordAcceptance(status, task, verdict, Date.now()),
    );
    if (!written) return;
    if (verdict.accepted) {
      logger.info({ task: `${namespace}/${name}` }, "Accepted SreTask");
      await mgr.recorder.normal(task, Reason.Accepted, verdict.message);
    } else {
      logger.warn({ task: `${namespace}/${name}`, reason: verdict.message }, "Refused SreTask");
      await mgr.recorder.warning(task, Reason.Invalid, verdict.message);
    }
  };
  mgr.addController<SreTask>({
    name: "sretask",
    for: tasks,
    reconcile,
    maxConcurrentReconciles: opts.maxConcurrentReconciles ?? 4,
  });
}
