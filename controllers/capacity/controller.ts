/**
 * The capacity loop (docs/capacity.md): one reconcile per AgentConfig with
 * spec.monitoring.capacity.enabled, every intervalSeconds (requeueAfter), on the leader only
 * (controllers run only while leading). Each cycle forecasts from spec.tools.prometheus.url what
 * the AgentConfig may see (cluster scope in the operator's namespace, else its own namespace's
 * quota and volumes), stores the report, opens and resolves Capacity SreTasks and records
 * status.monitoring.capacity. Failures are evidence gaps on status, never crashes.
 */
import type { AgentConfig } from "../../crds/index.ts";
import { Reason } from "../../crds/index.ts";
import { AGENTCONFIG } from "../../crds/resources.ts";
import { forecastSentence, taskIdentity } from "../../agents/capacity/task.ts";
import type { Logger } from "../../logging/logger.ts";
import type { Manager, Reconciler, Result } from "../../runtime/index.ts";
import type { Database } from "../../store/index.ts";
import { PrometheusClient } from "../../tools/prometheus/client.ts";
import { openMonitorTasks, resolveTask } from "../monitoring/tasks.ts";
import { capacityCycle } from "./cycle.ts";
import { clearCapacity, recordCapacity } from "./status.ts";

/** Options of the capacity controller. */
export interface CapacityControllerOptions {
  /** Watch one namespace only. */
  namespace?: string;
  /** The operator's namespace: an AgentConfig there forecasts nodes and node pools too. */
  operatorNamespace: string;
  /** The incident store; each report is written to capacity_forecasts. */
  store?: Database;
  /** The clock (tests). */
  now?: () => number;
  /** Overrides every intervalSeconds (AISRE_CAPACITY_INTERVAL_SECONDS; tests). */
  intervalSeconds?: number;
  /** Step of the history read, seconds (default 3600). */
  stepSeconds?: number;
  /** Days forecasts are kept in the store (AISRE_CAPACITY_RETENTION_DAYS, default 90). */
  retentionDays?: number;
}

const envNumber = (name: string): number | undefined => {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

/** Registers the capacity controller: nothing runs for an AgentConfig without capacity enabled. */
export function addCapacityController(mgr: Manager, opts: CapacityControllerOptions): void {
  const informer = mgr.informer<AgentConfig>(
    AGENTCONFIG,
    opts.namespace ? { namespace: opts.namespace } : {},
  );
  const now = opts.now ?? Date.now;
  const overrideS = opts.intervalSeconds ?? envNumber("AISRE_CAPACITY_INTERVAL_SECONDS");
  const retentionDays = opts.retentionDays ?? envNumber("AISRE_CAPACITY_RETENTION_DAYS") ?? 90;
  const last = new Map<string, { uid: string; at: number; generation?: number }>();

  /** Capacity disabled: resolve what the loop opened and clear its status. */
  const stop = async (config: AgentConfig, log: Logger): Promise<void> => {
    const ns = config.metadata.namespace!;
    for (const task of await openMonitorTasks(mgr.client, ns, config.metadata.name!)) {
      if (!taskIdentity(task)) continue;
      const outcome = await resolveTask(mgr.client, ns, task.metadata.name!, new Date(now()).toISOString());
      log.info({ task: task.metadata.name, outcome }, "Resolved Capacity SreTask of a disabled loop");
    }
    await mgr.statusWriter.update(AGENTCONFIG, config, (s) => clearCapacity(s));
  };

  const evaluate = async (config: AgentConfig, t: number, log: Logger): Promise<void> => {
    const tool = config.spec.tools?.prometheus;
    if (!tool?.url) {
      await mgr.statusWriter.update(AGENTCONFIG, config, (s) =>
        recordCapacity(s, {
          at: t,
          open: 0,
          found: 0,
          gaps: ["no Prometheus configured (spec.tools.prometheus.url)"],
        }),
      );
      return;
    }
    const started = performance.now();
    const out = await capacityCycle(config, {
      client: mgr.client,
      prom: new PrometheusClient(tool.url, Math.max(30, tool.timeoutSeconds ?? 10) * 1000),
      store: opts.store,
      operatorNamespace: opts.operatorNamespace,
      retentionDays,
      stepSeconds: opts.stepSeconds ?? 3600,
      now: t,
      log,
      onTask: async (kind, name, item) => {
        if (kind === "opened")
          await mgr.recorder.normal(
            config,
            Reason.CapacityForecast,
            `${forecastSentence(item!)}: SreTask ${name}`,
          );
        else
          await mgr.recorder.normal(
            config,
            Reason.CapacityRecovered,
            `Forecast left the horizon: SreTask ${name} resolved`,
          );
      },
    });
    await mgr.statusWriter.update(AGENTCONFIG, config, (s) =>
      recordCapacity(s, { at: t, open: out.open, found: out.found, gaps: out.gaps }),
    );
    const fields = {
      forecasts: out.report.items.length,
      found: out.found,
      open: out.open,
      seconds: Math.round(performance.now() - started) / 1000,
    };
    if (out.gaps.length) log.warn({ ...fields, gaps: out.gaps }, "Forecast capacity with evidence gaps");
    else log.info(fields, "Forecast capacity");
  };

  const intervalOf = (seconds: number | undefined): number => (overrideS ?? seconds ?? 3600) * 1000;

  const reconcile: Reconciler = async ({ namespace, name }, { logger }): Promise<Result | void> => {
    const key = `${namespace}/${name}`;
    const config = informer.get(namespace, name);
    if (!config || config.metadata.deletionTimestamp) return void last.delete(key);
    const log = logger.child({ agentConfig: key, loop: "capacity" });
    const spec = config.spec.monitoring?.capacity;
    if (!spec?.enabled) {
      last.delete(key);
      if (config.status?.monitoring?.capacity) await stop(config, log);
      return;
    }
    const interval = intervalOf(spec.intervalSeconds);
    const t = now();
    const run = last.get(key);
    // Every status write (ours and the other loops') wakes this key: run only when due or the spec changed.
    const fresh = run && run.uid === config.metadata.uid && run.generation === config.metadata.generation;
    if (fresh && t - run.at < interval - 500) return { requeueAfter: run.at + interval - t };
    last.set(key, { uid: config.metadata.uid ?? "", at: t, generation: config.metadata.generation });
    await evaluate(config, t, log);
    return { requeueAfter: interval };
  };

  mgr.addController<AgentConfig>({ name: "capacity", for: informer, reconcile, maxConcurrentReconciles: 1 });
}
