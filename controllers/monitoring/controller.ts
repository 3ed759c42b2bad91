/**
 * The monitoring agent's loop (docs/monitoring.md): one reconcile per AgentConfig with checks,
 * every spec.monitoring.intervalSeconds (requeueAfter), on the leader only (controllers run only
 * while leading). Each cycle queries spec.tools.prometheus.url (Prometheus or VictoriaMetrics),
 * steps the pure check engine, opens and resolves SreTasks through the API server and records
 * the evaluation on the AgentConfig's status. A query failure is an evidence gap, never a crash.
 */
import type { AgentConfig } from "../../crds/index.ts";
import { Reason } from "../../crds/index.ts";
import { AGENTCONFIG } from "../../crds/resources.ts";
import type {
  CheckAction,
  CheckStates,
  CycleResult,
  InstantQuery,
} from "../../agents/monitoring/checks/index.ts";
import {
  acknowledge,
  countPhases,
  intervalMs,
  monitorTask,
  resolvedPatch,
  runCycle,
  seedFiring,
  seriesTaskName,
} from "../../agents/monitoring/checks/index.ts";
import type { Logger } from "../../logging/logger.ts";
import type { Manager, Reconciler, Result } from "../../runtime/index.ts";
import { PrometheusClient } from "../../tools/prometheus/client.ts";
import { createMonitoringMetrics } from "./metrics.ts";
import { clearEvaluation, recordEvaluation } from "./status.ts";
import { openMonitorTasks, openTask, resolveTask } from "./tasks.ts";

/** Options of the monitoring controller. */
export interface MonitoringControllerOptions {
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
  states: CheckStates;
}

/** The instant query of an AgentConfig's TSDB, or why there is none. */
function queryOf(config: AgentConfig): InstantQuery {
  const tool = config.spec.tools?.prometheus;
  if (!tool?.url) {
    return async () => {
      throw new Error("no Prometheus configured (spec.tools.prometheus.url)");
    };
  }
  const client = new PrometheusClient(tool.url, (tool.timeoutSeconds ?? 10) * 1000);
  return (expr, at) => client.query(expr, at);
}

/** Registers the monitoring controller: nothing runs for an AgentConfig without checks. */
export function addMonitoringController(mgr: Manager, opts: MonitoringControllerOptions = {}): void {
  const informer = mgr.informer<AgentConfig>(
    AGENTCONFIG,
    opts.namespace ? { namespace: opts.namespace } : {},
  );
  const now = opts.now ?? Date.now;
  const runs = new Map<string, ConfigRun>();
  const metrics = createMonitoringMetrics(mgr.metrics.registry);

  /** Tasks an earlier leader opened become firing series, so they resolve and are not opened twice. */
  const seed = async (config: AgentConfig, run: ConfigRun): Promise<void> => {
    const { namespace, name } = config.metadata;
    for (const task of await openMonitorTasks(mgr.client, namespace!, name!)) {
      const alert = task.spec.alert!;
      const check = alert.labels.alertname!;
      const states = run.states.get(check) ?? new Map();
      const since = Date.parse(alert.startsAt ?? "") || now();
      seedFiring(states, { fingerprint: alert.fingerprint ?? "", labels: alert.labels, value: NaN, since });
      run.states.set(check, states);
    }
    run.seeded = true;
  };

  const apply = async (config: AgentConfig, action: CheckAction, log: Logger): Promise<void> => {
    const ns = config.metadata.namespace!;
    const name = config.metadata.name!;
    const fields = { check: action.check, fingerprint: action.state.fingerprint };
    if (action.kind === "open") {
      const task = monitorTask(ns, name, action.spec!, action.state);
      const outcome = await openTask(mgr.client, task);
      log.info(
        { ...fields, task: task.metadata.name, outcome, value: action.state.value },
        "Opened monitor SreTask",
      );
      if (outcome === "existing") return;
      metrics.task("opened");
      await mgr.recorder.normal(
        config,
        Reason.CheckFiring,
        `Check ${action.check} fired: SreTask ${task.metadata.name}`,
      );
      return;
    }
    const taskName = seriesTaskName(action.check, action.state.fingerprint);
    const endsAt = resolvedPatch(action.state.resolvedAt ?? now()).spec.alert.endsAt;
    const outcome = await resolveTask(mgr.client, ns, taskName, endsAt);
    log.info({ ...fields, task: taskName, outcome }, "Resolved monitor SreTask");
    if (outcome !== "resolved") return;
    metrics.task("resolved");
    await mgr.recorder.normal(
      config,
      Reason.CheckResolved,
      `Check ${action.check} cleared: SreTask ${taskName} resolved`,
    );
  };

  /** Applies a cycle's actions; one that fails is not acknowledged, so the next cycle asks again. */
  const applyAll = async (config: AgentConfig, result: CycleResult, log: Logger): Promise<void> => {
    for (const action of result.actions) {
      try {
        await apply(config, action, log);
        acknowledge(result.states.get(action.check)!, action);
      } catch (err) {
        log.warn(
          { err, check: action.check, action: action.kind },
          "Failed to apply a monitor task change; retrying next cycle",
        );
      }
    }
  };

  /** Checks removed: resolve what they opened, then forget the AgentConfig and clear its status. */
  const stop = async (key: string, config: AgentConfig, log: Logger): Promise<void> => {
    let left = runs.get(key);
    runs.delete(key);
    metrics.forget(key);
    // Evaluated before this process led (status says so): its open tasks are found on the API server.
    if (!left && config.status?.monitoring) {
      left = { uid: config.metadata.uid ?? "", seeded: false, states: new Map() };
      await seed(config, left);
    }
    if (left) {
      const spec = { checks: [] };
      const query = queryOf(config);
      const result = await runCycle({
        config: config.metadata.name!,
        spec,
        states: left.states,
        query,
        now: now(),
      });
      await applyAll(config, result, log);
    }
    if (config.status?.monitoring)
      await mgr.statusWriter.update(AGENTCONFIG, config, (s) => clearEvaluation(s));
  };

  /** One cycle for an AgentConfig with checks. */
  const evaluate = async (config: AgentConfig, run: ConfigRun, t: number, log: Logger): Promise<void> => {
    const started = performance.now();
    if (!run.seeded) await seed(config, run);
    const spec = config.spec.monitoring!;
    const query = queryOf(config);
    const result = await runCycle({ config: config.metadata.name!, spec, states: run.states, query, now: t });
    run.states = result.states;
    run.lastAt = t;
    run.generation = config.metadata.generation;
    await applyAll(config, result, log);
    const counts = countPhases([...result.states.values()].flatMap((m) => [...m.values()]));
    const { evaluated: checks, gaps, faults } = result;
    metrics.cycle((performance.now() - started) / 1000, checks, gaps.length);
    metrics.series(`${config.metadata.namespace}/${config.metadata.name}`, counts.firing, counts.pending);
    await mgr.statusWriter.update(AGENTCONFIG, config, (s) =>
      recordEvaluation(s, config, { at: t, checks, ...counts, gaps, faults }),
    );
    if (gaps.length) log.warn({ gaps: gaps.map((g) => g.check) }, "Evaluated checks with evidence gaps");
    else log.debug({ checks, ...counts }, "Evaluated checks");
  };

  const reconcile: Reconciler = async ({ namespace, name }, { logger }): Promise<Result | void> => {
    const key = `${namespace}/${name}`;
    const config = informer.get(namespace, name);
    if (!config || config.metadata.deletionTimestamp) {
      metrics.forget(key);
      return void runs.delete(key);
    }
    const log = logger.child({ agentConfig: key });
    const mon = config.spec.monitoring;
    if (!mon?.checks?.length) return stop(key, config, log);
    let run = runs.get(key);
    if (!run || run.uid !== config.metadata.uid) {
      run = { uid: config.metadata.uid ?? "", seeded: false, states: new Map() };
      runs.set(key, run);
    }
    const interval = intervalMs(mon);
    const t = now();
    // Our own status write (and every other update) wakes this key: run only when due or the spec changed.
    const due = run.lastAt === undefined || t - run.lastAt >= interval - 500;
    if (!due && run.generation === config.metadata.generation)
      return { requeueAfter: run.lastAt! + interval - t };
    await evaluate(config, run, t, log);
    return { requeueAfter: interval };
  };

  mgr.addController<AgentConfig>({
    name: "monitoring",
    for: informer,
    reconcile,
    maxConcurrentReconciles: 2,
  });
}
