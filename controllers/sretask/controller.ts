import { classifyTask } from "../../agents/classifier/index.ts";
import { createLLMMetrics } from "../../agents/diagnosis/llm/index.ts";
import type { TaskClassification } from "../../agents/classifier/index.ts";
import type { AgentConfig, DiagnosisRun, RemediationPlan, SreTask } from "../../crds/index.ts";
import { API_GROUP_VERSION, DiagnosisRunPhase, Reason, SreTaskPhase } from "../../crds/index.ts";
import type { Logger } from "../../logging/logger.ts";
import type { Manager, Reconciler } from "../../runtime/index.ts";
import { ownerUidIndex, serverSideApply } from "../../runtime/index.ts";
import { skipSettled } from "../../runtime/handlers.ts";
import { agentConfigCache, llmApiKey, lookupAgentConfig } from "../agentconfig/lookup.ts";
import { DIAGNOSISRUN, REMEDIATIONPLAN, SRETASK } from "../../crds/resources.ts";
import { isAccepted, judgeTask, recordAcceptance, type Acceptance } from "./accept.ts";
import { recordStart, startedView, startsInOneWrite } from "./start.ts";
import { classificationLog, decideClassification, recordClassification } from "./classify.ts";
import { desiredRun, diagnosisSettled, mirrorRun, recordDiagnosing, recordResolved } from "./diagnosis.ts";
import { currentPlanName, currentRunName, isNewEpisode, recordReopened, reopenedMessage } from "./episode.ts";
import { desiredPlan, mirrorPlan, recordPlanCreated, wantsPlan } from "./remediation.ts";
import { taskSettled } from "./settled.ts";
import { FINAL_PHASES as PLAN_FINAL } from "../remediationplan/plan-status.ts";

/** Options of the SreTask controller. */
export interface SreTaskControllerOptions {
  maxConcurrentReconciles?: number;
  namespace?: string;
  /** The operator's namespace: where the fallback AgentConfig lives. */
  operatorNamespace?: string;
}

// Nothing more to do in these phases, until the alert fires again (a new episode).
const TERMINAL: readonly string[] = [SreTaskPhase.Resolved, SreTaskPhase.Succeeded];
const RUN_FINISHED: readonly string[] = [DiagnosisRunPhase.Completed, DiagnosisRunPhase.Failed];

/**
 * Registers the SreTask controller (the master agent): level-based, each reconcile reads
 * the task from the cache and converges one step: accept → own a DiagnosisRun → mirror
 * its outcome → own a RemediationPlan (when asked for) → mirror it; a resolved alert ends the
 * task Resolved, and the alert firing again starts a new episode (docs/adr/0004).
 */
export function addSreTaskController(mgr: Manager, opts: SreTaskControllerOptions = {}): void {
  const scope = opts.namespace ? { namespace: opts.namespace } : {};
  const tasks = mgr.informer<SreTask>(SRETASK, scope);
  const runs = mgr.informer<DiagnosisRun>(DIAGNOSISRUN, scope);
  runs.addIndex("owner", ownerUidIndex);
  const plans = mgr.informer<RemediationPlan>(REMEDIATIONPLAN, scope);
  plans.addIndex("owner", ownerUidIndex);

  // The task's AgentConfig: its own namespace, else the operator namespace's `default` (cached).
  const configs = agentConfigCache(mgr, opts.namespace);
  const configOf = (task: SreTask) =>
    lookupAgentConfig(
      mgr.client,
      {
        namespace: task.metadata.namespace ?? "",
        refName: task.spec.agentConfigRef?.name,
        operatorNamespace: opts.operatorNamespace ?? "aisre-system",
      },
      configs,
    );
  // policy.autoRemediation lets plans be created for tasks that did not ask for remediation.
  const autoRemediation = async (task: SreTask): Promise<boolean> =>
    (await configOf(task))?.spec.policy?.autoRemediation === true;

  // The episode's children: the run or plan status names, else the one named for the episode.
  const runOf = (task: SreTask): DiagnosisRun | undefined => {
    const name = currentRunName(task);
    return runs.byIndex("owner", task.metadata.uid ?? "").find((r) => r.metadata.name === name);
  };
  const planOf = (task: SreTask): RemediationPlan | undefined => {
    const name = currentPlanName(task);
    return plans.byIndex("owner", task.metadata.uid ?? "").find((p) => p.metadata.name === name);
  };

  const reopen = async (task: SreTask, log: Logger): Promise<void> => {
    const { obj, written } = await mgr.statusWriter.update(SRETASK, task, (s, fresh) =>
      recordReopened(s, fresh, Date.now()),
    );
    if (!written) return;
    log.info({ episode: obj.status?.episode, startsAt: task.spec.alert?.startsAt }, "Reopened SreTask");
    await mgr.recorder.normal(task, Reason.Reopened, reopenedMessage(task));
  };

  const resolve = async (task: SreTask, log: Logger): Promise<void> => {
    await mgr.statusWriter.update(SRETASK, task, (s) => recordResolved(s, task, Date.now()));
    log.info("Resolved SreTask");
    await mgr.recorder.normal(task, Reason.AlertResolved, "The alert resolved");
  };

  const accept = async (task: SreTask, log: Logger, signal: AbortSignal): Promise<void> => {
    const verdict = judgeTask(task);
    if (verdict.accepted) {
      const rules = classifyTask(task);
      const llmEnabled = rules.unsure && (await configOf(task))?.spec.llm?.enabled === true;
      if (startsInOneWrite(task, rules, llmEnabled)) return start(task, verdict, rules, log, signal);
    }
    const { written } = await mgr.statusWriter.update(SRETASK, task, (s) =>
      recordAcceptance(s, task, verdict, Date.now()),
    );
    if (!written) return;
    log.info({ accepted: verdict.accepted }, verdict.accepted ? "Accepted SreTask" : "Refused SreTask");
    if (verdict.accepted) await mgr.recorder.normal(task, Reason.Accepted, verdict.message);
    else await mgr.recorder.warning(task, Reason.Invalid, verdict.message);
  };

  const llmMetrics = createLLMMetrics(mgr.metrics.registry);
  const classifyDeps = (task: SreTask, signal: AbortSignal) => ({
    agentConfig: () => configOf(task),
    apiKey: (config: AgentConfig) => llmApiKey(mgr.client, config),
    signal,
    metrics: llmMetrics,
  });

  // Accepted, classified by the rules and diagnosing in one status write (start.ts).
  const start = async (
    task: SreTask,
    verdict: Acceptance & { accepted: true },
    rules: TaskClassification,
    log: Logger,
    signal: AbortSignal,
  ): Promise<void> => {
    const decision = await decideClassification(task, classifyDeps(task, signal), rules);
    const now = Date.now();
    const desired = desiredRun(startedView(task, verdict, decision, now));
    if (!runOf(task)) await serverSideApply(mgr.client, desired);
    const { obj, written } = await mgr.statusWriter.update(SRETASK, task, (s, fresh) =>
      recordStart(s, fresh, verdict, decision, now),
    );
    if (!written) return;
    const c = obj.status?.classification;
    log.info(
      { type: c?.type, target: c?.target, run: desired.metadata.name, ...classificationLog(decision) },
      "Accepted SreTask, classified it and created its DiagnosisRun",
    );
    // One Event for the one write (an Event is an API write too): what was accepted, and the run.
    void mgr.recorder.normal(
      task,
      Reason.Accepted,
      `${verdict.message}; created DiagnosisRun ${desired.metadata.name}`,
    );
  };
  // Rules first; the LLM only when they are unsure and the task's AgentConfig enables one.
  const classify = async (task: SreTask, log: Logger, signal: AbortSignal): Promise<void> => {
    const rules = classifyTask(task);
    // The cache may lag our own last write: re-read before paying for an LLM call.
    const { name, namespace } = task.metadata;
    const ref = { apiVersion: API_GROUP_VERSION, kind: SRETASK.kind, metadata: { name, namespace } };
    if (rules.unsure && (await mgr.client.getObject<SreTask>(ref))?.status?.classification) return;
    const decision = await decideClassification(task, classifyDeps(task, signal), rules);
    const { obj, written } = await mgr.statusWriter.update(SRETASK, task, (s) =>
      recordClassification(s, task, decision, Date.now()),
    );
    if (!written) return;
    const c = obj.status?.classification;
    log.info({ type: c?.type, target: c?.target, ...classificationLog(decision) }, "Classified SreTask");
  };

  const driveDiagnosis = async (task: SreTask, log: Logger): Promise<void> => {
    const run = runOf(task);
    if (!run) {
      const desired = desiredRun(task);
      await serverSideApply(mgr.client, desired);
      await mgr.statusWriter.update(SRETASK, task, (s) => recordDiagnosing(s, task, Date.now()));
      log.info({ run: desired.metadata.name }, "Created DiagnosisRun");
      await mgr.recorder.normal(task, Reason.Diagnosing, `Created DiagnosisRun ${desired.metadata.name}`);
      return;
    }
    const { written } = await mgr.statusWriter.update(SRETASK, task, (s) =>
      mirrorRun(s, task, run, Date.now()),
    );
    if (written && run.status?.phase)
      log.info({ category: run.status.rootCause?.category }, "Mirrored diagnosis");
  };

  const driveRemediation = async (task: SreTask, log: Logger): Promise<void> => {
    const plan = planOf(task);
    if (plan) {
      const { written } = await mgr.statusWriter.update(SRETASK, task, (s) =>
        mirrorPlan(s, task, plan, Date.now()),
      );
      if (written && plan.status?.phase) log.info({ plan: plan.status.phase }, "Mirrored remediation plan");
      return;
    }
    const run = runOf(task);
    const asked = task.spec.type === "Remediate" || task.status?.classification?.type === "Remediate";
    if (!wantsPlan(task, run, asked || (await autoRemediation(task)))) return;
    const desired = desiredPlan(task, run!);
    await serverSideApply(mgr.client, desired);
    await mgr.statusWriter.update(SRETASK, task, (s) => recordPlanCreated(s, task));
    log.info({ plan: desired.metadata.name }, "Created RemediationPlan");
    await mgr.recorder.normal(task, Reason.Remediating, `Created RemediationPlan ${desired.metadata.name}`);
  };

  const reconcile: Reconciler = async ({ namespace, name }, { logger, signal }) => {
    const task = tasks.get(namespace, name);
    if (!task || task.metadata.deletionTimestamp) return;
    const log = logger.child({ task: `${namespace}/${name}` });
    if (isNewEpisode(task)) return reopen(task, log);
    if (TERMINAL.includes(task.status?.phase ?? "")) return;
    if (task.spec.alert?.status === "resolved") return resolve(task, log);
    if (!isAccepted(task)) return accept(task, log, signal);
    if (!task.status?.classification) return classify(task, log, signal);
    if (!diagnosisSettled(task)) return driveDiagnosis(task, log);
    return driveRemediation(task, log);
  };

  mgr
    .addController<SreTask>({
      name: "sretask",
      for: tasks,
      reconcile,
      maxConcurrentReconciles: opts.maxConcurrentReconciles ?? 4,
      // A restart replays every task as an add: finished ones must not queue ahead of new work.
      predicate: skipSettled(taskSettled),
    })
    // A finished child's replay adds nothing: an owner still waiting on it is replayed itself.
    .owns(
      runs,
      { group: SRETASK.group, kind: SRETASK.kind },
      skipSettled((r) => RUN_FINISHED.includes(r.status?.phase ?? "")),
    )
    .owns(
      plans,
      { group: SRETASK.group, kind: SRETASK.kind },
      skipSettled((p) => PLAN_FINAL.includes(p.status?.phase ?? "")),
    );
}
