/** Sample notifications for the chat channels' tests. */
import type { RemediationPlan, SreTask } from "../../crds/index.ts";
import type { Notification, NotificationKind } from "../channel.ts";

/** A task of shop/checkout-slow in the phase that goes with the kind, with a plan when awaiting approval. */
export function sampleNotification(kind: NotificationKind, description = "checkout is slow"): Notification {
  const phase = {
    IncidentOpened: "Pending",
    Diagnosed: "Diagnosed",
    AwaitingApproval: "AwaitingApproval",
    Remediated: "Resolved",
    Failed: "Failed",
  }[kind];
  const task = {
    apiVersion: "aisre.io/v1alpha1",
    kind: "SreTask",
    metadata: { name: "checkout-slow", namespace: "shop" },
    spec: {
      source: "Manual",
      description,
      target: { kind: "Deployment", name: "checkout", namespace: "shop" },
    },
    status: {
      phase,
      message: kind === "Failed" ? "the diagnosis timed out" : undefined,
      rootCause:
        kind === "IncidentOpened"
          ? undefined
          : {
              summary: "memory limit too low: OOMKilled 5 times",
              confidence: 0.82,
              resource: { kind: "Deployment", name: "checkout", namespace: "shop" },
            },
      remediationPlanRef: kind === "AwaitingApproval" ? { name: "checkout-slow-plan" } : undefined,
    },
  } as unknown as SreTask;
  const plan =
    kind === "AwaitingApproval" || kind === "Remediated"
      ? ({
          apiVersion: "aisre.io/v1alpha1",
          kind: "RemediationPlan",
          metadata: { name: "checkout-slow-plan", namespace: "shop" },
          spec: {
            steps: [
              {
                action: "RolloutRestart",
                target: { kind: "Deployment", name: "checkout", namespace: "shop" },
              },
            ],
          },
          status: { phase: kind === "Remediated" ? "Succeeded" : "AwaitingApproval", risk: "low" },
        } as unknown as RemediationPlan)
      : undefined;
  return plan ? { kind, task, plan } : { kind, task };
}
