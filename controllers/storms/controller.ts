/**
 * The alert-storm controller (docs/alert-storms.md): when an alert task's diagnosis names a
 * root cause with a grouping key, the tasks of its namespace that share the key and started
 * within the window become one group. Every task of the group gets status.group; the earliest
 * is the primary, its summary counts the alerts. Level-based: each reconcile recomputes the
 * namespace's groups from the cache and writes only what differs, guarded by resourceVersion,
 * so two tasks finishing at once converge on the same groups. Leader only, like every controller.
 */
import type { AgentConfig, DiagnosisRun, SreTask } from "../../crds/index.ts";
import { DIAGNOSISRUN, SRETASK } from "../../crds/resources.ts";
import type { StormCandidate, StormGroup } from "../../agents/storms/index.ts";
import { alertList, groupStorms, groupSummary, groupsByTask } from "../../agents/storms/index.ts";
import type { Manager, Reconciler } from "../../runtime/index.ts";
import { agentConfigCache, lookupAgentConfig } from "../agentconfig/lookup.ts";
import { candidateOf } from "./candidates.ts";
import { groupingSettings, isAlertTask } from "./settings.ts";

type TaskGroup = NonNullable<NonNullable<SreTask["status"]>["group"]>;

/** Options of the storm controller. */
export interface StormControllerOptions {
  /** Watch one namespace only. */
  namespace?: string;
  /** Where the fallback AgentConfig `default` lives. Default aisre-system. */
  operatorNamespace?: string;
}

/** Status writes of one reconcile in flight at once. */
const WRITE_BATCH = 16;

/** How many alerts the primary's summary names. */
const SUMMARY_ALERTS = 3;

/** The status.group a task of `group` should carry. */
export function groupStatus(group: StormGroup, name: string): TaskGroup {
  const primary = group.primary.name === name;
  const status: TaskGroup = {
    key: group.key,
    primary: group.primary.name,
    role: primary ? "Primary" : "Member",
    size: group.size,
  };
  if (primary && group.size > 1)
    status.summary = `${groupSummary(group)} (${alertList(group, "en", SUMMARY_ALERTS)})`;
  return status;
}

function sameGroup(a: TaskGroup | undefined, b: TaskGroup | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Registers the storm controller. */
export function addStormController(mgr: Manager, opts: StormControllerOptions = {}): void {
  const scope = opts.namespace ? { namespace: opts.namespace } : {};
  const tasks = mgr.informer<SreTask>(SRETASK, scope);
  const runs = mgr.informer<DiagnosisRun>(DIAGNOSISRUN, scope);
  const configs = agentConfigCache(mgr, opts.namespace);

  /** The groups of one namespace, each AgentConfig with its own window. */
  const groupsOf = async (namespace: string, all: SreTask[]): Promise<StormGroup[]> => {
    const byConfig = new Map<string, StormCandidate[]>();
    for (const task of all) {
      const ref = task.status?.diagnosisRunRef?.name;
      const c = candidateOf(task, ref ? runs.get(namespace, ref) : undefined);
      if (!c) continue;
      const list = byConfig.get(c.agentConfig);
      if (list) list.push(c);
      else byConfig.set(c.agentConfig, [c]);
    }
    const groups: StormGroup[] = [];
    for (const [name, candidates] of byConfig) {
      // From the shared cache: this runs on every task event of the namespace.
      const config: AgentConfig | undefined = await lookupAgentConfig(
        mgr.client,
        { namespace, refName: name, operatorNamespace: opts.operatorNamespace ?? "aisre-system" },
        configs,
      );
      const settings = groupingSettings(config);
      if (settings) groups.push(...groupStorms(candidates, settings.windowMs));
    }
    return groups;
  };

  const reconcile: Reconciler = async ({ namespace }, { logger }) => {
    const all = tasks.list(namespace);
    if (!all.some((t) => t.status?.rootCause || t.status?.group)) return;
    const groups = groupsByTask(await groupsOf(namespace, all));
    const changes: Array<{ task: SreTask; desired: TaskGroup | undefined }> = [];
    for (const task of all) {
      const group = groups.get(`${namespace}/${task.metadata.name}`);
      const desired = group ? groupStatus(group, task.metadata.name!) : undefined;
      if (!sameGroup(task.status?.group, desired)) changes.push({ task, desired });
    }
    // Tasks joining a group first: their notification waits for it (notify-gate.ts), while a
    // member's new size can wait. Written WRITE_BATCH at a time: a storm of hundreds of alerts
    // rewrites every member as the group grows, and one write after another took seconds a round.
    changes.sort((a, b) => Number(!!a.task.status?.group) - Number(!!b.task.status?.group));
    for (let i = 0; i < changes.length; i += WRITE_BATCH)
      await Promise.all(
        changes.slice(i, i + WRITE_BATCH).map(async ({ task, desired }) => {
          const { written } = await mgr.statusWriter.update(SRETASK, task, (status) => {
            if (desired) status.group = desired;
            else delete status.group;
          });
          if (written && desired?.role === "Primary")
            logger.info(
              { namespace, primary: task.metadata.name, key: desired.key, size: desired.size },
              "Grouped an alert storm",
            );
        }),
      );
  };

  mgr.addController<SreTask>({
    name: "storms",
    for: tasks,
    reconcile,
    // Only alert tasks group; a task that once did (status.group) must be reconsidered when it changes.
    predicate: (e) => isAlertTask(e.obj) || !!e.obj.status?.group || !!e.old?.status?.group,
    maxConcurrentReconciles: 1,
  });
}
