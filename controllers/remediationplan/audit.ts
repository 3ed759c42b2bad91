import { Counter } from "prom-client";
import type { Registry } from "prom-client";
import type { RemediationPlan } from "../../crds/index.ts";
import type { KubeClient } from "../../kube/kube-api.ts";
import type { GrafanaAnnotator } from "../../notify/grafana/index.ts";
import { getControllerOf } from "../../runtime/index.ts";
import type { Queryable, RemediationActionInput } from "../../store/index.ts";
import { recordRemediationAction } from "../../store/index.ts";
import { findAgentConfig } from "../agentconfig/lookup.ts";

/** One audit entry: step index reaching phase, or the plan itself (stepIndex -1) reaching phase. */
export interface AuditEntry {
  plan: RemediationPlan;
  /** -1 for a plan-level decision (policy, approval, start, plan verification, outcome). */
  stepIndex: number;
  phase: string;
  message: string;
  at: string;
}

/** Where audit rows go; the store is optional, Events and logs are always written. */
export type AuditSink = (entry: AuditEntry) => Promise<void>;

/** The optional columns: target, risk, approver, dry run, finish time. */
function details(e: AuditEntry): Partial<RemediationActionInput> {
  const { plan } = e;
  const step = e.stepIndex < 0 ? undefined : plan.spec.steps[e.stepIndex];
  const stepStatus = plan.status?.steps?.find((s) => s.name === step?.name);
  const finished = ["Succeeded", "Failed", "Undone", "Rejected", "RolledBack"].includes(e.phase);
  const out: Partial<RemediationActionInput> = {};
  if (step) out.target = { ...step.target };
  if (plan.status?.risk) out.risk = plan.status.risk;
  if (plan.status?.approval?.decidedBy) out.approvedBy = plan.status.approval.decidedBy;
  if (stepStatus?.dryRun) out.dryRunResult = stepStatus.dryRun;
  if (finished) out.finishedAt = e.at;
  return out;
}

/**
 * The store row of an audit entry; idempotent in the store by (plan uid, step index, phase).
 * Plan-level rows are stored at index 0 with a `Plan/` phase and action `Plan`, so they never
 * overwrite the first step's row of the same phase name.
 */
export function auditRow(e: AuditEntry): RemediationActionInput {
  const planLevel = e.stepIndex < 0;
  const { plan } = e;
  const step = planLevel ? undefined : plan.spec.steps[e.stepIndex];
  return {
    planUid: plan.metadata.uid ?? "",
    planName: plan.metadata.name ?? "",
    planNamespace: plan.metadata.namespace ?? "",
    // Plans written by hand have no task: the plan stands in for it.
    taskUid: getControllerOf(plan)?.uid ?? plan.metadata.uid ?? "",
    stepIndex: Math.max(e.stepIndex, 0),
    phase: planLevel ? `Plan/${e.phase}` : e.phase,
    action: step?.action ?? "Plan",
    resourceVersion: plan.metadata.resourceVersion ?? "0",
    occurredAt: e.at,
    outcome: e.phase,
    message: e.message.slice(0, 1024),
    ...details(e),
  };
}

/** An audit sink writing remediation_actions rows through the incident store. */
export function storeAuditSink(db: Queryable): AuditSink {
  return async (e) => {
    await recordRemediationAction(db, auditRow(e));
  };
}

/** A Grafana annotation for each step that ended after executing; never waits for Grafana. */
export function grafanaAuditSink(
  annotator: Pick<GrafanaAnnotator, "step">,
  client: KubeClient,
  operatorNamespace: string,
): AuditSink {
  return async (e) => {
    const { namespace = "" } = e.plan.metadata;
    annotator.step(e, () =>
      findAgentConfig(client, namespace, e.plan.spec.agentConfigRef?.name, operatorNamespace),
    );
  };
}

/** One sink feeding several: each gets every entry, whatever the others do. */
export function auditSinks(...sinks: (AuditSink | undefined)[]): AuditSink {
  const live = sinks.filter((s): s is AuditSink => s !== undefined);
  return async (e) => {
    const failed = (await Promise.allSettled(live.map((s) => s(e)))).find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
  };
}

/** Counts steps by action and outcome (aisre_remediation_steps_total) for the operator dashboard. */
export function metricsAuditSink(registry: Registry): AuditSink {
  const steps = new Counter({
    name: "aisre_remediation_steps_total",
    help: "RemediationPlan steps that ended, by action and outcome (Succeeded, Failed, Undone).",
    labelNames: ["action", "outcome"],
    registers: [registry],
  });
  return async (e) => {
    const step = e.stepIndex < 0 ? undefined : e.plan.spec.steps[e.stepIndex];
    if (step && ["Succeeded", "Failed", "Undone"].includes(e.phase))
      steps.inc({ action: step.action, outcome: e.phase });
  };
}
