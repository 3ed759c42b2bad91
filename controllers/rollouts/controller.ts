/**
 * Rollout verification (docs/rollout-verification.md): one reconcile per AgentConfig with
 * spec.monitoring.rollouts.enabled, on the leader only. It finds the rollouts of the AgentConfig's
 * namespace in the shared informers (a new ReplicaSet, StatefulSet or DaemonSet revision wakes it),
 * waits for each one's window (requeueAfter), then compares the new revision's golden signals
 * with the previous revision's in spec.tools.prometheus.url. A regression opens one SreTask per
 * (workload, revision); a query failure is an evidence gap on status, retried, never a crash.
 * Nothing lives only in memory: the rollouts come from the objects, the tasks from their names.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { AgentConfig, AgentConfigStatus } from "../../crds/index.ts";
import { Reason } from "../../crds/index.ts";
import { AGENTCONFIG } from "../../crds/resources.ts";
import type { Rollout, RolloutSettings, RolloutTiming, Verdict } from "../../agents/rollouts/index.ts";
import {
  DEFAULT_SETTINGS,
  findRollouts,
  rolloutTask,
  stageOf,
  timingOf,
  verifyRollout,
} from "../../agents/rollouts/index.ts";
import type { Logger } from "../../logging/logger.ts";
import type { Manager, Reconciler, Result } from "../../runtime/index.ts";
import { PrometheusClient } from "../../tools/prometheus/client.ts";
import { objectsIn, rolloutInformers } from "./objects.ts";
import { clearRollouts, recordRollouts } from "./status.ts";
import { countOpen, openRolloutTask } from "./tasks.ts";

/** Options of the rollout verification controller. */
export interface RolloutControllerOptions {
  namespace?: string;
  now?: () => number;
  /** Overrides windowMinutes (tests and demos: AISRE_ROLLOUT_WINDOW_SECONDS). */
  windowSeconds?: number;
}

/** With nothing due, look again this often (a rollout the watch missed, a gap to retry). */
const POLL_MS = 30_000;

function settingsOf(config: AgentConfig): RolloutSettings | undefined {
  const r = config.spec.monitoring?.rollouts;
  return r?.enabled ? { ...DEFAULT_SETTINGS, ...r } : undefined;
}

function envWindow(): number | undefined {
  const v = Number(process.env.AISRE_ROLLOUT_WINDOW_SECONDS);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Status never written, or its gaps no longer what this run saw. */
function statusStale(config: AgentConfig, gaps: string[]): boolean {
  const before = config.status?.monitoring?.rollouts;
  return !before?.lastEvaluation || (before.gaps?.length ?? 0) !== gaps.length;
}

const keyOf = (r: Rollout) => `${r.namespace}/${r.kind}/${r.name}/${r.revision}`;
const workloadRef = (r: Rollout): KubernetesObject => ({
  apiVersion: "apps/v1",
  kind: r.kind,
  metadata: { name: r.name, namespace: r.namespace },
});

/** Registers the controller: nothing runs for an AgentConfig without rollouts enabled. */
export function addRolloutController(mgr: Manager, opts: RolloutControllerOptions = {}): void {
  const scope = opts.namespace ? { namespace: opts.namespace } : {};
  const configs = mgr.informer<AgentConfig>(AGENTCONFIG, scope);
  const informers = rolloutInformers(mgr, scope);
  const now = opts.now ?? Date.now;
  const windowSeconds = opts.windowSeconds ?? envWindow();
  // Judged this leadership (a restarted leader judges again: the task name makes that idempotent).
  const judged = new Set<string>();

  /** Opens the task of a regression and tells the workload and the AgentConfig. */
  const report = async (
    config: AgentConfig,
    r: Rollout,
    verdict: Verdict,
    s: RolloutSettings,
    log: Logger,
  ) => {
    const ns = config.metadata.namespace!;
    const task = rolloutTask({ namespace: ns, name: config.metadata.name! }, r, verdict, s.windowMinutes);
    const outcome = await openRolloutTask(mgr.client, task);
    log.info(
      { workload: `${r.kind}/${r.name}`, revision: r.revision, task: task.metadata.name, outcome },
      "Opened rollout SreTask",
    );
    if (outcome === "existing") return;
    const text = `${r.names.current} regressed: ${verdict.summary}; SreTask ${task.metadata.name}`;
    await mgr.recorder.warning(workloadRef(r), Reason.RolloutRegression, text);
    await mgr.recorder.warning(config, Reason.RolloutRegression, `${r.kind} ${r.name} ${text}`);
  };

  /** Judges one due rollout: "retry" when gaps leave a passing verdict in doubt. */
  const judge = async (
    config: AgentConfig,
    r: Rollout,
    run: { s: RolloutSettings; t: RolloutTiming; gaps: string[] },
    log: Logger,
  ): Promise<"regression" | "passed" | "retry"> => {
    const { s, t, gaps } = run;
    const tool = config.spec.tools?.prometheus;
    if (!tool?.url) {
      gaps.push("no Prometheus configured (spec.tools.prometheus.url)");
      return "retry";
    }
    const client = new PrometheusClient(tool.url, (tool.timeoutSeconds ?? 10) * 1000);
    const { verdict, gaps: missing } = await verifyRollout(r, s, t, (expr, at) => client.query(expr, at));
    gaps.push(...missing.map((g) => `${r.kind} ${r.name}: ${g}`));
    if (verdict.kind === "regression") {
      await report(config, r, verdict, s, log);
      return "regression";
    }
    if (missing.length > 0) return "retry";
    const fields = { workload: `${r.kind}/${r.name}`, revision: r.revision, verdict: verdict.kind };
    log.info(fields, "Verified rollout");
    const text = `${r.names.current} verified (${verdict.kind}): ${verdict.summary}`;
    await mgr.recorder.normal(workloadRef(r), Reason.RolloutVerified, text);
    return "passed";
  };

  /** Judges the due rollouts of the namespace; status only when something was judged or the gaps changed. */
  const evaluate = async (config: AgentConfig, s: RolloutSettings, log: Logger): Promise<Result> => {
    const ns = config.metadata.namespace!;
    const t = timingOf(s, windowSeconds);
    const at = now();
    let next = at + POLL_MS;
    let found = 0;
    let decided = 0;
    const gaps: string[] = [];
    for (const r of findRollouts(objectsIn(informers, ns))) {
      const key = `${ns}/${config.metadata.name}|${keyOf(r)}`;
      const stage = stageOf(r, t, at);
      if (judged.has(key) || stage.stage === "stale") continue;
      if (stage.stage === "watching") {
        next = Math.min(next, stage.dueAt);
        continue;
      }
      const outcome = await judge(config, r, { s, t, gaps }, log);
      if (outcome === "retry") continue;
      judged.add(key);
      decided++;
      if (outcome === "regression") found++;
    }
    if (decided > 0 || statusStale(config, gaps)) {
      const open = await countOpen(mgr.client, ns, config.metadata.name!);
      await mgr.statusWriter.update(AGENTCONFIG, config, (st: AgentConfigStatus) =>
        recordRollouts(st, { at, open, found, gaps }),
      );
    }
    if (gaps.length) log.warn({ gaps }, "Verified rollouts with evidence gaps");
    return { requeueAfter: Math.max(1000, next - at) };
  };

  const reconcile: Reconciler = async ({ namespace, name }, { logger }): Promise<Result | void> => {
    const config = configs.get(namespace, name);
    if (!config || config.metadata.deletionTimestamp) return;
    const s = settingsOf(config);
    if (!s) {
      if (config.status?.monitoring?.rollouts)
        await mgr.statusWriter.update(AGENTCONFIG, config, (st: AgentConfigStatus) => clearRollouts(st));
      return;
    }
    return evaluate(config, s, logger.child({ agentConfig: `${namespace}/${name}` }));
  };

  /** The AgentConfigs with verification on in a namespace: what a workload change wakes. */
  const configsOf = (ns: string | undefined) =>
    configs
      .list(ns)
      .filter((c) => settingsOf(c))
      .map((c) => ({ namespace: c.metadata.namespace!, name: c.metadata.name! }));

  mgr
    .addController<AgentConfig>({ name: "rollouts", for: configs, reconcile, maxConcurrentReconciles: 1 })
    .watches(
      informers.ReplicaSet,
      (o) => configsOf(o.metadata?.namespace),
      (e) => e.type === "add",
    )
    .watches(informers.StatefulSet, (o) => configsOf(o.metadata?.namespace))
    .watches(informers.DaemonSet, (o) => configsOf(o.metadata?.namespace));
}
