/**
 * Which HorizontalPodAutoscaler scales a workload: a manual scale would be reverted by it,
 * and a PatchHPA step disrupts the pods of its scale target.
 */
import type { V2HorizontalPodAutoscaler } from "@kubernetes/client-node";
import type { ActionContext } from "./action.ts";
import type { WorkloadRef } from "./workloads.ts";

/** True when the HPA's scaleTargetRef points at the workload. */
export function hpaTargets(hpa: V2HorizontalPodAutoscaler, ref: WorkloadRef): boolean {
  const t = hpa.spec?.scaleTargetRef;
  return t?.kind === ref.kind && t.name === ref.name && hpa.metadata?.namespace === ref.namespace;
}

/** The name of an HPA scaling the workload, if any. */
export async function hpaFor(ctx: ActionContext, ref: WorkloadRef): Promise<string | undefined> {
  const list = await ctx.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace: ref.namespace });
  return list.items.find((h) => hpaTargets(h, ref))?.metadata?.name;
}
