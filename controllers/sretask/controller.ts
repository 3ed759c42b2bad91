import type { DiagnosisRun, SreTask } from "../../crds/index.ts";
import { Reason, SreTaskPhase } from "../../crds/index.ts";
import type { Logger } from "../../operator/logging/logger.ts";
import type { Manager, Reconciler } from "../../operator/runtime/index.ts";
import { ownerUidIndex, serverSideApply } from "../../operator/runtime/index.ts";
import { DIAGNOSISRUN, SRETASK } from "../resources.ts";
import { isAccepted, judgeTask, recordAcceptance } from "./accept.ts";
import { recordClassification } from "./classify.ts";
import { desiredRun, diagnosisSettled, mirrorRun, recordDiagnosing, recordResolved } from "./diagnosis.ts";

/** Options of the SreTask controller. */
export interface SreTaskControllerOptions {
  maxConcurrentReconciles?: number;
  namespace?: string;
}

const TERMINAL: readonly string[] = [SreTaskPhase.Resolved, SreTaskPhase.Succeeded];

/**
 * Registers the SreTask controller (the master agent): level-based, each reconcile reads
 * the task from the cache and converges one step: accept → own a DiagnosisRun → mirror
 * its outcome; a resolved alert ends the task Resolved.
 */
export function addSreTaskController(mgr: Manager, opts: SreTaskControllerOptions = {}): void {
  const scope = opts.namespace ? { namespace: opts.namespace } : {};
  const tasks = mgr.informer<SreTask>(SRETASK, scope);
  const runs = mgr.informer<DiagnosisRun>(DIAGNOSISRUN, scope);
  runs.addIndex("owner", ownerUidIndex);

  const resolve = async (task: SreTask, log: Logger): Promise<void> => {
    await mgr.statusWriter.update(SRETASK, task, (s) => recordResolved(s, task, Date.now()));
    log.info("Resolved SreTask");
    await mgr.recorder.normal(task, Reason.AlertResolved, "The alert resolved");
  };

  const accept = async (task: SreTask, log: Logger): Promise<void> => {
    const verdict = judgeTask(task);
    const { written } = await mgr.statusWriter.update(SRETASK, task, (s) =>
      recordAcceptance(s, task, verdict, Date.now()),
    );
    if (!written) return;
    log.info({ accepted: verdict.accepted }, verdict.accepted ? "Accepted SreTask" : "Refused SreTask");
    if (verdict.accepted) await mgr.recorder.normal(task, Reason.Accepted, verdict.message);
    else await mgr.recorder.warning(task, Reason.Invalid, verdict.message);
  };

  const classify = async (task: SreTask, log: Logger): Promise<void> => {
    const { obj } = await mgr.statusWriter.update(SRETASK, task, (s) =>
      recordClassification(s, task, Date.now()),
    );
    const c = obj.status?.classification;
    log.info({ type: c?.type, target: c?.target, confidence: c?.confidence }, "Classified SreTask");
  };

  const driveDiagnosis = async (task: SreTask, log: Logger): Promise<void> => {
    const run = runs.byIndex("owner", task.metadata.uid ?? "")[0];
    if (!run) {
      await serverSideApply(mgr.client, desiredRun(task));
      await mgr.statusWriter.update(SRETASK, task, (s) => recordDiagnosing(s, task, Date.now()));
      log.info("Created DiagnosisRun");
      await mgr.recorder.normal(task, Reason.Diagnosing, `Created DiagnosisRun ${task.metadata.name}`);
      return;
    }
    const { written } = await mgr.statusWriter.update(SRETASK, task, (s) =>
      mirrorRun(s, task, run, Date.now()),
    );
    if (written && run.status?.phase)
      log.info({ category: run.status.rootCause?.category }, "Mirrored diagnosis");
  };

  const reconcile: Reconciler = async ({ namespace, name }, { logger }) => {
    const task = tasks.get(namespace, name);
    if (!task || task.metadata.deletionTimestamp || TERMINAL.includes(task.status?.phase ?? "")) return;
    const log = logger.child({ task: `${namespace}/${name}` });
    if (task.spec.alert?.status === "resolved") return resolve(task, log);
    if (!isAccepted(task)) return accept(task, log);
    if (!task.status?.classification) return classify(task, log);
    if (!diagnosisSettled(task)) return driveDiagnosis(task, log);
  };

  mgr
    .addController<SreTask>({
      name: "sretask",
      for: tasks,
      reconcile,
      maxConcurrentReconciles: opts.maxConcurrentReconciles ?? 4,
    })
    .owns(runs, { group: "aisre.io", kind: "SreTask" });
}
