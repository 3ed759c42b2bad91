/**
 * Uniform access to the pod-template workloads the catalog changes (Deployment,
 * StatefulSet, DaemonSet, ReplicaSet): read, patch (optionally as a dry run), and list the
 * pods they own, so each action file states only its own logic.
 */
import type {
  V1PolicyRule,
  ConfigurationOptions,
  V1DaemonSet,
  V1Deployment,
  V1Pod,
  V1ReplicaSet,
  V1StatefulSet,
} from "@kubernetes/client-node";
import type { ActionContext, Step } from "./action.ts";
import { FIELD_MANAGER, dryRunParam, podKey, selectorString } from "./kube.ts";
import { ParamsError, targetNamespace } from "./params.ts";

/** RBAC to read and patch a workload's pod template, and list the pods it runs (blast radius). */
export const TEMPLATE_PATCH_RULES: readonly V1PolicyRule[] = [
  { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets"], verbs: ["get", "patch"] },
  { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
];

export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet";
export type Workload = V1Deployment | V1StatefulSet | V1DaemonSet | V1ReplicaSet;

const KINDS: readonly WorkloadKind[] = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"];

/** A workload by kind, namespace and name. */
export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

/** The step's target as a workload reference; throws ParamsError for other kinds. */
export function workloadRef(step: Step): WorkloadRef {
  const kind = step.target.kind as WorkloadKind;
  if (!KINDS.includes(kind)) throw new ParamsError([`target kind ${step.target.kind} is not a workload`]);
  return { kind, namespace: targetNamespace(step), name: step.target.name };
}

/** "Deployment shop/checkout". */
export const showRef = (ref: WorkloadRef): string => `${ref.kind} ${ref.namespace}/${ref.name}`;

/** Reads a workload. */
export async function readWorkload(ctx: ActionContext, ref: WorkloadRef): Promise<Workload> {
  const p = { name: ref.name, namespace: ref.namespace };
  switch (ref.kind) {
    case "Deployment":
      return ctx.apps.readNamespacedDeployment(p);
    case "StatefulSet":
      return ctx.apps.readNamespacedStatefulSet(p);
    case "DaemonSet":
      return ctx.apps.readNamespacedDaemonSet(p);
    case "ReplicaSet":
      return ctx.apps.readNamespacedReplicaSet(p);
  }
}

/** Patches a workload with the patch type of `options` (MERGE_PATCH or JSON_PATCH); dryRun=All when asked. */
export async function patchWorkload(
  ctx: ActionContext,
  ref: WorkloadRef,
  body: object,
  options: { dryRun: boolean; patch: ConfigurationOptions },
): Promise<Workload> {
  const p = {
    name: ref.name,
    namespace: ref.namespace,
    body,
    dryRun: dryRunParam(options.dryRun),
    fieldManager: FIELD_MANAGER,
  };
  switch (ref.kind) {
    case "Deployment":
      return ctx.apps.patchNamespacedDeployment(p, options.patch);
    case "StatefulSet":
      return ctx.apps.patchNamespacedStatefulSet(p, options.patch);
    case "DaemonSet":
      return ctx.apps.patchNamespacedDaemonSet(p, options.patch);
    case "ReplicaSet":
      return ctx.apps.patchNamespacedReplicaSet(p, options.patch);
  }
}

/** The live pods a workload's selector matches (terminating pods excluded). */
export async function workloadPods(ctx: ActionContext, ref: WorkloadRef, w: Workload): Promise<V1Pod[]> {
  const labelSelector = selectorString(w.spec?.selector);
  const list = await ctx.core.listNamespacedPod({ namespace: ref.namespace, labelSelector });
  return list.items.filter((p) => !p.metadata?.deletionTimestamp);
}

/** Newest first: the ReplicaSet controller removes the youngest pods first on scale-down. */
export const newestFirst = (a: V1Pod, b: V1Pod): number =>
  new Date(b.metadata?.creationTimestamp ?? 0).getTime() -
  new Date(a.metadata?.creationTimestamp ?? 0).getTime();

/** The pods as "namespace/name". */
export const podKeys = (pods: V1Pod[]): string[] =>
  pods.map((p) => podKey(p.metadata?.namespace, p.metadata?.name));

/** The blast radius of replacing every pod of the target workload (restart, new template). */
export async function allPodsOf(ctx: ActionContext, step: Step): Promise<string[]> {
  const ref = workloadRef(step);
  const w = await readWorkload(ctx, ref);
  return podKeys(await workloadPods(ctx, ref, w));
}
