import type { Logger } from "pino";
import { diagnose } from "../../agents/diagnosis/diagnose.ts";
import { LIVE_KINDS } from "../../agents/diagnosis/live/kinds.ts";
import { logCandidates } from "../../agents/diagnosis/log-candidates.ts";
import { StoreView } from "../../agents/diagnosis/live/store-view.ts";
import { liveView, viewScope, type ObjectLister } from "../../agents/diagnosis/live/view.ts";
import type { ClusterView, PromQuery } from "../../agents/diagnosis/view.ts";
import type { DiagnosisRun } from "../../crds/index.ts";
import { Reason } from "../../crds/index.ts";
import { createLLMMetrics } from "../../agents/diagnosis/llm/index.ts";
import { createDiagnosisMetrics } from "./metrics.ts";
import type { Manager, Reconciler } from "../../runtime/index.ts";
import { DIAGNOSISRUN } from "../../crds/resources.ts";
import { focusOf } from "./focus.ts";
import { metricInputs } from "./metric-step.ts";
import { agentConfigCache } from "../agentconfig/lookup.ts";
import { agentConfigFor, consultLLM } from "./llm-step.ts";
import { MAX_LOG_PODS, previousLogs } from "./pod-logs.ts";
import { clip } from "./result-status.ts";
import { AttemptLedger } from "./attempts.ts";
import { completionMessage, isFinished, markCompleted, markRunning, markStarted } from "./run-status.ts";
import { exhaustedAttempts, markFailed, missingTarget, type RunFailure } from "./failure.ts";
import { EVENT_BOUNDS_ENV, parseEventBounds, type EventBounds } from "./event-bounds.ts";
import { liveCaches } from "./live-cache.ts";
import { warmUpLister } from "./warm-up.ts";
import { confirmRbac } from "./access-review.ts";
import { announceSimilar, lookupSimilar, type IncidentStore } from "./similar-step.ts";

/** Options of the DiagnosisRun controller. */
export interface DiagnosisRunControllerOptions {
  maxConcurrentReconciles?: number;
  namespace?: string;
  /** Where the fallback `default` AgentConfig lives. */
  operatorNamespace?: string;
  /** The engine; tests inject a failing one to prove a run cannot retry forever. */
  engine?: typeof diagnose;
  /** Limits of the Event cache; default from AISRE_EVENT_CACHE, else 60 min, 50 per object, 2000 per namespace. */
  eventBounds?: EventBounds;
  /** The incident store, to show similar past incidents (status.history); none without it. */
  store?: IncidentStore;
}

/** Tells the user, on the run, which evidence could not be read (a Warning Event and a log line). */
async function reportEvidenceGaps(
  mgr: Manager,
  run: DiagnosisRun,
  gaps: string[] | undefined,
  logger: Logger,
): Promise<void> {
  if (!gaps?.length) return;
  logger.warn(
    { run: `${run.metadata.namespace}/${run.metadata.name}`, gaps },
    "Diagnosed without some evidence",
  );
  await mgr.recorder.warning(run, Reason.EvidenceGap, clip(gaps.join("; "), 1024));
}

/**
 * Registers the DiagnosisRun controller: runs the deterministic engine over the live view
 * (informer caches plus previous logs of crashing containers) with the change journal,
 * confirms an RBACForbidden root cause with a SubjectAccessReview, and writes the bounded
 * result, conditions, an Event and metrics. A finished run is never diagnosed again.
 */
export function addDiagnosisRunController(mgr: Manager, opts: DiagnosisRunControllerOptions = {}): void {
  const scope = opts.namespace ? { namespace: opts.namespace } : {};
  const runs = mgr.informer<DiagnosisRun>(DIAGNOSISRUN, scope);
  const caches = liveCaches(mgr, scope, opts.eventBounds ?? parseEventBounds(process.env[EVENT_BOUNDS_ENV]));
  const live = caches.informers;
  const metrics = createDiagnosisMetrics(mgr.metrics.registry);
  const llmMetrics = createLLMMetrics(mgr.metrics.registry);
  const engine = opts.engine ?? diagnose;
  // The AgentConfig controller's shared cache: the run's config without a GET when it covers both namespaces.
  const configCache = agentConfigCache(mgr, opts.namespace);
  const ledger = new AttemptLedger();
  ledger.track(runs);

  /**
   * Waits for the diagnosis caches, except for a run scoped to a namespace while they still list
   * (warm-up.ts): that one reads its namespace from the API server. True in that case.
   */
  const readyToDiagnose = async (run: DiagnosisRun, signal: AbortSignal): Promise<boolean> => {
    await caches.discover();
    const warmingUp =
      viewScope(focusOf(run)) !== undefined && ![...live.values()].every((i) => i.hasSynced());
    if (!warmingUp) await Promise.all([...live.values()].map((i) => i.waitForSync(signal)));
    return warmingUp;
  };

  /** False for a run finished, here or as the cache shows, or being deleted. */
  const needsDiagnosis = (cached: DiagnosisRun): boolean => {
    if (isFinished(cached.status)) ledger.settled(cached);
    // The cache may lag the run's own completing write when something else queued the key again.
    return !cached.metadata.deletionTimestamp && !isFinished(cached.status) && !ledger.isFinishedHere(cached);
  };

  const reconcile: Reconciler = async ({ namespace, name }, { signal, logger }) => {
    const cached = runs.get(namespace, name);
    if (!cached || !needsDiagnosis(cached)) return;
    const warmingUp = await readyToDiagnose(cached, signal);
    const started = Date.now();
    const run = ledger.skipsRunningWrite(cached) ? cached : await writeRunning(cached, started);
    if (!run) return;

    try {
      await diagnoseRun(run, started, logger, signal, warmingUp);
    } catch (err) {
      const failure = signal.aborted ? undefined : exhaustedAttempts(ledger.attempts(run), err);
      if (!failure) throw err;
      await fail(run, failure, started, logger);
    }
  };

  /** Counts the attempt durably before it starts; undefined when the fresh run shows it finished. */
  const writeRunning = async (cached: DiagnosisRun, started: number): Promise<DiagnosisRun | undefined> => {
    const { obj: run } = await mgr.statusWriter.update(DIAGNOSISRUN, cached, (s, fresh) => {
      if (!isFinished(s)) markRunning(s, fresh, started, ledger.unwrittenAttempts(fresh));
    });
    if (isFinished(run.status)) return undefined;
    ledger.written(run);
    return run;
  };

  /** Writes the run Failed, with a Warning Event and the failed-diagnosis metric. */
  const fail = async (run: DiagnosisRun, failure: RunFailure, started: number, logger: Logger) => {
    const now = Date.now();
    const bounded = { ...failure, message: clip(failure.message, 1024) };
    const unwritten = ledger.unwrittenAttempts(run);
    const { written } = await mgr.statusWriter.update(DIAGNOSISRUN, run, (s) => {
      if (isFinished(s)) return;
      markStarted(s, run, started, unwritten);
      markFailed(s, run, bounded, now);
      s.durationMs = now - started;
    });
    ledger.finishedHere(run);
    if (!written) return;
    metrics.observe((now - started) / 1000, undefined, "failed");
    logger.warn(
      { run: `${run.metadata.namespace}/${run.metadata.name}`, reason: failure.reason },
      "Failed DiagnosisRun",
    );
    await mgr.recorder.warning(run, failure.reason, bounded.message);
  };

  // The view enumerates the focus's namespace, from the caches or, while they warm up, from the
  // API server through `lister`; previous logs are read for the pods the focus makes relevant.
  const viewOf = async (
    focus: ReturnType<typeof focusOf>,
    namespace: string,
    lister: ObjectLister | undefined,
    prometheus: PromQuery | undefined,
  ): Promise<ClusterView> => {
    const within = viewScope(focus);
    const opts = prometheus ? { prometheus } : {};
    const view = lister
      ? await liveView(lister, opts)
      : new StoreView(caches.readers, { namespace: within, ...opts });
    const pods = logCandidates(view, focus, within ?? namespace, MAX_LOG_PODS);
    view.addLogs(await previousLogs(mgr.kubeConfig, pods));
    return view;
  };

  const diagnoseRun = async (
    run: DiagnosisRun,
    started: number,
    logger: Logger,
    signal: AbortSignal,
    warmingUp: boolean,
  ) => {
    const { namespace = "", name = "" } = run.metadata;
    const focus = focusOf(run);
    const within = viewScope(focus);
    const lister =
      warmingUp && within
        ? warmUpLister(mgr.kubeConfig, within, (rt) => live.has(rt.kind), logger)
        : undefined;
    const config = await agentConfigFor(
      mgr.client,
      run,
      opts.operatorNamespace ?? "aisre-system",
      configCache,
    );
    const { metrics: evidence, thresholds, prometheus } = await metricInputs(config, focus, opts.namespace);
    const view = await viewOf(focus, namespace, lister, prometheus);
    const absent = missingTarget(view, focus, LIVE_KINDS);
    if (absent) return fail(run, absent, started, logger);
    const changes = caches.journal.recordsFor(within);
    const found = engine(view, focus, { changes, ...(evidence ? { metrics: evidence, thresholds } : {}) });
    await confirmRbac(mgr.client, found, logger);
    const consulted = await consultLLM(
      mgr.client,
      {
        run,
        view,
        result: found,
        focus,
        config,
        operatorNamespace: opts.operatorNamespace ?? "aisre-system",
      },
      { signal, metrics: llmMetrics },
    );
    const result = consulted.result;
    // Looked up before the completing write, which carries the history too (one write, not two).
    const similar = await lookupSimilar(run, result, opts.store);
    const finished = Date.now();
    const root = result.rootCause;
    const { reason, message } = completionMessage(result);
    const completion = { consulted, similar, started, finished, unwritten: ledger.unwrittenAttempts(run) };
    const { obj: completed, written } = await mgr.statusWriter.update(DIAGNOSISRUN, run, (s) => {
      // After a conflict's re-read: a run another writer finished (a previous leader) keeps its result.
      if (!isFinished(s)) markCompleted(s, run, completion);
    });
    ledger.finishedHere(run);
    if (!written) return;
    metrics.observe((finished - started) / 1000, root?.category, "completed");
    logger.info(
      {
        run: `${namespace}/${name}`,
        category: root?.category,
        ms: finished - started,
        fromApiServer: lister !== undefined,
      },
      "Completed DiagnosisRun",
    );
    // Events are best-effort and never fail the run: written without holding a worker.
    void mgr.recorder.normal(run, reason, message);
    if (similar) void announceSimilar(mgr, completed, similar, logger);
    void reportEvidenceGaps(mgr, run, result.evidenceGaps, logger);
  };

  mgr.addController<DiagnosisRun>({
    name: "diagnosisrun",
    for: runs,
    reconcile,
    maxConcurrentReconciles: opts.maxConcurrentReconciles ?? 2,
  });
}
