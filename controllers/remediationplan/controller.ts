import { createActionContext } from "../../agents/automation/context.ts";
import { catalog as defaultCatalog } from "../../agents/automation/catalog.ts";
import { prometheusQuery } from "../../agents/automation/promql.ts";
import type { PromQuery } from "../../agents/automation/promql.ts";
import type { ActionCatalog } from "../../agents/automation/catalog.ts";
import type { AgentConfig, RemediationPlan, SreTask } from "../../crds/index.ts";
import { RemediationPlanPhase } from "../../crds/index.ts";
import type { Logger } from "../../logging/logger.ts";
import type { Manager, Reconciler, ResourceType, Result } from "../../runtime/index.ts";
import { formatTime, isNotFound, objectPath } from "../../runtime/index.ts";
import { skipSettled } from "../../runtime/handlers.ts";
import { findAgentConfig, findClusterPolicy } from "../agentconfig/lookup.ts";
import { REMEDIATIONPLAN, SRETASK } from "../../crds/resources.ts";
import type { AuditSink } from "./audit.ts";
import { runPlan } from "./run.ts";
import type { MoveDeps } from "./moves.ts";
import type { PlanVerifyDeps } from "./plan-verify.ts";
import { FINAL_PHASES } from "./plan-status.ts";
import { approvePhase, evaluatePhase, startPhase } from "./phases.ts";
import type { PhaseDeps } from "./phases.ts";

/** Options of the RemediationPlan controller. */
export interface RemediationPlanControllerOptions {
  maxConcurrentReconciles?: number;
  /** Watch one namespace only. */
  namespace?: string;
  /** The operator's namespace: where the fallback AgentConfig lives. */
  operatorNamespace?: string;
  /** Audit rows (the incident store) besides Events and logs. */
  audit?: AuditSink;
  catalog?: ActionCatalog;
  /** Recent steps per action and target (the incident store), so a bad record raises a plan's risk. */
  history?: PhaseDeps["history"];
}

/** The plan-level PromQL check's query function: the AgentConfig's tools.prometheus, if any. */
function prometheusOf(config: AgentConfig | undefined): PromQuery | undefined {
  const tool = config?.spec.tools?.prometheus;
  return tool?.url ? prometheusQuery(tool.url, (tool.timeoutSeconds ?? 10) * 1000) : undefined;
}

/**
 * Registers the RemediationPlan controller: Pending → policy → AwaitingApproval / Approved
 * (or Rejected) → Running, one step at a time (preconditions, dry run, fenced execute,
 * verify) → Succeeded, or undo in reverse → RolledBack / Failed. One move per reconcile,
 * each ending in one /status write, an Event, a log line and an audit row.
 */
export function addRemediationPlanController(
  mgr: Manager,
  opts: RemediationPlanControllerOptions = {},
): void {
  const scope = opts.namespace ? { namespace: opts.namespace } : {};
  const plans = mgr.informer<RemediationPlan>(REMEDIATIONPLAN, scope);
  const tasks = mgr.informer<SreTask>(SRETASK, scope);
  const actions = opts.catalog ?? defaultCatalog;

  const get = async <T>(rt: ResourceType, ns: string, name: string): Promise<T | undefined> => {
    try {
      return await mgr.client.request<T>("GET", objectPath(rt, ns, name));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  // The same lookup as the SreTask controller: the plan's own namespace, else the operator's `default`.
  // One config per reconcile governs policy, EC2 access and the PromQL check alike.
  const agentConfigOf = (plan: RemediationPlan): Promise<AgentConfig | undefined> =>
    findAgentConfig(
      mgr.client,
      plan.metadata.namespace ?? "",
      plan.spec.agentConfigRef?.name,
      opts.operatorNamespace ?? "aisre-system",
    );

  const report =
    (log: Logger) =>
    async (plan: RemediationPlan, i: number, phase: string, message: string, warning = false) => {
      const step = plan.spec.steps[i];
      const text = step && i >= 0 ? `step ${step.name} (${step.action}) ${phase}: ${message}` : message;
      log.info({ step: step?.name, phase }, `Moved plan step to ${phase}`);
      if (warning) await mgr.recorder.warning(plan, phase, text);
      else await mgr.recorder.normal(plan, phase, text);
      await opts
        .audit?.({ plan, stepIndex: i, phase, message: text, at: formatTime(Date.now()) })
        .catch((err: unknown) => log.warn({ err }, "Failed to write the audit row"));
    };

  const reconcile: Reconciler = async ({ namespace, name }, { logger }): Promise<Result | void> => {
    const cached = plans.get(namespace, name);
    if (!cached || cached.metadata.deletionTimestamp || FINAL_PHASES.includes(cached.status?.phase ?? ""))
      return;
    // Execution decides on a fresh read: the fence write is guarded by the resourceVersion read here.
    const plan = (await get<RemediationPlan>(REMEDIATIONPLAN, namespace, name)) ?? cached;
    const log = logger.child({ plan: `${namespace}/${name}` });
    // The cluster policy bounds what the plan's own AgentConfig allows (docs/adr/0006-cluster-policy.md).
    const [agentConfig, clusterPolicy] = await Promise.all([
      agentConfigOf(plan),
      findClusterPolicy(mgr.client, opts.operatorNamespace ?? "aisre-system"),
    ]);
    const ctx = createActionContext(mgr.kubeConfig, { ...(agentConfig ? { agentConfig } : {}), log });
    const write: MoveDeps["write"] = (p, mutate) => mgr.statusWriter.update(REMEDIATIONPLAN, p, mutate);
    const deps: PhaseDeps & PlanVerifyDeps = {
      catalog: actions,
      ctx,
      write,
      report: report(log),
      now: () => Date.now(),
      agentConfig,
      clusterPolicy,
      log,
      others: () => plans.list(),
      task: (ref) => tasks.get(namespace, ref),
      prometheus: prometheusOf(agentConfig),
      history: opts.history,
    };
    switch (plan.status?.phase ?? RemediationPlanPhase.Pending) {
      case RemediationPlanPhase.Pending:
        return evaluatePhase(deps, plan);
      case RemediationPlanPhase.AwaitingApproval:
        return approvePhase(deps, plan);
      case RemediationPlanPhase.Approved:
        return startPhase(deps, plan);
      case RemediationPlanPhase.Running:
        return runPlan(deps, plan);
    }
  };

  mgr.addController<RemediationPlan>({
    name: "remediationplan",
    for: plans,
    reconcile,
    maxConcurrentReconciles: opts.maxConcurrentReconciles ?? 4,
    // Final plans are replayed on every restart and resync; the reconcile would only return.
    predicate: skipSettled((p) => FINAL_PHASES.includes(p.status?.phase ?? "")),
  });
}
