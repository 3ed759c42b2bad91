/**
 * One cycle of the capacity loop for one AgentConfig: forecast what it may see, store the
 * report, open a Capacity task per forecast inside the horizon and resolve those that left it.
 * Every failure (a query, the store, one task write) is an evidence gap, never a crash.
 */
import type { AgentConfig, SreTask } from "../../crds/index.ts";
import type { CapacityItem, CapacityReport } from "../../agents/capacity/collect.ts";
import { collectCapacity } from "../../agents/capacity/collect.ts";
import type { CapacityTarget } from "../../agents/capacity/task.ts";
import {
  capacityTask,
  capacityTaskName,
  identityOf,
  taskIdentity,
  targetOf,
  withinHorizon,
} from "../../agents/capacity/task.ts";
import type { WorkloadRightSize } from "../../agents/capacity/workloads.ts";
import { collectRightSizing } from "../../agents/capacity/workloads.ts";
import type { Logger } from "../../logging/logger.ts";
import type { KubeClient } from "../../runtime/index.ts";
import type { Database } from "../../store/index.ts";
import { insertCapacityReport, pruneCapacityForecasts } from "../../store/index.ts";
import type { PrometheusClient } from "../../tools/prometheus/client.ts";
import { openMonitorTasks, openTask, resolveTask } from "../monitoring/tasks.ts";

/** What a cycle needs. */
export interface CycleDeps {
  client: KubeClient;
  prom: PrometheusClient;
  store?: Database;
  /** Nodes and node pools are forecast only for an AgentConfig in this namespace. */
  operatorNamespace: string;
  retentionDays: number;
  stepSeconds: number;
  now: number;
  log: Logger;
  /** Called after a task was opened (created or reopened) or resolved. */
  onTask: (kind: "opened" | "resolved", name: string, item?: CapacityItem) => Promise<void>;
}

/** What the cycle did, for status. */
export interface CycleOutcome {
  report: CapacityReport;
  found: number;
  open: number;
  gaps: string[];
}

/** The name of the namespace's ResourceQuota that sets `resource` (hard), if one does. */
async function quotaOf(client: KubeClient, ns: string, resource: string): Promise<string | undefined> {
  const list = await client.request<{
    items: Array<{ metadata: { name: string }; spec?: { hard?: object } }>;
  }>("GET", `/api/v1/namespaces/${encodeURIComponent(ns)}/resourcequotas`);
  return list.items.find((q) => resource in (q.spec?.hard ?? {}))?.metadata.name;
}

/** Where quota forecasts come from, the namespace's workloads that ask for more than they use. */
async function overRequesting(
  deps: CycleDeps,
  ns: string,
  historyDays: number,
): Promise<WorkloadRightSize[]> {
  const all = await collectRightSizing(deps.prom, ns, {
    historyDays,
    stepSeconds: deps.stepSeconds,
    now: new Date(deps.now),
  });
  return all.filter((w) => w.excess.memoryBytes > 0 || w.excess.cpuCores > 0).slice(0, 10);
}

/** Runs one cycle for `config`; status is the caller's. */
export async function capacityCycle(config: AgentConfig, deps: CycleDeps): Promise<CycleOutcome> {
  const ns = config.metadata.namespace!;
  const name = config.metadata.name!;
  const spec = config.spec.monitoring?.capacity ?? {};
  const horizon = spec.horizonDays ?? 14;
  const historyDays = spec.historyDays ?? 14;
  const cluster = ns === deps.operatorNamespace;
  const report = await collectCapacity(deps.prom, {
    historyDays,
    stepSeconds: deps.stepSeconds,
    now: new Date(deps.now),
    ...(spec.poolLabels?.length ? { poolLabels: spec.poolLabels } : {}),
    // A tenant's AgentConfig reads its own namespace only: no task about another namespace.
    ...(cluster ? {} : { namespace: ns }),
  });
  const gaps = [...report.gaps];
  if (deps.store) {
    try {
      await insertCapacityReport(deps.store, { ...report, agentConfig: `${ns}/${name}` });
      await pruneCapacityForecasts(deps.store, deps.retentionDays, new Date(deps.now));
    } catch (err) {
      gaps.push(`store: ${(err as Error).message}`);
    }
  }
  const due = withinHorizon(report, horizon);
  const wanted = new Set<string>();
  for (const item of due) {
    const taskName = capacityTaskName(name, item);
    try {
      const task = await buildTask(config, item, deps, historyDays, gaps);
      const outcome = await openTask(deps.client, task);
      wanted.add(identityOf(item));
      deps.log.info(
        { task: taskName, outcome, key: item.key, days: item.forecast?.daysToExhaustion },
        "Opened Capacity SreTask",
      );
      if (outcome !== "existing") await deps.onTask("opened", taskName, item);
    } catch (err) {
      gaps.push(`task ${taskName}: ${(err as Error).message}`);
    }
  }
  const open = await resolveLeft(config, report, wanted, gaps, deps);
  return { report, found: due.length, open, gaps };
}

async function buildTask(
  config: AgentConfig,
  item: CapacityItem,
  deps: CycleDeps,
  historyDays: number,
  gaps: string[],
): Promise<SreTask> {
  const [ns = ""] = item.key.split("/");
  let target: CapacityTarget | undefined = targetOf(item);
  let rightSizing: WorkloadRightSize[] | undefined;
  if (item.scope === "namespace") {
    try {
      target = targetOf(item, await quotaOf(deps.client, ns, item.resource));
    } catch (err) {
      gaps.push(`quota of ${ns}: ${(err as Error).message}`);
    }
    try {
      rightSizing = await overRequesting(deps, ns, historyDays);
    } catch (err) {
      gaps.push(`right-sizing of ${ns}: ${(err as Error).message}`);
    }
  }
  const days = item.forecast?.daysToExhaustion ?? Infinity;
  return capacityTask(config.metadata.namespace!, config.metadata.name!, item, {
    severity: days <= 3 ? "critical" : "warning",
    ...(target ? { target } : {}),
    ...(rightSizing?.length ? { rightSizing } : {}),
    now: deps.now,
  });
}

/**
 * Resolves the open Capacity tasks whose forecast left the horizon: seen again outside it, or
 * gone from a report without gaps (a report with gaps may just have missed it). Returns how
 * many stay open.
 */
async function resolveLeft(
  config: AgentConfig,
  report: CapacityReport,
  wanted: Set<string>,
  gaps: string[],
  deps: CycleDeps,
): Promise<number> {
  const ns = config.metadata.namespace!;
  let tasks: SreTask[];
  try {
    tasks = await openMonitorTasks(deps.client, ns, config.metadata.name!);
  } catch (err) {
    gaps.push(`open tasks: ${(err as Error).message}`);
    return wanted.size;
  }
  const seen = new Set(report.items.filter((i) => i.forecast).map(identityOf));
  let open = 0;
  for (const task of tasks) {
    const id = taskIdentity(task);
    if (!id) continue;
    if (wanted.has(id) || (!seen.has(id) && report.gaps.length > 0)) {
      open++;
      continue;
    }
    const taskName = task.metadata.name!;
    try {
      const outcome = await resolveTask(deps.client, ns, taskName, new Date(deps.now).toISOString());
      deps.log.info({ task: taskName, outcome }, "Resolved Capacity SreTask");
      if (outcome === "resolved") await deps.onTask("resolved", taskName);
    } catch (err) {
      open++;
      gaps.push(`resolve ${taskName}: ${(err as Error).message}`);
    }
  }
  // Tasks created this cycle may not be listed yet: count them anyway.
  return Math.max(open, wanted.size);
}
