/**
 * The anomaly loop (docs/anomaly.md): one reconcile per AgentConfig with
 * spec.monitoring.anomaly.enabled, every intervalSeconds, on the leader only (controllers run
 * only while leading). A cycle reads the golden signals of every workload from
 * spec.tools.prometheus.url, skips workloads rolling out, opens one Diagnose SreTask per
 * flagged workload and signal of the AgentConfig's own namespace, and resolves it after
 * CLEAR_CYCLES clean cycles. A query failure is an evidence gap on status, never a crash.
 */
import { runAnomalyCycle } from "../../agents/anomaly/cycle.ts";
import type { WorkloadAnomaly } from "../../agents/anomaly/cycle.ts";
import type { AnomalyStates } from "../../agents/anomaly/tasks.ts";
import {
  anomalyKey,
  anomalyTask,
  gappedSignals,
  ownAnomalies,
  stepAnomalies,
} from "../../agents/anomaly/tasks.ts";
import type { AgentConfig } from "../../crds/index.ts";
import { Reason } from "../../crds/index.ts";
import { AGENTCONFIG } from "../../crds/resources.ts";
import type { Logger } from "../../logging/logger.ts";
import type { Manager, Reconciler, Result } from "../../runtime/index.ts";
import { formatTime } from "../../runtime/index.ts";
import { PrometheusClient } from "../../tools/prometheus/client.ts";
import { openTask, resolveTask } from "../monitoring/tasks.ts";
import { createAnomalyMetrics } from "./metrics.ts";
import { openAnomalyTasks } from "./seed.ts";
import { clearAnomalyStatus, recordAnomalyCycle } from "./status.ts";
import type { NamespaceWorkloads } from "./workloads.ts";
import { namespaceWorkloads } from "./workloads.ts";

/** Options of the anomaly controller. */
export interface AnomalyControllerOptions {
  /** Watch one namespace only. */
  namespace?: string;
  /** The clock (tests). */
  now?: () => number;
}

/** What this leader remembers of one AgentConfig between cycles. */
interface ConfigRun {
  uid: string;
  generation?: number;
  lastAt?: number;
  seeded: boolean;
  states: AnomalyStates;
}

/** A storm of anomalies (the TSDB's data jumped) opens at most this many tasks per cycle. */
const MAX_OPEN_PER_CYCLE = 20;

const intervalMs = (config: AgentConfig) => (config.spec.monitoring?.anomaly?.intervalSeconds ?? 300) * 1000;

/** Registers the anomaly controller: nothing runs for an AgentConfig without anomaly.enabled. */
export function addAnomalyController(mgr: Manager, opts: AnomalyControllerOptions = {}): void {
  const informer = mgr.informer<AgentConfig>(
    AGENTCONFIG,
    opts.namespace ? { namespace: opts.namespace } : {},
  );
  const now = opts.now ?? Date.now;
  const runs = new Map<string, ConfigRun>();
  const metrics = createAnomalyMetrics(mgr.metrics.registry);

  /** Tasks an earlier leader opened are open anomalies, so they resolve and are not opened twice. */
  const seed = async (config: AgentConfig, run: ConfigRun): Promise<void> => {
    const { namespace, name } = config.metadata;
    for (const task of await openAnomalyTasks(mgr.client, namespace!, name!)) {
      const l = task.spec.alert!.labels;
      const key = `${l.namespace}/${l.workload}/${l.signal}`;
      run.states.set(key, { task: task.metadata.name!, signal: l.signal as never, misses: 0 });
    }
    run.seeded = true;
  };

  const open = async (
    config: AgentConfig,
    run: ConfigRun,
    a: WorkloadAnomaly,
    w: NamespaceWorkloads,
    log: Logger,
  ) => {
    const task = anomalyTask(a, {
      namespace: config.metadata.namespace!,
      config: config.metadata.name!,
      severity: config.spec.monitoring?.anomaly?.severity,
      kind: w.kinds.get(a.workload),
    });
    const name = task.metadata.name!;
    const outcome = await openTask(mgr.client, task);
    run.states.set(anomalyKey(a), { task: name, signal: a.anomaly.signal, misses: 0 });
    const fields = { workload: a.workload, signal: a.anomaly.signal, task: name, outcome };
    log.info({ ...fields, score: a.anomaly.score, value: a.anomaly.value }, "Opened anomaly SreTask");
    if (outcome === "existing") return;
    metrics.task("opened");
    await mgr.recorder.normal(
      config,
      Reason.AnomalyDetected,
      `Anomaly in ${a.workload}: ${task.spec.alert!.annotations!.summary}; SreTask ${name}`,
    );
  };

  const resolve = async (config: AgentConfig, run: ConfigRun, key: string, log: Logger) => {
    const state = run.states.get(key)!;
    const outcome = await resolveTask(mgr.client, config.metadata.namespace!, state.task, formatTime(now()));
    run.states.delete(key);
    log.info({ key, task: state.task, outcome }, "Resolved anomaly SreTask");
    if (outcome !== "resolved") return;
    metrics.task("resolved");
    await mgr.recorder.normal(
      config,
      Reason.AnomalyCleared,
      `Anomaly ${key} cleared: SreTask ${state.task} resolved`,
    );
  };

  /** One change that fails is retried next cycle: the state is only changed once it succeeded. */
  const attempt = async (what: string, log: Logger, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      log.warn({ err, anomaly: what }, "Failed to apply an anomaly task change; retrying next cycle");
    }
  };

  /** One cycle for an AgentConfig with anomaly detection on. */
  const evaluate = async (config: AgentConfig, run: ConfigRun, t: number, log: Logger): Promise<void> => {
    const started = performance.now();
    const ns = config.metadata.namespace!;
    if (!run.seeded) await seed(config, run);
    const tool = config.spec.tools?.prometheus;
    const gaps: string[] = [];
    let found: WorkloadAnomaly[] = [];
    let queries = 0;
    if (!tool?.url) gaps.push("no Prometheus configured (spec.tools.prometheus.url)");
    else {
      const w = await namespaceWorkloads(mgr.client, ns, Math.floor(t / 1000)).catch((err: Error) => {
        // Without the workloads no rollout is known: a rollout may page, which beats seeing nothing.
        gaps.push(`workloads: ${err.message}`);
        return { kinds: new Map(), rollouts: new Map() } as NamespaceWorkloads;
      });
      const prom = new PrometheusClient(tool.url, (tool.timeoutSeconds ?? 10) * 1000);
      const cycle = await runAnomalyCycle(prom, new Date(t), { rollouts: w.rollouts });
      queries = cycle.queries;
      gaps.push(...cycle.gaps);
      found = ownAnomalies(cycle.anomalies, ns);
      const steps = stepAnomalies(run.states, found, gappedSignals(cycle.gaps));
      if (steps.open.length > MAX_OPEN_PER_CYCLE)
        log.warn({ flagged: steps.open.length }, "Deferred anomaly tasks beyond the per-cycle cap");
      for (const a of steps.open.slice(0, MAX_OPEN_PER_CYCLE))
        await attempt(anomalyKey(a), log, () => open(config, run, a, w, log));
      for (const { key } of steps.resolve) await attempt(key, log, () => resolve(config, run, key, log));
    }
    run.lastAt = t;
    run.generation = config.metadata.generation;
    const key = `${ns}/${config.metadata.name}`;
    metrics.cycle((performance.now() - started) / 1000, queries, gaps.length);
    metrics.open(key, run.states.size);
    await mgr.statusWriter.update(AGENTCONFIG, config, (s) =>
      recordAnomalyCycle(s, { at: t, open: run.states.size, found: found.length, gaps }),
    );
    if (gaps.length) log.warn({ gaps }, "Evaluated anomalies with evidence gaps");
    else log.debug({ found: found.length, open: run.states.size, queries }, "Evaluated anomalies");
  };

  /** Detection turned off: resolve what it opened (even an earlier leader's), then clear its status. */
  const stop = async (key: string, config: AgentConfig, log: Logger): Promise<void> => {
    let left = runs.get(key);
    runs.delete(key);
    metrics.forget(key);
    if (!left && !config.status?.monitoring?.anomaly) return;
    left ??= { uid: config.metadata.uid ?? "", seeded: false, states: new Map() };
    if (!left.seeded) await seed(config, left);
    for (const k of [...left.states.keys()]) await attempt(k, log, () => resolve(config, left, k, log));
    await mgr.statusWriter.update(AGENTCONFIG, config, (s) => clearAnomalyStatus(s));
  };

  const reconcile: Reconciler = async ({ namespace, name }, { logger }): Promise<Result | void> => {
    const key = `${namespace}/${name}`;
    const config = informer.get(namespace, name);
    if (!config || config.metadata.deletionTimestamp) {
      metrics.forget(key);
      return void runs.delete(key);
    }
    const log = logger.child({ agentConfig: key, loop: "anomaly" });
    if (!config.spec.monitoring?.anomaly?.enabled) return stop(key, config, log);
    let run = runs.get(key);
    if (!run || run.uid !== config.metadata.uid) {
      run = { uid: config.metadata.uid ?? "", seeded: false, states: new Map() };
      runs.set(key, run);
    }
    const interval = intervalMs(config);
    const t = now();
    // Every status write (ours and the other loops') wakes this key: run only when due or the spec changed.
    const due = run.lastAt === undefined || t - run.lastAt >= interval - 500;
    if (!due && run.generation === config.metadata.generation)
      return { requeueAfter: run.lastAt! + interval - t };
    await evaluate(config, run, t, log);
    return { requeueAfter: interval };
  };

  mgr.addController<AgentConfig>({ name: "anomaly", for: informer, reconcile, maxConcurrentReconciles: 2 });
}
