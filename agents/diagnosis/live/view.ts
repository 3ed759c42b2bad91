import type { KubernetesObject } from "@kubernetes/client-node";
import type { ResourceType } from "../../../kube/kube-api.ts";
import { canonicalKind } from "../focus.ts";
import type { K8sObject } from "../k8s.ts";
import { isClusterScoped } from "../refs.ts";
import type { Focus } from "../types.ts";
import { MemoryView, type PromQuery } from "../view.ts";
import { LIVE_KINDS } from "./kinds.ts";
import { leanTransform } from "./transforms.ts";

/** Lists the current objects of one kind (from an informer cache or a one-shot API list). */
export type ObjectLister = (
  rt: ResourceType,
) => readonly KubernetesObject[] | Promise<readonly KubernetesObject[]>;

/** Options of a live view. */
export interface LiveViewOptions {
  logs?: Record<string, string>;
  prometheus?: PromQuery;
  now?: number;
}

/**
 * Builds the engine's ClusterView from a one-shot list of every LIVE_KINDS kind (the CLI and
 * MCP paths), reshaped as the operator's caches are (transforms.ts: no ConfigMap data).
 */
export async function liveView(list: ObjectLister, opts: LiveViewOptions = {}): Promise<MemoryView> {
  const lists: Record<string, K8sObject[]> = {};
  await Promise.all(
    LIVE_KINDS.map(async (rt) => {
      const lean = leanTransform(rt);
      lists[rt.kind] = (await list(rt)).map(lean) as K8sObject[];
    }),
  );
  return MemoryView.fromLists(lists, opts);
}

/**
 * The namespace a diagnosis enumerates: its namespaced target's, else its alert's. A
 * cluster-scoped target (a Node) or a run with neither looks at the whole cluster.
 */
export function viewScope(focus: Focus): string | undefined {
  const t = focus.target;
  if (t) return isClusterScoped(canonicalKind(t.kind)) ? undefined : t.namespace || undefined;
  return focus.alert?.labels?.namespace || undefined;
}
