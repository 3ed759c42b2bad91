import type { KubernetesObject } from "@kubernetes/client-node";
import type { ResourceType } from "../../../kube/kube-api.ts";
import type { K8sObject } from "../k8s.ts";
import { MemoryView, type PromQuery } from "../view.ts";
import { LIVE_KINDS } from "./kinds.ts";

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

// ConfigMap values can be large and may hold credentials; the engine only needs names and keys.
function withoutData(obj: KubernetesObject): KubernetesObject {
  const { data, binaryData, ...rest } = obj as KubernetesObject & { data?: object; binaryData?: object };
  const keys = [...Object.keys(data ?? {}), ...Object.keys(binaryData ?? {})];
  return { ...rest, data: Object.fromEntries(keys.map((k) => [k, ""])) } as KubernetesObject;
}

/** Builds the engine's ClusterView from live objects of every LIVE_KINDS kind. */
export async function liveView(list: ObjectLister, opts: LiveViewOptions = {}): Promise<MemoryView> {
  const lists: Record<string, K8sObject[]> = {};
  await Promise.all(
    LIVE_KINDS.map(async (rt) => {
      const items = await list(rt);
      const safe = rt.kind === "ConfigMap" ? items.map(withoutData) : items;
      lists[rt.kind] = safe.map((o) => ({ ...o, apiVersion: o.apiVersion ?? apiVersion(rt) })) as K8sObject[];
    }),
  );
  return MemoryView.fromLists(lists, opts);
}

function apiVersion(rt: ResourceType): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}
